"""The list of sections with a badge each: ✓ valid, N✗ errors, N! warnings, · unset."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from smjob.sections import Badge, Section
from smjob.widgets.textual_fixes import refresh_options, replace_prompts

_STYLE = {"error": "bold red", "warning": "yellow", "valid": "green", "unset": "dim"}


def _prompt(section: Section, badge: Badge | None, current: bool) -> Text:
    # A marker, not only the highlight: the highlight fades when focus is in the form.
    text = Text("▸ " if current else "  ", style="bold")
    text.append(section.label, style="bold" if current else "")
    if badge is not None:
        text.append("  ")
        text.append(badge.text, style=_STYLE[badge.state])
    return text


class SectionList(OptionList):
    DEFAULT_CSS = """
    SectionList { width: 25; height: 1fr; border: none; padding: 0; }
    """

    def __init__(self, sections: tuple[Section, ...], **kwargs) -> None:
        super().__init__(*[Option(_prompt(s, None, i == 0), id=s.key) for i, s in enumerate(sections)], **kwargs)
        self.sections = sections
        self.badges: dict[str, Badge] = {}
        self.current = sections[0].key if sections else ""
        self._shown = {s.key: _prompt(s, None, i == 0) for i, s in enumerate(sections)}

    def update_badges(self, badges: dict[str, Badge]) -> None:
        if badges == self.badges:
            return  # most keystrokes change no badge: skip 28 prompt replacements
        self.badges = badges
        self._refresh_prompts()

    def _refresh_prompts(self) -> None:
        # Only the prompts that changed: a switch changes two, a keystroke at most a badge or two.
        changed = {}
        for section in self.sections:
            prompt = _prompt(section, self.badges.get(section.key), section.key == self.current)
            if self._shown.get(section.key) != prompt:  # rich Text compares text and styles
                self._shown[section.key] = prompt
                changed[section.key] = prompt
        if changed:
            replace_prompts(self, changed)

    def select_section(self, key: str) -> None:
        """Mark and highlight `key`'s section, repainting its line and the one it leaves (setting
        `highlighted` repaints the whole list); no OptionHighlighted: the editor already shows it."""
        self.current = key
        before, index = self.highlighted, self.get_option_index(key)
        self.set_reactive(OptionList.highlighted, index)
        self.scroll_to_highlight()
        refresh_options(self, [before, index])
        self._refresh_prompts()

"""Keyboard-only driving of the app in pilot tests: Tab to a field, type into it."""

from __future__ import annotations

from textual import events
from textual.keys import _character_to_key
from textual.widgets import Input

from smjob.paths import FieldPath
from tests.support.waiting import wait_until

wait_for = wait_until  # the older name, still used by some test modules


def owner_path(widget) -> FieldPath | None:
    """The request path of the editor that owns the focused widget."""
    node = widget
    while node is not None:
        path = getattr(node, "path", None)
        if isinstance(path, tuple):
            return path
        node = node.parent
    return None


async def tab_to(pilot, predicate, *, limit: int = 120, describe: str = "") -> None:
    for _ in range(limit):
        focused = pilot.app.focused
        if focused is not None and predicate(focused):
            return
        await pilot.press("tab")
    raise AssertionError(f"Tab never reached {describe or predicate}; focus is on {pilot.app.focused!r}")


async def tab_to_input(pilot, path: FieldPath) -> None:
    await tab_to(pilot, lambda w: isinstance(w, Input) and owner_path(w) == path, describe=f"the input of {path}")


async def tab_to_widget(pilot, cls, path: FieldPath | None = None) -> None:
    await tab_to(
        pilot,
        lambda w: isinstance(w, cls) and (path is None or owner_path(w) == path),
        describe=f"{cls.__name__} at {path}",
    )


async def next_section(pilot, label: str) -> None:
    """ctrl+n until the editor shows the section `label`: sections get added, so never count presses."""
    editor = pilot.app.editor
    for _ in range(len(editor.all_sections)):
        if editor.current.label == label:
            return
        await pilot.press("ctrl+n")
    if editor.current.label != label:
        raise AssertionError(f"ctrl+n never reached the section {label!r}; it is on {editor.current.label!r}")


async def type_text(pilot, text: str, *, burst: bool = False) -> None:
    """Type `text` key by key. pilot.press waits for the app to go idle after every key (40 ms or
    more each); `burst` sends every key at once, as a fast typist or a terminal's paste delivers
    them, and waits once. Not for tests about timing between keys (undo coalescing, debounce)."""
    if not burst:
        await pilot.press(*[ch if ch != " " else "space" for ch in text])
        return
    for ch in text:
        _send(pilot.app, ch if ch.isalnum() else _character_to_key(ch), ch)
    await pilot.pause()


def _send(app, key: str, character: str | None) -> None:
    event = events.Key(key, character)
    event.set_sender(app)
    app._driver.send_message(event)  # as the terminal driver delivers keys


async def fill(pilot, path: FieldPath, text: str, *, burst: bool = False) -> None:
    await tab_to_input(pilot, path)
    await type_text(pilot, text, burst=burst)
    await pilot.pause()


async def press_bar_button(pilot, button_id: str, path: FieldPath | None = None) -> None:
    """Tab to the button bar holding `button_id` (of the editor at `path`), ←/→ to it, Enter."""
    from smjob.widgets.button_bar import ButtonBar

    def holds(widget) -> bool:
        return (
            isinstance(widget, ButtonBar)
            and any(b.id == button_id for b in widget.buttons)
            and (path is None or owner_path(widget) == path)
        )

    await tab_to(pilot, holds, describe=f"the bar with {button_id!r}")
    bar = pilot.app.focused
    for _ in bar.buttons:
        if bar.buttons[bar.selected].id == button_id:
            break
        await pilot.press("right")
    assert bar.buttons[bar.selected].id == button_id, f"→ never selected {button_id!r} (disabled?)"
    await pilot.press("enter")

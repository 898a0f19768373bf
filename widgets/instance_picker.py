"""Instance types: a free-text field with a searchable picker grouped by family."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option, OptionDoesNotExist

from smjob.instances import family, has_local_nvme, processor_label, sort_key
from smjob.paths import FieldPath
from smjob.schema import Node
from smjob.widgets.base import FieldEditor, literal
from smjob.widgets.inputs import TextInput

TYPE_WIDTH = 24  # "ml.p6e-gb200.36xlarge" is 21
PROCESSOR_WIDTH = 10  # "Trainium"


def markers(instance_type: str) -> list[str]:
    """Short hardware notes for an instance type, e.g. ["GPU", "local NVMe"]."""
    out = []
    if processor_label(instance_type) in ("GPU", "Trainium"):
        out.append(processor_label(instance_type))
    if has_local_nvme(instance_type):
        out.append("local NVMe")
    return out


def _matches(instance_type: str, terms: Sequence[str]) -> bool:
    haystack = " ".join([instance_type, *markers(instance_type)]).lower()
    return all(term in haystack for term in terms)


def picker_options(choices: Iterable[str], query: str = "") -> list[Option]:
    """Options for the types matching every word of `query`, with a disabled header per family."""
    terms = query.lower().split()
    options: list[Option] = []
    current_family = None
    for instance_type in sorted(choices, key=sort_key):
        if not _matches(instance_type, terms):
            continue
        fam = family(instance_type) or "other"
        if fam != current_family:
            current_family = fam
            header = Text(fam, style="bold")
            notes = [processor_label(instance_type) or "?"]
            if has_local_nvme(instance_type):
                notes.append("local NVMe")
            header.append(f"  ({', '.join(notes)})", style="dim")
            options.append(Option(header, disabled=True))
        prompt = Text("  ")
        prompt.append(instance_type.ljust(TYPE_WIDTH))
        processor = processor_label(instance_type)
        prompt.append((processor if processor != "CPU" else "").ljust(PROCESSOR_WIDTH))
        if has_local_nvme(instance_type):
            prompt.append("local NVMe", style="italic")
        options.append(Option(prompt, id=instance_type))
    return options


class InstancePickerScreen(ModalScreen[str | None]):
    """Filter and pick an instance type. Dismisses with the type, or None on Escape."""

    DEFAULT_CSS = """
    InstancePickerScreen { align: center middle; }
    InstancePickerScreen > #picker {
        width: 64; max-width: 100%; height: 24; max-height: 100%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    InstancePickerScreen #picker-title { height: 1; text-style: bold; }
    InstancePickerScreen #picker-filter { margin: 0; }
    InstancePickerScreen #picker-list { height: 1fr; border: none; padding: 0; }
    /* Focus stays in the filter, so show the list's highlight as if the list had focus. */
    InstancePickerScreen #picker-list > .option-list--option-highlighted {
        color: $block-cursor-foreground; background: $block-cursor-background; text-style: bold;
    }
    InstancePickerScreen #picker-list > .option-list--option-disabled { color: $text-accent; }
    InstancePickerScreen #picker-status { height: 1; color: $text-muted; }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("down", "move(1)", "Down", show=False),
        Binding("up", "move(-1)", "Up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
    ]

    def __init__(self, choices: Sequence[str], current: str | None = None, *, title: str = "Instance type") -> None:
        super().__init__()
        self.choices = tuple(choices)
        self.current = current
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Static(literal(f"{self.title_text}: type to filter (g5, p4d, 24xl, gpu, nvme)"), id="picker-title")
            yield TextInput(placeholder="filter", id="picker-filter", compact=True)
            yield OptionList(*picker_options(self.choices), id="picker-list")
            yield Static("", id="picker-status")

    @property
    def option_list(self) -> OptionList:
        return self.query_one("#picker-list", OptionList)

    def on_mount(self) -> None:
        self.query_one("#picker-filter", Input).focus()
        self._highlight(self.current)
        self._update_status("")
        # The list has its size only after the first layout; show the current type then.
        self.call_after_refresh(self._scroll_to_family)

    def _scroll_to_family(self) -> None:
        """Scroll so the highlighted type's family header is the top line (one line per option)."""
        olist = self.option_list
        index = olist.highlighted
        if index is None:
            return
        header = index
        while header > 0 and not olist.options[header].disabled:
            header -= 1
        olist.scroll_to(y=header, animate=False, immediate=True)
        olist.scroll_to_highlight()

    def _highlight(self, instance_type: str | None) -> None:
        olist = self.option_list
        index = None
        if instance_type:
            try:
                index = olist.get_option_index(instance_type)
            except OptionDoesNotExist:
                index = None
        if index is None:
            index = next((i for i, o in enumerate(olist.options) if not o.disabled), None)
        olist.highlighted = index

    def _update_status(self, query: str) -> None:
        shown = sum(1 for o in self.option_list.options if not o.disabled)
        status = Text(f"{shown} of {len(self.choices)}")
        if query.strip():
            status.append(" match ")
            status.append_text(literal(query.strip()))
        status.append("  ·  ↑↓ move  Enter pick  Esc cancel", style="dim")
        self.query_one("#picker-status", Static).update(status)

    @on(Input.Changed, "#picker-filter")
    def _filter(self, event: Input.Changed) -> None:
        event.stop()
        olist = self.option_list
        keep = olist.highlighted_option.id if olist.highlighted_option is not None else None
        olist.set_options(picker_options(self.choices, event.value))
        self._highlight(keep)
        self._update_status(event.value)

    @on(Input.Submitted, "#picker-filter")
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_pick()

    @on(OptionList.OptionSelected, "#picker-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_pick(self) -> None:
        option = self.option_list.highlighted_option
        if option is None or option.disabled:
            self.app.bell()
            return
        self.dismiss(option.id)

    def action_move(self, step: int) -> None:
        olist = self.option_list
        if step > 0:
            olist.action_cursor_down()
        else:
            olist.action_cursor_up()

    def action_page(self, step: int) -> None:
        olist = self.option_list
        if step > 0:
            olist.action_page_down()
        else:
            olist.action_page_up()

    def action_cancel(self) -> None:
        self.dismiss(None)


class InstanceTypeField(FieldEditor):
    """An instance type: type freely, or press F4 / the Pick button to choose from the model's enum."""

    DEFAULT_CSS = """
    InstanceTypeField > .instance-row { height: auto; }
    InstanceTypeField > .instance-row > Input { width: 1fr; }
    InstanceTypeField > .instance-row > Button { width: auto; min-width: 8; margin: 0 0 0 1; }
    """

    BINDINGS = [Binding("f4", "pick", "Pick type")]

    def __init__(self, node: Node, path: FieldPath, value=None, *, label: str | None = None) -> None:
        super().__init__(node, path, value, label=label)
        text = "" if value is None else str(value)
        self.input = TextInput(
            value=text,
            placeholder="ml.m5.xlarge",
            compact=True,
            classes="instance-input",
            validate_on=["submitted"],
            edited=self._typed,
        )

    def compose(self) -> ComposeResult:
        yield from self.compose_label(self._hint())
        with Horizontal(classes="instance-row"):
            yield self.input
            yield Button("Pick… F4", compact=True, classes="instance-pick", tooltip="Choose from the list (F4)")

    def _hint(self) -> Text:
        hint = Text(self.node.constraint_text())
        value = self.input.value
        notes = markers(value) if value else []
        if value and value not in self.node.enum and self.node.enum:
            notes.append("not in the list")
        if notes:
            hint.append("  " + " · ".join(notes), style="bold")
        return hint

    def _refresh_hint(self) -> None:
        self.set_hint(self._hint())

    def _typed(self, text: str) -> None:
        """A keystroke (TextInput's `edited`, inside the key's handler)."""
        self._refresh_hint()
        self.apply(text or None, typing=True)

    @on(Input.Changed, ".instance-input")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()  # already applied by `_typed`

    @on(Input.Submitted, ".instance-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()

    @on(Button.Pressed, ".instance-pick")
    def _pick_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_pick()

    def action_pick(self) -> None:
        screen = InstancePickerScreen(self.node.enum, self.input.value or None, title=self.label_text)
        self.app.push_screen(screen, self._picked)

    def _picked(self, result: str | None) -> None:
        # After the modal is gone: the screen gives focus back to the Pick button first.
        self.call_after_refresh(self.input.focus)
        if result is None:
            return
        self._set_text(result)
        self.apply(result)

    def _set_text(self, text: str) -> None:
        with self.prevent(Input.Changed):
            self.input.value = text
        self.input.cursor_position = len(text)
        self._refresh_hint()

    def load(self, value) -> None:
        self._set_text("" if value is None else str(value))

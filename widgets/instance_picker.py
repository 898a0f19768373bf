"""Instance types: a free-text field with its hardware facts, and a picker that filters and sorts
the types by their hardware (smjob.facts)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option, OptionDoesNotExist

from smjob.facts import facts_for
from smjob.facts.query import FilterError, matches, parse_filter, sort_types
from smjob.instances import family, has_local_nvme, processor_label
from smjob.paths import FieldPath
from smjob.schema import Node
from smjob.widgets.base import FieldEditor, literal
from smjob.widgets.inputs import TextInput
from smjob.widgets.instance_columns import Column, facts_line, header_text, layout, row_text
from smjob.widgets.picker_keys import ListPickerScreen
from smjob.widgets.pickers import PicksFromLabel, with_pick_hint

SCROLLBAR_GAP = 1  # blank cells between a row's last column and the list's scrollbar


def markers(instance_type: str) -> list[str]:
    """Short hardware notes from the name alone, e.g. ["GPU", "local NVMe"]: the fallback for a
    type without facts (smjob.facts)."""
    out = []
    if processor_label(instance_type) in ("GPU", "Trainium"):
        out.append(processor_label(instance_type))
    if has_local_nvme(instance_type):
        out.append("local NVMe")
    return out


def picker_options(
    choices: Iterable[str], query: str = "", *, sort: str = "type", columns: list[Column] | None = None
) -> list[Option]:
    """One option per type passing the filter (smjob.facts.query's language: `gpu>=4 mem>=192 a10g
    efa`), as a row of `columns`; sorted by name with a disabled header per family, or by a column.
    Raises FilterError for a term that cannot be read."""
    columns = columns if columns is not None else layout(80)
    terms = parse_filter(query) if query.strip() else []
    chosen = sort_types([t for t in choices if matches(terms, t)], sort)
    options: list[Option] = []
    current_family = None
    for instance_type in chosen:
        fam = family(instance_type) or "other"
        if sort == "type" and fam != current_family:
            current_family = fam
            options.append(Option(Text(fam, style="bold"), disabled=True))
        options.append(Option(row_text(instance_type, columns), id=instance_type))
    return options


class InstancePickerScreen(ListPickerScreen):
    """Filter, sort and pick an instance type by its hardware. Dismisses with the type, or None on Escape."""

    DEFAULT_CSS = """
    InstancePickerScreen { align: center middle; }
    InstancePickerScreen > #picker {
        width: 100%; max-width: 130; height: 100%; max-height: 40;  /* 130: every column at its widest */
        border: round $accent; background: $surface; padding: 0 0 0 1;
    }
    /* No right padding: the list's scrollbar sits against the border, and the cell that frees is the
       gap between the rows and the bar (_list_width), so every column still fits at 80. The lines of
       text keep their cell to the border. */
    InstancePickerScreen #picker-title {
        height: 1; margin-right: 1; text-style: bold; text-wrap: nowrap; text-overflow: ellipsis;
    }
    InstancePickerScreen #picker-filter { margin: 0; }
    InstancePickerScreen #picker-header { height: 1; margin-right: 1; text-wrap: nowrap; }
    /* 100%: a 1fr width would give up the widest margin of the lines above */
    InstancePickerScreen #picker-list {
        width: 100%; height: 1fr; border: none; padding: 0; scrollbar-size-vertical: 1;
    }
    InstancePickerScreen #picker-status {
        height: 1; margin-right: 1; color: $text-muted; text-wrap: nowrap; text-overflow: ellipsis;
    }
    InstancePickerScreen #picker-status.-error { color: $error; }
    """

    BINDINGS = [
        # Focus stays in the filter line, where letters are filter text: Tab is free to mean "sort".
        Binding("tab", "sort(1)", "Sort", show=False, id="picker.sort"),
        Binding("shift+tab", "sort(-1)", "Sort back", show=False, id="picker.sort_back"),
    ]

    def __init__(self, choices: Sequence[str], current: str | None = None, *, title: str = "Instance type") -> None:
        super().__init__()
        self.choices = tuple(choices)
        self.current = current
        self.title_text = title
        self.sort = "type"
        self.query_text = ""
        self.filter_error: str | None = None
        self.columns: list[Column] = []

    def compose(self) -> ComposeResult:
        self.columns = layout(self._list_width())
        with Vertical(id="picker"):
            yield Static(
                literal(f"{self.title_text}: filter by name or hardware (gpu>=4 mem>=192 a10g efa !nvme)"),
                id="picker-title",
            )
            yield TextInput(placeholder="filter", id="picker-filter", compact=True)
            yield Static(header_text(self.columns, self.sort), id="picker-header")
            yield OptionList(*picker_options(self.choices, columns=self.columns), id="picker-list")
            yield Static("", id="picker-status")

    def _list_width(self) -> int:
        """Cells for a row: the list's width less its scrollbar and a blank cell before the bar, so
        the last column's digits never touch it (whether the bar shows or not: the columns are laid
        out only on resize); before layout, what the CSS will give (the dialog's width less border,
        left padding, scrollbar and blank)."""
        try:
            olist = self.option_list
            width = olist.content_region.width - olist.styles.scrollbar_size_vertical - SCROLLBAR_GAP
        except Exception:  # not composed yet
            width = 0
        return width if width > 0 else min(self.app.size.width, 130) - 2 - 1 - 1 - SCROLLBAR_GAP

    def on_mount(self) -> None:
        self.query_one("#picker-filter", Input).focus()
        self._highlight(self.current)
        self._update_status()
        # The list has its size only after the first layout; show the current type then.
        self.call_after_refresh(self._scroll_to_family)

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit_columns)

    def _fit_columns(self) -> None:
        columns = layout(self._list_width())
        if columns != self.columns:
            self.columns = columns
            if self.sort not in {c.key for c in columns}:
                self.sort = "type"
            self._rebuild()

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

    def _update_status(self) -> None:
        status = self.query_one("#picker-status", Static)
        status.set_class(self.filter_error is not None, "-error")
        if self.filter_error is not None:
            status.update(literal(self.filter_error))
            return
        shown = sum(1 for o in self.option_list.options if not o.disabled)
        text = Text(f"{shown} of {len(self.choices)}")
        if self.query_text.strip():
            text.append(" match ")
            text.append_text(literal(self.query_text.strip()))
        text.append("  ·  Tab sort  ↑↓ move  Enter pick  Esc cancel", style="dim")
        status.update(text)

    def _rebuild(self) -> None:
        """The rows for the filter, sort and columns; a filter that cannot be read keeps the last rows."""
        olist = self.option_list
        keep = olist.highlighted_option.id if olist.highlighted_option is not None else None
        try:
            options = picker_options(self.choices, self.query_text, sort=self.sort, columns=self.columns)
        except FilterError as exc:
            self.filter_error = str(exc)
        else:
            self.filter_error = None
            olist.set_options(options)
            self._highlight(keep)
        self.query_one("#picker-header", Static).update(header_text(self.columns, self.sort))
        self._update_status()

    @on(Input.Changed, "#picker-filter")
    def _filter(self, event: Input.Changed) -> None:
        event.stop()
        self.query_text = event.value
        self._rebuild()

    def action_sort(self, step: int) -> None:
        """Tab: sort by the next column (names A-Z, numbers biggest first), marked in the header."""
        keys = [c.key for c in self.columns]
        self.sort = keys[(keys.index(self.sort) + step) % len(keys)] if self.sort in keys else keys[0]
        self._rebuild()
        # A new order is asked for to see its top: the first row, not the old highlight somewhere below.
        olist = self.option_list
        olist.highlighted = next((i for i, o in enumerate(olist.options) if not o.disabled), None)
        olist.scroll_home(animate=False, immediate=True)


class InstanceTypeField(PicksFromLabel, FieldEditor):
    """An instance type: type freely, or press F4 (or click the label) to choose from the model's enum.
    A dim line under it gives the type's hardware."""

    DEFAULT_CSS = """
    InstanceTypeField > .instance-facts { height: 1; color: $text-muted; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    BINDINGS = [Binding("f4", "pick", "Pick type")]

    def __init__(self, node: Node, path: FieldPath, value=None, *, label: str | None = None) -> None:
        super().__init__(node, path, value, label=label)
        text = "" if value is None else str(value)
        self.input = TextInput(
            value=text,
            placeholder="(not set)  e.g. ml.m5.xlarge, F4 picks",  # a bare type looked like a value
            compact=True,
            classes="instance-input",
            validate_on=["submitted"],
            edited=self._typed,
        )
        self.facts = Static(self._facts_text(text), classes="instance-facts")
        self._shown_facts = text

    def compose(self) -> ComposeResult:
        # No Pick button: it took digits typed after Tab, and cost a row of widgets; F4 or a click on the label picks.
        yield from self.compose_label(self._hint())
        yield self.input
        yield self.facts

    def _facts_text(self, value: str) -> Text:
        """Never markup: a refreshed facts table holds what the account's EC2 answered."""
        if not value:
            return Text("")
        line = facts_line(value)
        if line is None and value in self.node.enum:
            return Text("hardware: ? (no facts for this type)")
        return literal(line or "")

    def _hint(self) -> Text:
        hint = Text(with_pick_hint(self.node.constraint_text()))
        value = self.input.value
        # The name's guess only where there are no facts (the line under the field has them).
        notes = markers(value) if value and facts_for(value) is None else []
        if value and value not in self.node.enum and self.node.enum:
            notes.append("not in the list")
        if notes:
            hint.append("  " + " · ".join(notes), style="bold")
        return hint

    def _refresh_hint(self) -> None:
        self.set_hint(self._hint())
        value = self.input.value
        if value != self._shown_facts:  # one fixed-height line: no re-layout per keystroke
            self._shown_facts = value
            self.facts.update(self._facts_text(value), layout=False)

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

    def action_pick(self) -> None:
        screen = InstancePickerScreen(self.node.enum, self.input.value or None, title=self.label_text)
        self.app.push_screen(screen, self._picked)

    def _picked(self, result: str | None) -> None:
        self.call_after_refresh(self.input.focus)  # after the modal is gone
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

"""Editors for scalar fields: text, integers (durations too), numbers, booleans, enums."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.widgets import Input

from smjob.durations import format_duration, is_duration_field, parse_duration
from smjob.widgets.base import FieldEditor
from smjob.widgets.choice import ChoiceBox
from smjob.widgets.inputs import TextInput


class TextField(FieldEditor):
    def compose(self) -> ComposeResult:
        yield from self.compose_label(self.constraint_hint())
        yield TextInput(
            value=_text(self.initial),
            placeholder="(not set)",
            compact=True,
            select_on_focus=False,
            validate_on=["submitted"],  # no validators: skip class churn per keystroke
            edited=lambda text: self.apply(text if text != "" else None, typing=True),
        )

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()  # already applied by `edited`, inside the keystroke

    def load(self, value) -> None:
        _show_text(self.query_one(Input), _text(value))


class NumberField(FieldEditor):
    """Integers and floats. `*InSeconds` fields also take durations such as `2h30m` or `1d`.

    Text that does not parse is applied as typed, so it stays in the draft and the validator
    reports it at this path instead of it being dropped.
    """

    def compose(self) -> ComposeResult:
        yield from self.compose_label(self.constraint_hint(self._duration_hint(self.initial)))
        yield TextInput(
            value=_text(self.initial),
            placeholder=self._placeholder(),
            compact=True,
            select_on_focus=False,
            validate_on=["submitted"],  # no validators: no class churn per key
            edited=self._edited,
        )

    def _edited(self, text: str) -> None:
        value = self.parse(text)  # once a keystroke
        self._update_hint(value)
        self.apply(value, typing=True)

    def _placeholder(self) -> str:
        return "e.g. 2h30m, 1d or seconds" if is_duration_field(self.node.name) else "(not set)"

    def parse(self, text: str):
        text = text.strip()
        if text == "":
            return None
        if is_duration_field(self.node.name):
            seconds = parse_duration(text)
            if seconds is not None:
                return seconds
        try:
            return int(text) if self.node.kind in ("integer", "long") else float(text)
        except ValueError:
            return text

    def _duration_hint(self, value) -> str:
        if not is_duration_field(self.node.name):
            return ""
        if isinstance(value, int) and not isinstance(value, bool):
            return f"= {value} s ({format_duration(value)})"
        return "accepts 2h30m, 1d, 90m"

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()  # already applied by `edited`, inside the keystroke

    def _update_hint(self, value) -> None:
        self.set_hint(self.constraint_hint(self._duration_hint(value)))

    def load(self, value) -> None:
        _show_text(self.query_one(Input), _text(value))
        self._update_hint(value)


class ChoiceField(FieldEditor):
    """Enums and booleans: a ChoiceBox with type-to-search; blank means "not set"."""

    # Booleans travel as "true"/"false" inside the widget (its options are shown as text).
    def _options(self) -> list[tuple[str, str]]:
        if self.node.kind == "boolean":
            return [("true", "true"), ("false", "false")]
        return [(value, value) for value in self.node.enum]

    def _to_option(self, value):
        if self.node.kind == "boolean" and isinstance(value, bool):
            return "true" if value else "false"
        return value

    def _from_option(self, option):
        return option == "true" if self.node.kind == "boolean" else option

    def compose(self) -> ComposeResult:
        options = self._options()
        current = self._to_option(self.initial)
        extra = ""
        if self.initial is not None and current not in [v for _, v in options]:
            extra = f"current value {self.initial!r} is not allowed; pick one"
        yield from self.compose_label(self.constraint_hint(extra))
        yield ChoiceBox(options, value=current)

    @on(ChoiceBox.Changed)
    def _changed(self, event: ChoiceBox.Changed) -> None:
        event.stop()
        self.apply(None if event.value is None else self._from_option(event.value))

    def load(self, value) -> None:
        self.query_one(ChoiceBox).value = self._to_option(value)


def _show_text(field: Input, text: str) -> None:
    """Show `text` without applying it again (undo, load): the cursor goes to its end."""
    with field.prevent(Input.Changed):
        field.value = text
    field.cursor_position = len(text)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)

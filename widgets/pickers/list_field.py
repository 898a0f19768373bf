"""VpcConfig.Subnets / SecurityGroupIds: a string list with the VPC picker on F4 (its own module:
string lists load their widgets only when a section has one)."""

from __future__ import annotations

from textual.binding import Binding

from smjob.paths import FieldPath
from smjob.widgets.pickers import PICK_HINT, PicksFromLabel, picker_for
from smjob.widgets.string_list import StringListEditor


class PickerListField(PicksFromLabel, StringListEditor):
    """VpcConfig.Subnets / SecurityGroupIds: one picker fills both (they must share a VPC)."""

    BINDINGS = [Binding("f4", "pick", "Pick", id="field.pick")]

    def compose(self):
        yield from self.compose_label(PICK_HINT + " (subnets and security groups together)")
        yield self.preview
        yield self.hint_line

    def _paths(self) -> tuple[FieldPath, FieldPath]:
        parent = self.path[:-1]
        return parent + ("Subnets",), parent + ("SecurityGroupIds",)

    def action_pick(self) -> None:
        from smjob.widgets.pickers.base import app_target

        subnets, groups = self._paths()
        current = (self.owner.value_at(subnets) or [], self.owner.value_at(groups) or [])
        self.app.push_screen(picker_for("vpc", app_target(self.app), current), self._picked)

    def _picked(self, result) -> None:
        self.call_after_refresh(self.focus_input)
        if not isinstance(result, tuple):
            return
        from smjob.widgets.base import field_id

        for path, value in zip(self._paths(), result, strict=True):
            self.owner.apply_edit(path, value or None, label=f"{path[-1]} from the picker")
            found = self.screen.query(f"#{field_id(path)}")
            if found:
                found.first().load(value or None)

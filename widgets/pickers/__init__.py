"""Pickers for values that exist in the user's account: F4 on the field (or "Pick…" in the palette)
opens one; typing still works and is validated as in any text field.

Which fields get one is read from the API model, not a list of paths: the shape (RoleArn, S3Uri,
AlgorithmImage, KmsKeyId, lists of SubnetId / SecurityGroupId) or, for shapes botocore may rename,
the member name (…S3Uri, …S3OutputPath, …KmsKeyId).
"""

from __future__ import annotations

from textual import events
from textual.binding import Binding

from smjob.paths import FieldPath
from smjob.schema import Node
from smjob.widgets.fields import TextField, _show_text

PICK_HINT = "F4 pick"


def with_pick_hint(hint: str) -> str:
    """The hint of a field with a picker: the key first, so a long pattern hint wraps, not the key."""
    return f"{PICK_HINT} · {hint}" if hint else PICK_HINT


class PicksFromLabel:
    """For a field with a picker (`action_pick`): a click on its label, which says "F4 pick", picks."""

    def on_click(self, event: events.Click) -> None:
        widget = event.widget
        if widget is not None and widget.has_class("field-label"):
            self.action_pick()


def picker_kind(node: Node | None) -> str | None:
    """ "role", "s3", "image", "kms" (text fields) or "vpc" (the subnet / group lists), or None."""
    if node is None:
        return None
    if node.kind == "string" and not node.enum:
        shape, name = node.shape, node.name
        if shape == "RoleArn" or name == "RoleArn":
            return "role"
        if shape == "S3Uri" or name.endswith(("S3Uri", "S3OutputPath")):
            return "s3"
        if shape == "AlgorithmImage" or name in ("TrainingImage", "RuleEvaluatorImage"):
            return "image"
        if shape == "KmsKeyId" or name.endswith("KmsKeyId"):
            return "kms"
    if node.kind == "list" and node.item is not None and node.item.shape in ("SubnetId", "SecurityGroupId"):
        return "vpc"
    return None


def picker_for(kind: str, target, current):
    if kind == "role":
        from smjob.widgets.pickers.simple import RolePicker

        return RolePicker(target, current)
    if kind == "kms":
        from smjob.widgets.pickers.simple import KmsKeyPicker

        return KmsKeyPicker(target, current)
    if kind == "s3":
        from smjob.widgets.pickers.s3 import S3Picker

        return S3Picker(target, current)
    if kind == "image":
        from smjob.widgets.pickers.images import ImagePicker

        return ImagePicker(target, current)
    from smjob.widgets.pickers.vpc import VpcPicker

    return VpcPicker(target, current)


class PickerTextField(PicksFromLabel, TextField):
    """A text field with a picker on F4 (the editor's own F4, next preview format, is shadowed here
    as in the instance-type field: the focused widget's bindings come first)."""

    BINDINGS = [Binding("f4", "pick", "Pick", id="field.pick")]

    def __init__(self, node: Node, path: FieldPath, value=None, *, label: str | None = None) -> None:
        super().__init__(node, path, value, label=label)
        self.picker_kind = picker_kind(node)

    def constraint_hint(self, extra: str = "") -> str:
        return with_pick_hint(super().constraint_hint(extra))

    def action_pick(self) -> None:
        from smjob.widgets.pickers.base import app_target

        self.app.push_screen(picker_for(self.picker_kind, app_target(self.app), self.value), self._picked)

    def _picked(self, result) -> None:
        self.call_after_refresh(self.focus_input)  # the modal gave focus back to nothing useful
        if not isinstance(result, str):
            return
        from textual.widgets import Input

        _show_text(self.query_one(Input), result)
        self.apply(result)


def pick_on_focused(app) -> None:
    """The palette's "Pick…": the picker of the focused field in the editor, if it has one."""
    field = _focused_field(app)
    if field is None or not hasattr(field, "action_pick"):
        app.notify("The focused field has no picker (roles, S3 URIs, images, VPC, KMS keys and instance types do)")
        return
    field.action_pick()


def _focused_field(app):
    screen = getattr(app, "editor", None) or app.screen
    node = screen.focused
    while node is not None and not (hasattr(node, "path") and hasattr(node, "node")):
        node = node.parent
    return node


def save_focused_as_default(app) -> None:
    """The palette's "Save as my default": the focused field's value for new jobs of this profile."""
    from smjob.paths import format_path
    from smjob.user_defaults import DefaultsError, set_default

    field = _focused_field(app)
    if field is None:
        app.notify("Focus a field first: its value becomes your default for new jobs", severity="warning")
        return
    value = field.owner.value_at(field.path)
    if value is None:
        app.notify(f"{format_path(field.path)} is empty: nothing to save", severity="warning")
        return
    target = getattr(app, "target", None)
    profile = getattr(target, "profile", None)
    try:
        saved, moved = set_default(format_path(field.path), value, profile)
    except (DefaultsError, OSError) as exc:  # OSError: smjob.files.UnreadableFile names the file
        app.notify(f"Not saved: {exc}", severity="error")
        return
    if moved:
        app.notify(moved, severity="warning", timeout=15)
    app.notify(f"{saved} is now your default for new jobs (profile {profile or 'default'})")

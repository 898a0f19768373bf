"""Pickers with one list: IAM roles (RoleArn) and KMS keys (every KmsKeyId field)."""

from __future__ import annotations

from textual.widgets.option_list import Option

from smjob.widgets.pickers.base import Level, PickerScreen, header, matches, note, row

NAME_WIDTH = 34


def role_options(items: dict, query: str) -> list[Option]:
    roles = items.get("roles") or []
    shown = [r for r in roles if matches(query, r.name, r.arn, r.description)]
    options: list[Option] = []
    trusting = [r for r in shown if r.trusts_sagemaker]
    others = [r for r in shown if not r.trusts_sagemaker]
    if trusting:
        options.append(header("SageMaker can assume these"))
        for r in trusting:
            options.append(Option(row((r.name, NAME_WIDTH), (r.reason or r.description or "", None)), id=r.arn))
    if others:
        options.append(header("Others (SageMaker cannot assume them as they are)"))
        for r in others:
            options.append(Option(row((r.name, NAME_WIDTH), (r.reason, None), style="dim"), id=r.arn))
    if roles and not shown:
        options.append(note(f"none of {len(roles)} roles match"))
    return options


class RolePicker(PickerScreen):
    picker_title = "IAM role"

    def root(self) -> Level:
        return Level("", (("roles", {}),), role_options)


def key_options(items: dict, query: str) -> list[Option]:
    keys = items.get("kms-keys") or []
    options: list[Option] = []
    for k in keys:
        aliases = ", ".join(k.aliases) or "(no alias)"
        if not matches(query, aliases, k.id, k.arn, k.state, k.description):
            continue
        usable = k.state in (None, "Enabled")
        label = row(
            (aliases, 36),
            (k.state or "?", 16),
            (k.id, None),
            style="" if usable else "dim",
            mark="AWS managed" if k.manager == "AWS" else "",
        )
        options.append(Option(label, id=k.arn or k.id))
    if keys and not options:
        options.append(note(f"none of {len(keys)} keys match"))
    return options


class KmsKeyPicker(PickerScreen):
    picker_title = "KMS key"

    def root(self) -> Level:
        return Level("", (("kms-keys", {}),), key_options)

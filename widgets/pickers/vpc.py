"""VpcConfig: subnets (VPC, availability zone, free IPs) and security groups (VPC, name), chosen
together. Enter marks or unmarks a line; the first line uses the marked ones. Marks from two VPCs
are an error shown here, and the picker will not use them."""

from __future__ import annotations

from rich.text import Text
from textual.widgets.option_list import Option

from smjob.widgets.pickers.base import Level, PickerScreen, header, matches, note, row


class VpcPicker(PickerScreen):
    """Dismisses with (subnet ids, security group ids), or None."""

    picker_title = "VPC: subnets and security groups"
    keys_help = "Enter marks, on the first line uses"

    def __init__(self, target=None, current=None) -> None:
        super().__init__(target, current)
        subnets, groups = current if isinstance(current, tuple) else ([], [])
        self.subnets: list[str] = [s for s in subnets or [] if isinstance(s, str)]
        self.groups: list[str] = [g for g in groups or [] if isinstance(g, str)]

    def root(self) -> Level:
        return Level("", (("subnets", {}), ("security-groups", {})), self._options)

    def preferred(self) -> list[str]:
        return []

    def conflict(self) -> str | None:
        from smjob.resources import vpc_conflict

        items = self.level.items if self.levels else {}
        subnets = [s for s in items.get("subnets") or [] if s.id in self.subnets]
        groups = [g for g in items.get("security-groups") or [] if g.id in self.groups]
        return vpc_conflict(subnets, groups)

    def _options(self, items: dict, query: str) -> list[Option]:
        use = Text(f"  Use {len(self.subnets)} subnet(s) and {len(self.groups)} security group(s)", style="bold")
        options = [] if query else [Option(use, id="use")]  # filtering: Enter marks what matches
        subnets = items.get("subnets") or []
        shown = [s for s in subnets if matches(query, s.id, s.vpc_id, s.availability_zone, s.name, s.cidr)]
        if shown:
            options.append(header("Subnets: VPC, zone, free IPs, name"))
        for s in shown:
            mark = "[x]" if s.id in self.subnets else "[ ]"
            label = row((mark, 3), (s.id, 24), (s.vpc_id, 21), (s.availability_zone, 11), (f"{s.free_ips} IPs", 9))
            label.append_text(row((s.name or "", None), style="dim"))
            options.append(Option(label, id=f"s:{s.id}"))
        groups = items.get("security-groups") or []
        shown_groups = [g for g in groups if matches(query, g.id, g.vpc_id, g.name, g.description)]
        if shown_groups:
            options.append(header("Security groups: VPC, name"))
        for g in shown_groups:
            mark = "[x]" if g.id in self.groups else "[ ]"
            options.append(Option(row((mark, 3), (g.id, 24), (g.vpc_id or "", 21), (g.name, None)), id=f"g:{g.id}"))
        if (subnets or groups) and not (shown or shown_groups):
            options.append(note("nothing matches"))
        return options

    def status_extra(self) -> Text | None:
        problem = self.conflict()
        return Text(problem, style="bold red") if problem else None

    def chosen(self, option_id: str) -> None:
        kind, _, value = option_id.partition(":")
        if kind == "use":
            if self.conflict():
                self.app.bell()
                self.show()
                return
            self.dismiss((list(self.subnets), list(self.groups)))
            return
        marked = self.subnets if kind == "s" else self.groups
        if value in marked:
            marked.remove(value)
        else:
            marked.append(value)
        self.show()

"""Instance hardware as table cells and as the one-line summary under an InstanceType field.

Facts come from smjob.facts (EC2's DescribeInstanceTypes data); a type without facts shows "?"
in every fact column rather than a guess.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text

from smjob.facts import InstanceFacts, facts_for
from smjob.terminal_text import visible

GAP = 2  # cells between columns


def _num(value: float | None, width: int = 0) -> str:
    """`1,536`, `7.5`: thousands grouped as the NVMe column groups them, unless that overflows `width`."""
    if value is None:
        return "?"
    plain = f"{value:g}" if value != int(value) else str(int(value))
    grouped = f"{value:,g}" if value != int(value) else f"{int(value):,}"
    return plain if width and len(grouped) > width else grouped


def _model(name: str) -> str:
    """ "NVIDIA A10G" -> "A10G": the vendor adds width, not information, in a column of NVIDIA parts."""
    return name.removeprefix("NVIDIA ").strip() or "?"


def _devices(count: int, model: str, memory: float | None, *, unit: str = " GiB", width: int = 0) -> str:
    """`4× A10G 22.4 GiB`; within `width` (when given) the model is cut, never the count or memory."""
    if not count:
        return ""
    name, tail = _model(model), f" {memory:g}{unit}" if memory else ""
    head = f"{count}× "
    room = width - cell_len(head) - cell_len(tail)
    if width and cell_len(name) > room > 1:
        name = name[: room - 1] + "…"
    return head + name + tail


def gpu_text(f: InstanceFacts, *, unit: str = " GiB", width: int = 0) -> str:
    return _devices(f.gpus, f.gpu_model, f.gpu_memory_gib, unit=unit, width=width)


def accel_text(f: InstanceFacts, *, unit: str = " GiB", width: int = 0) -> str:
    return _devices(f.accelerators, f.accelerator_model, f.accelerator_memory_gib, unit=unit, width=width)


def network_short(f: InstanceFacts) -> str:
    """Peak Gbps; "≤" where EC2 says "Up to" (burstable), EC2's word where it gives no number."""
    if f.network_gbps is None:
        return f.network or "?"
    return ("≤" if f.network.lower().startswith("up to") else "") + _num(f.network_gbps)


def facts_line(instance_type: str) -> str | None:
    """`8 vCPU · 32 GiB · 1× A10G 22.4 GiB · NVMe 450 GB · EFA · up to 10 Gbps`, or None without facts."""
    f = facts_for(instance_type)
    if f is None:
        return None
    parts = [f"{_num(f.vcpus)} vCPU", f"{_num(f.memory_gib)} GiB"]
    parts += [t for t in (gpu_text(f), accel_text(f)) if t]
    if f.nvme_gb:
        parts.append(f"NVMe {f.nvme_gb:,} GB")
    if f.efa:
        parts.append("EFA")
    if f.network:
        parts.append(f.network.replace("Gigabit", "Gbps").replace("Up to", "up to"))
    return " · ".join(parts)


@dataclass(frozen=True, slots=True)
class Column:
    key: str  # smjob.facts.query.COLUMNS key: what sorting by this column sorts by
    header: str
    width: int
    priority: int  # columns are dropped from the highest number down until the row fits
    right: bool = False
    wide_only: bool = False  # a wider variant replaces a narrow one when there is room


COLUMNS = (
    Column("type", "TYPE", 21, 0),
    Column("vcpu", "vCPU", 4, 2, right=True),
    Column("mem", "MEM GiB", 7, 1, right=True),
    Column("gpu", "GPUs", 16, 1),
    Column("accel", "ACCELERATORS", 19, 6),
    Column("nvme", "NVMe GB", 7, 3, right=True),
    Column("efa", "EFA", 3, 4),
    Column("net", "Gbps", 5, 5, right=True),  # "≤12.5"; EC2's wording when wide
)
WIDE_GPU, WIDE_NET = 30, 19  # "8× RTX PRO Server 6000 96 GiB"; "16x 200 Gigabit"


def layout(width: int) -> list[Column]:
    """The columns that fit `width` cells, in display order; wider GPU and network columns when
    everything fits with room to spare."""
    shown = list(COLUMNS)

    def total(cols: list[Column]) -> int:
        return sum(c.width for c in cols) + GAP * (len(cols) - 1)

    while total(shown) > width and len(shown) > 1:
        shown.remove(max(shown, key=lambda c: c.priority))
    spare = width - total(shown)
    merged = not any(c.key == "accel" for c in shown)
    out = []
    for c in shown:
        if c.key == "gpu" and merged:
            c = Column(c.key, "GPU/ACCEL", c.width, c.priority)  # Trainium shows here (cell())
        if c.key == "gpu" and spare >= WIDE_GPU - c.width:
            spare -= WIDE_GPU - c.width
            c = Column(c.key, c.header, WIDE_GPU, c.priority, wide_only=True)
        elif c.key == "net" and spare >= WIDE_NET - c.width:
            spare -= WIDE_NET - c.width
            c = Column(c.key, "NETWORK", WIDE_NET, c.priority, wide_only=True)
        out.append(c)
    return out


def cell(column: Column, instance_type: str, f: InstanceFacts | None, columns: list[Column]) -> str:
    if column.key == "type":
        return instance_type
    if f is None:
        return "?"
    unit = " GiB" if column.wide_only else "G"
    match column.key:
        case "vcpu":
            return _num(f.vcpus, column.width)
        case "mem":
            return _num(f.memory_gib, column.width)
        case "gpu":
            # Without an accelerators column, Trainium shows here: those types have no GPU.
            if not f.gpus and not any(c.key == "accel" for c in columns):
                return accel_text(f, unit=unit, width=column.width) or "-"
            return gpu_text(f, unit=unit, width=column.width) or "-"
        case "accel":
            return accel_text(f, unit="G", width=column.width) or "-"
        case "nvme":
            return f"{f.nvme_gb:,}" if f.nvme_gb else "-"
        case "efa":
            return "yes" if f.efa else "-"
        case "net":
            if column.wide_only:
                return f.network or "?"
            short = network_short(f)
            return short if len(short) <= column.width else short.replace(",", "")
    return ""


def _fit(text: str, width: int, right: bool) -> str:
    if cell_len(text) > width:
        text = text[: max(width - 1, 0)] + "…"
    pad = " " * max(width - cell_len(text), 0)
    return pad + text if right else text + pad


def header_text(columns: list[Column], sort: str) -> Text:
    """The header line; the sort column is bold reverse with an arrow in the gap before it
    (▲ names ascending, ▼ numbers biggest first), so marking it costs no width."""
    out = Text(no_wrap=True, overflow="crop")
    for i, c in enumerate(columns):
        sorted_here = c.key == sort
        arrow = "▲" if sort == "type" else "▼"
        label = _fit(c.header, c.width, c.right)
        if i == 0:
            out.append(
                label.rstrip() + (f" {arrow}" if sorted_here else ""), style="bold reverse" if sorted_here else "bold"
            )
            out.append(" " * max(c.width - cell_len(out.plain), 0))
            continue
        out.append(" " * (GAP - 1))
        out.append(arrow if sorted_here else " ", style="bold reverse" if sorted_here else "")
        out.append(label, style="bold reverse" if sorted_here else "bold")
    return out


def row_text(instance_type: str, columns: list[Column]) -> Text:
    f = facts_for(instance_type)
    out = Text(no_wrap=True, overflow="crop")
    for i, c in enumerate(columns):
        if i:
            out.append(" " * GAP)
        value = visible(cell(c, instance_type, f, columns))  # a refreshed table holds what EC2 answered
        out.append(_fit(value, c.width, c.right), style="dim" if value in ("-", "?") and c.key != "type" else "")
    return out

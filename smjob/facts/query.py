"""Filtering and sorting instance types by their facts: the words of `smjob instances gpu>=4 efa`
and of the app's instance picker.

    gpu>=4  mem>=192  vcpu<16  nvme>0  net>=100  gpumem>=40  accel>=1   numeric comparisons
    efa  nvme  gpu  accel                                             the type has it
    !efa  -nvme                                                       the type lacks it
    a10g  trainium  g5  h100                                          text in the type, GPU or accelerator name

Terms are ANDed. A type without facts matches only text terms (its name); every numeric or
feature term needs facts, so such types drop out rather than match by guess.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from smjob.facts import InstanceFacts, facts_for

# column key -> (header, attribute, unit) ; the picker shows these, `--sort` takes the key
COLUMNS: dict[str, tuple[str, str, str]] = {
    "type": ("TYPE", "instance_type", ""),
    "vcpu": ("VCPU", "vcpus", ""),
    "mem": ("MEM GiB", "memory_gib", "GiB"),
    "gpu": ("GPU", "gpus", ""),
    "gpumodel": ("GPU MODEL", "gpu_model", ""),
    "gpumem": ("GPU GiB", "gpu_memory_gib", "GiB"),
    "accel": ("ACCEL", "accelerators", ""),
    "accelmodel": ("ACCEL MODEL", "accelerator_model", ""),
    "nvme": ("NVMe GB", "nvme_gb", "GB"),
    "efa": ("EFA", "efa", ""),
    "net": ("NET Gbps", "network_gbps", "Gbps"),
}
NUMERIC = {"vcpu", "mem", "gpu", "gpumem", "accel", "nvme", "net"}
FEATURES = {"efa": "efa", "nvme": "nvme_gb", "gpu": "gpus", "accel": "accelerators"}
ALIASES = {"memory": "mem", "cpu": "vcpu", "vcpus": "vcpu", "gpus": "gpu", "network": "net", "storage": "nvme"}
_OPS = {">=": operator.ge, "<=": operator.le, "!=": operator.ne, ">": operator.gt, "<": operator.lt, "=": operator.eq}
_COMPARE = re.compile(r"([a-z]+)\s*(>=|<=|!=|==|>|<|=)\s*(\d+(?:\.\d+)?)")


class FilterError(ValueError):
    """A filter term that cannot be read; the message names it and lists what is accepted."""


@dataclass(frozen=True, slots=True)
class Term:
    text: str
    test: Callable[[str, InstanceFacts | None], bool]


def _key(word: str) -> str:
    return ALIASES.get(word, word)


def parse_filter(text: str | Iterable[str]) -> list[Term]:
    """Terms from `gpu>=4 mem>=192 a10g` (a string or already split words). Raises FilterError."""
    words = text.split() if isinstance(text, str) else [w for part in text for w in part.split()]
    joined = " ".join(words)
    # `gpu >= 4` typed with spaces: join the comparison back together before reading terms
    words = [m.group(0).replace(" ", "") for m in re.finditer(r"[a-z]+\s*(?:>=|<=|!=|==|>|<|=)\s*\S+|\S+", joined)]
    return [_term(w.lower()) for w in words]


def _term(word: str) -> Term:
    m = _COMPARE.fullmatch(word)
    if m:
        key, op, number = _key(m[1]), m[2].replace("==", "="), float(m[3])
        if key not in NUMERIC:
            raise FilterError(f"{word!r}: {m[1]!r} is not a numeric column; use one of {', '.join(sorted(NUMERIC))}")
        attr, compare = COLUMNS[key][1], _OPS[op]

        def numeric(_t: str, f: InstanceFacts | None) -> bool:
            value = getattr(f, attr) if f is not None else None
            return value is not None and compare(float(value), number)

        return Term(word, numeric)
    if any(op in word for op in _OPS):
        raise FilterError(f"{word!r} is not a comparison like gpu>=4 or mem>=192")
    negated = word[:1] in "!-" and len(word) > 1
    bare = _key(word[1:] if negated else word)
    if bare in FEATURES:
        attr = FEATURES[bare]

        def feature(_t: str, f: InstanceFacts | None) -> bool:
            return f is not None and bool(getattr(f, attr)) != negated

        return Term(word, feature)
    if negated:
        raise FilterError(f"{word!r}: only {', '.join(sorted(FEATURES))} can be negated")

    def text(instance_type: str, f: InstanceFacts | None) -> bool:
        names = [instance_type]
        if f is not None:
            names += [f.gpu_model, f.accelerator_model]
        return any(word in n.lower() for n in names)

    return Term(word, text)


def matches(terms: list[Term], instance_type: str, facts: InstanceFacts | None = None) -> bool:
    facts = facts if facts is not None else facts_for(instance_type)
    return all(t.test(instance_type, facts) for t in terms)


def select(instance_types: Iterable[str], filter_text: str | Iterable[str] = "", sort: str | None = None) -> list[str]:
    """The types that pass the filter, sorted by a column (descending for numbers) or by name."""
    terms = parse_filter(filter_text) if filter_text else []
    chosen = [t for t in instance_types if matches(terms, t)]
    return sort_types(chosen, sort)


def sort_types(instance_types: list[str], sort: str | None) -> list[str]:
    from smjob.instances import sort_key

    by_name = sorted(instance_types, key=sort_key)
    if not sort or _key(sort) == "type":
        return by_name
    key = _key(sort.lower())
    if key not in COLUMNS:
        raise FilterError(f"no column {sort!r}; columns: {', '.join(COLUMNS)}")
    attr = COLUMNS[key][1]

    def value(t: str):
        f = facts_for(t)
        v = getattr(f, attr) if f is not None else None
        return (v is None, v if not isinstance(v, str) else v.lower())

    if key in NUMERIC or key == "efa":  # biggest first; types without facts last
        return sorted(by_name, key=lambda t: (value(t)[0], -(float(value(t)[1] or 0))))
    return sorted(by_name, key=value)


def row(instance_type: str) -> dict:
    """One row for a table or JSON: the type and its facts (None where unknown)."""
    f = facts_for(instance_type)
    out = {"instance_type": instance_type, "facts": f is not None}
    for _header, attr, _unit in COLUMNS.values():
        if attr != "instance_type":
            out[attr] = getattr(f, attr) if f is not None else None
    if f is not None:
        out["network"] = f.network
    return out

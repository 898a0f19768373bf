"""Example CreateTrainingJob requests shipped with the package (one `<name>.json` file each).

Every example is valid against botocore's model (patterns, enums, limits), uses account
123456789012 and us-east-1, and keeps each object's keys in the API's member order.
"""

from __future__ import annotations

import json
from importlib import resources

_SUFFIX = ".json"


def _files():
    return resources.files(__name__)


def names() -> list[str]:
    """The example names, sorted: `byoc-vpc`, `pytorch-gpu`, ..."""
    return sorted(
        entry.name[: -len(_SUFFIX)] for entry in _files().iterdir() if entry.name.endswith(_SUFFIX) and entry.is_file()
    )


def load_example(name: str) -> dict:
    """A fresh copy of the named example (`pytorch-gpu` or `pytorch-gpu.json`)."""
    stem = name[: -len(_SUFFIX)] if name.endswith(_SUFFIX) else name
    available = names()
    if stem not in available:
        raise ValueError(f"unknown example {name!r}; available examples: {', '.join(available)}")
    return json.loads(_files().joinpath(stem + _SUFFIX).read_text(encoding="utf-8"))

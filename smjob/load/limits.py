"""Size and nesting limits for hostile input, and the messages that explain them."""

from __future__ import annotations

MAX_BYTES = 10 * 1024 * 1024  # HyperParameters alone can reach ~300 KB; 10 MB is generous
MAX_DEPTH = 100  # a CreateTrainingJob request is at most ~7 levels deep
MAX_YAML_NODES = 200_000  # values after expanding YAML aliases (a "billion laughs" guard)


def too_big(size: int | None, limit: int, unit: str = "bytes") -> str:
    if size is None:
        what = f"more than {_human(limit)}"
    elif unit == "bytes":
        what = _human(size)
    else:
        what = f"{size:,} {unit}"
    return (
        f"the file is {what}; the limit is {_human(limit)}. A request is a few KB "
        "(a few hundred KB with very large hyperparameters), so this is probably not a request file"
    )


def _human(size: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size} {unit}" if unit == "bytes" else f"{size:.1f} {unit}".replace(".0 ", " ")
        size /= 1024
    return f"{size} bytes"  # pragma: no cover


def too_deep() -> str:
    return (
        f"the document nests deeper than {MAX_DEPTH} levels; a CreateTrainingJob request is at most about 7 levels deep"
    )

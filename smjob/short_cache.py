"""A cache for functions of one user-typed string that never keeps a long one.

`functools.lru_cache` keyed by what the user typed keeps every version of a field: typing into a
field holding 1 MB makes a new 1 MB string per key, and a 256-entry cache held 256 MB of them.
Long strings are computed each time instead (they are rare, and their result is rarely reused).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, wraps
from typing import TypeVar

T = TypeVar("T")
LONGEST = 1024  # characters: instance types, image references and metric regexes are far shorter


def short_cache(maxsize: int) -> Callable[[Callable[[str], T]], Callable[[str], T]]:
    def decorate(function: Callable[[str], T]) -> Callable[[str], T]:
        cached = lru_cache(maxsize=maxsize)(function)

        @wraps(function)
        def call(text: str) -> T:
            return cached(text) if len(text) <= LONGEST else function(text)

        call.cache_info = cached.cache_info  # type: ignore[attr-defined]
        call.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
        return call

    return decorate

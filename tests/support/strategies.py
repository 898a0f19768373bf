"""Hypothesis strategies that build requests from the smjob schema tree (smjob.schema.Node).

    from smjob.schema import request_schema
    from tests.support.strategies import requests_from_schema, tricky_text

    @given(requests_from_schema(request_schema(), text_strategy=tricky_text))
    def test_something(request): ...

`requests_from_schema(node, ...)` works for any node (the whole request, or one member):
structures get a random subset of their optional members plus every required one, lists and
maps get up to `max_list` / `max_map` entries, scalars are drawn by kind. Values always have the
type botocore expects (str, int, bool, float); patterns and enums are ignored unless asked for.

With `respect_limits=True` every string length, integer value, list length and map size lies
within the model's min/max (botocore's validator checks the minimums), so the requests pass
botocore's own parameter validation; with `respect_limits=False` sizes ignore the model.
"""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import strategies as st

# Characters that matter to shorthand, JSON, the shell or argparse, plus some plain ones.
TRICKY_CHARS = (
    ",",
    "=",
    "'",
    '"',
    "\\",
    "[",
    "]",
    "{",
    "}",
    " ",
    "\t",
    "\n",
    "@",
    "#",
    ":",
    "/",
    "é",
    "😀",
    "-",
    ".",
    "_",
    "+",
    "$",
    "`",
    "!",
    "*",
    "?",
    ";",
    "&",
    "|",
    "(",
    ")",
    "<",
    ">",
    "~",
    "%",
    "^",
    "\r",
)
PLAIN_CHARS = "abcXYZ019"
# Characters a shorthand value may hold unquoted, for strings that are "almost bare".
BARE_CHARS = "ab1-._:/@+"
# Multi-character pieces whose parts rarely meet by chance: escapes, quote/comma pairs, ...
TRICKY_TOKENS = (
    "\\\\",
    '\\"',
    "\\'",
    "\\,",
    '",',
    "',",
    "=,",
    ",=",
    "\\d",
    "[]",
    "{}",
    "a=b",
    "x,y=z",
    "=[",
    "={",
    " ,",
    ", ",
    "file://",
    "http://",
    "--",
    "true",
    "\r\n",
    "\\\\'",
    '\\\\"',
    "'\"'",
)
# Prefixes that change how a whole argument or a shorthand value is read.
TRICKY_PREFIXES = (
    "file://",
    "fileb://",
    "http://",
    "https://",
    "-",
    "--",
    "[",
    "{",
    " ",
    "s3://",
    "\\",
    '"',
    "'",
)
# Endings that matter to a quoted value (a final backslash escapes the closing quote).
TRICKY_SUFFIXES = ("\\", "\\\\", '"', "'", " ", "\n", ",", '\\"', "\\'")
SHORTHAND_KEY_CHARS = "abcXYZ019_.#/:-"

TextFactory = Callable[[int, int | None], st.SearchStrategy[str]]

_TRICKY_PIECE = st.one_of(
    st.sampled_from(TRICKY_CHARS),
    st.sampled_from(PLAIN_CHARS),
    st.sampled_from(TRICKY_TOKENS),
    st.characters(exclude_categories=("Cs",)),  # any other code point, NUL and controls included
)
_NEAR_BARE_PIECE = st.sampled_from(list(BARE_CHARS) * 3 + [",", " ", "=", "'", '"', "\\", "]", "}", "é"])
_EDGE = st.sampled_from([" ", "\t", "\n", ",", "=", "'", '"', "\\", "[", "]", "{", "}", "", "-", "é", "😀"])
_BARE_TEXT = st.text(st.sampled_from(BARE_CHARS), max_size=6)


def tricky_text(min_size: int = 0, max_size: int | None = None, *, max_pieces: int = 10) -> st.SearchStrategy[str]:
    """Short strings heavy in shorthand/shell metacharacters.

    A text factory: call it with (min_size, max_size) for a strategy honouring that length.
    Each string is built from tricky characters and multi-character pieces (escapes,
    quote-comma pairs, ...), or is "almost bare" (plain characters with the odd special one,
    or with one at either end); about one in four gets a tricky prefix (`file://`, `-`, ...)
    and one in five a tricky ending (`\\`, a quote, ...).
    """
    body = st.one_of(
        st.lists(_TRICKY_PIECE, max_size=max_pieces).map("".join),
        st.lists(_NEAR_BARE_PIECE, max_size=max_pieces).map("".join),
        st.tuples(_EDGE, _BARE_TEXT, _EDGE).map("".join),
    )
    no_prefix = st.just("")
    prefix = st.one_of(no_prefix, no_prefix, no_prefix, st.sampled_from(TRICKY_PREFIXES))
    suffix = st.one_of(no_prefix, no_prefix, no_prefix, no_prefix, st.sampled_from(TRICKY_SUFFIXES))

    def fit(parts: tuple[str, str, str]) -> str:
        text = "".join(parts)
        if max_size is not None and len(text) > max_size:
            text = text[:max_size]
        if len(text) < min_size:
            text += "a" * (min_size - len(text))
        return text

    return st.tuples(prefix, body, suffix).map(fit)


TRICKY_ALPHABET = "".join(sorted(set(PLAIN_CHARS + BARE_CHARS).union(c for c in TRICKY_CHARS if len(c) == 1)))
# At most one tricky prefix, token or ending, each equally likely; none half of the time.
_DECORATIONS = (
    [(p, "", "") for p in TRICKY_PREFIXES]
    + [("", t, "") for t in TRICKY_TOKENS]
    + [("", "", e) for e in TRICKY_SUFFIXES]
)
_DECORATION = st.sampled_from([("", "", "")] * len(_DECORATIONS) + _DECORATIONS)


def quick_tricky_text(min_size: int = 0, max_size: int | None = None, *, max_run: int = 6) -> st.SearchStrategy[str]:
    """A cheaper `tricky_text` (a text factory too): three draws per string, not two per piece.

    Two runs of tricky and plain characters (`TRICKY_ALPHABET`, so escapes and quote/comma
    pairs also arise from neighbours), half the time with one decoration: a tricky prefix
    (`file://`, `-`, ...), a multi-character token between the runs (`\\"`, `",`, ...) or a
    tricky ending (`\\`, a quote, ...). Cut or padded to the length asked for.
    """
    run = st.text(TRICKY_ALPHABET, max_size=max_run)

    def build(parts) -> str:
        (prefix, token, ending), first, second = parts
        text = prefix + first + token + second + ending
        if max_size is not None and len(text) > max_size:
            text = text[:max_size]
        return text + "a" * (min_size - len(text)) if len(text) < min_size else text

    return st.tuples(_DECORATION, run, run).map(build)


KEY_PREFIXES = ("file://", "fileb://", "http://", "https://", "-", "--", "#")


def plain_key(min_size: int = 1, max_size: int | None = None) -> st.SearchStrategy[str]:
    """Map keys shorthand can write bare ([A-Za-z0-9_.#/:-]+), some starting like `file://` or `-`."""
    lo = max(min_size, 1)
    hi = max(lo, 10 if max_size is None else min(10, max_size))
    text = st.text(st.sampled_from(SHORTHAND_KEY_CHARS), min_size=lo, max_size=hi)
    prefixed = (
        st.tuples(st.sampled_from(KEY_PREFIXES), text)
        .map("".join)
        .filter(lambda k: max_size is None or len(k) <= max_size)
    )
    return st.one_of(text, text, text, prefixed)


def _as_factory(text_strategy) -> TextFactory:
    if text_strategy is None:
        return tricky_text
    if isinstance(text_strategy, st.SearchStrategy):
        fixed = text_strategy

        def factory(min_size: int, max_size: int | None) -> st.SearchStrategy[str]:
            if min_size <= 0 and max_size is None:
                return fixed
            return fixed.filter(lambda s: len(s) >= min_size and (max_size is None or len(s) <= max_size))

        return factory
    return text_strategy


_NO_MORE = 1 << 30  # a gap past any structure's last member


def _gap_table(probability: float, slots: int = 1000) -> tuple[int, ...]:
    """Equally likely gaps between present optional members, when each is present on its own
    with `probability`: the geometric distribution in `slots` steps. "No more members" comes
    first and longer gaps before shorter ones, so shrinking (toward index 0) drops members."""
    counts: list[int] = []
    left = slots
    while True:
        share = round(slots * probability * (1 - probability) ** len(counts))
        if share <= 0 or share > left:
            break
        counts.append(share)
        left -= share
    table = [_NO_MORE] * left
    for gap in reversed(range(len(counts))):
        table += [gap] * counts[gap]
    return tuple(table)


def requests_from_schema(
    node,
    *,
    text_strategy: st.SearchStrategy[str] | TextFactory | None = None,
    key_strategy: st.SearchStrategy[str] | TextFactory | None = None,
    max_list: int = 3,
    max_map: int = 3,
    optional_probability: float = 0.3,
    respect_limits: bool = False,
    use_enums: bool = False,
    int_strategy: st.SearchStrategy[int] | None = None,
) -> st.SearchStrategy:
    """A strategy of values for `node` (a dict for the request root).

    text_strategy: a strategy of str, or a factory `(min_size, max_size) -> strategy` (preferred
        with respect_limits, since filtering a plain strategy by length can be slow). Default:
        `tricky_text`.
    key_strategy: the same for map keys. Default: a mix of plain shorthand keys and
        text_strategy keys (spaces, quotes, `file://...`, empty, ...).
    max_list / max_map: upper bounds on list lengths and map sizes (a model minimum above it
        wins when respect_limits is set).
    optional_probability: chance that each optional structure member is present.
    respect_limits: keep string lengths, integer values, list lengths and map sizes inside the
        model's min/max.
    use_enums: draw enum-typed strings from their allowed values.
    int_strategy: integers to use when no limits apply (default: any int, small ones favoured).
    """
    text = _as_factory(text_strategy)
    if key_strategy is None:

        def keys(min_size: int, max_size: int | None) -> st.SearchStrategy[str]:
            return plain_key(min_size, max_size) | text(min_size, max_size)
    else:
        keys = _as_factory(key_strategy)
    ints = int_strategy if int_strategy is not None else (st.integers(-5, 100) | st.integers())
    gaps = st.sampled_from(_gap_table(optional_probability))
    cache: dict[int, st.SearchStrategy] = {}

    def bounds(n):
        if not respect_limits:
            return None, None
        lo = None if n.min is None else int(n.min)
        hi = None if n.max is None else int(n.max)
        return lo, hi

    def size_range(n, cap: int) -> tuple[int, int]:
        lo, hi = bounds(n)
        lo = max(lo or 0, 0)
        top = cap if hi is None else min(hi, cap)
        return lo, max(lo, top)

    def for_node(n) -> st.SearchStrategy:
        hit = cache.get(id(n))
        if hit is None:
            hit = cache[id(n)] = st.deferred(lambda: build(n))
        return hit

    def build(n) -> st.SearchStrategy:
        kind = n.kind
        if kind == "structure":
            return structure(n)
        if kind == "list":
            lo, hi = size_range(n, max_list)
            return st.lists(for_node(n.item), min_size=lo, max_size=hi)
        if kind == "map":
            lo, hi = size_range(n, max_map)
            klo, khi = bounds(n.key)
            return st.dictionaries(keys(klo or 0, khi), for_node(n.value), min_size=lo, max_size=hi)
        if kind == "string":
            if use_enums and n.enum:
                return st.sampled_from(n.enum)
            lo, hi = bounds(n)
            return text(lo or 0, hi)
        if kind in ("integer", "long"):
            lo, hi = bounds(n)
            if lo is None and hi is None:
                return ints
            return st.integers(min_value=lo, max_value=hi)
        if kind == "boolean":
            return st.booleans()
        if kind in ("float", "double"):
            lo, hi = bounds(n)
            return st.floats(min_value=lo, max_value=hi, allow_nan=False, allow_infinity=False)
        raise NotImplementedError(f"no strategy for {kind} ({n.shape})")

    def structure(n) -> st.SearchStrategy:
        members = n.members
        optional = [m.name for m in members if not m.required]

        @st.composite
        def draw_structure(draw) -> dict:
            # One draw per present optional member (plus one), not one per optional member:
            # each draw is the number of optional members skipped before the next present one.
            present = set()
            i = draw(gaps)
            while i < len(optional):
                present.add(optional[i])
                i += 1 + draw(gaps)
            out = {}
            for m in members:
                if m.required or m.name in present:
                    out[m.name] = draw(for_node(m))
            return out

        return draw_structure()

    return for_node(node)

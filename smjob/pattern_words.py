"""A model pattern in words: what a value should look like, and what is wrong with this one.

`arn:aws[a-z\\-]*:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+` becomes
"the account has 11 digits; it needs 12; expected arn:aws:iam::<12-digit account>:role/<name>".

Everything is derived from the pattern: it is parsed (the subset of Java regex the model uses) into
a small NFA over single-character tests, the value is run through it, and the place where no state
survives says what went wrong (a character that is not allowed, a count too short or too long, an
end that comes too early). ARN patterns name their parts (partition, service, region, account,
resource) by position; other patterns by their groups: Java's named groups `(?<repository>...)` in
smjob's own patterns, or a table naming a model pattern's capturing groups, so a value can be told
"the bucket name is missing". Only examples and part names, which no pattern can give, come from
tables keyed by the botocore shape name. Anything the parser does not know gives None: the caller
keeps the regex.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from smjob.javaregex import PatternError, compile_java
from smjob.terminal_text import visible

# Examples by shape name (a pattern cannot say that subnet IDs start with "subnet-").
EXAMPLES = {
    "RoleArn": "arn:aws:iam::123456789012:role/SageMakerRole",
    "S3Uri": "s3://my-bucket/train/",
    "SubnetId": "subnet-0123456789abcdef0",
    "SecurityGroupId": "sg-0123456789abcdef0",
    "KmsKeyId": "alias/my-key or a key ID or key ARN",
    "TrainingJobName": "resnet50-run-7",
    "ExperimentEntityName": "my-experiment",
    "TagKey": "team",
    "TagValue": "ml-research",
    "TrainingEnvironmentKey": "WANDB_MODE",
    "ChannelName": "train",
    "FileSystemId": "fs-0123456789abcdef0",
    "SequenceLength": "8K",
    "TrainingPlanArn": "arn:aws:sagemaker:us-east-1:123456789012:training-plan/my-plan",
    "TrainingRepositoryCredentialsProviderArn": "arn:aws:lambda:us-east-1:123456789012:function:creds",
}
# Placeholders where a pattern's own text would read worse than a name.
TEMPLATES = {"S3Uri": "s3://<bucket>/<prefix> (or https://)"}
# Names of a model pattern's capturing groups, in order (None: not a part worth naming).
PARTS = {"S3Uri": (None, "bucket name", None)}
ARN_PARTS = ("arn", "partition", "service", "region", "account", "resource")
SHORT_START = 10  # a start this short is quoted ("missing after 's3://'"), a longer one is counted
MAX_COPIES = 64  # {m,n} beyond this is read as unbounded: the length limit reports it anyway
_NAME_IDIOM = re.compile(r"\[a-zA-Z0-9\]\(-\*\[a-zA-Z0-9\]\)\{0,(\d+)\}")


class _Unknown(ValueError):
    """A pattern construct this module does not describe."""


# --- parsing: lit(ch) | set(src) | seq[...] | alt[...] | rep(node, lo, hi) | look(src) | part(name) --


@dataclass
class N:
    kind: str
    text: str = ""
    items: list = field(default_factory=list)
    lo: int = 1
    hi: int | None = 1


class _Parser:
    def __init__(self, pattern: str, names: tuple = ()) -> None:
        self.p, self.i = pattern, 0
        self.names, self.groups = names, 0  # names of the capturing groups, by position

    def parse(self) -> N:
        node = self.alt()
        if self.i != len(self.p):
            raise _Unknown(self.p)
        return node

    def alt(self) -> N:
        branches = [self.seq()]
        while self.i < len(self.p) and self.p[self.i] == "|":
            self.i += 1
            branches.append(self.seq())
        return branches[0] if len(branches) == 1 else N("alt", items=branches)

    def seq(self) -> N:
        items = []
        while self.i < len(self.p) and self.p[self.i] not in "|)":
            items.append(self.quantified(self.atom()))
        return items[0] if len(items) == 1 else N("seq", items=items)

    def atom(self) -> N:
        p, i = self.p, self.i
        c = p[i]
        if c == "(":
            for look in ("(?<!", "(?<=", "(?=", "(?!"):
                if p.startswith(look, i):
                    self.i += len(look)
                    inner = self.alt()
                    self._close()
                    return N("look", text=p[i : self.i], items=[inner])
            name = None
            if p.startswith("(?<", i) and p[i + 3 : i + 4].isalpha():  # Java's named group
                self.i = p.index(">", i) + 1
                name = p[i + 3 : self.i - 1]
            else:
                self.i += 3 if p.startswith("(?:", i) else 1
                if p[self.i - 1] == "?":
                    raise _Unknown(p)
            if p[i + 1] != "?" or name:
                self.groups += 1
                name = name or (self.names[self.groups - 1] if self.groups <= len(self.names) else None)
            inner = self.alt()
            self._close()
            return N("part", text=name, items=[inner]) if name else inner
        if c == "[":
            j = i + 1 + (p[i + 1 : i + 2] == "^")
            j += p[j : j + 1] == "]"
            while j < len(p) and p[j] != "]":
                if p[j] == "[":
                    raise _Unknown(p)  # nested or intersected classes
                j += 2 if p[j] == "\\" else 1
            self.i = j + 1
            return N("set", text=p[i : j + 1])
        if c == "\\":
            nxt = p[i + 1 : i + 2]
            if nxt in ("p", "P") and p[i + 2 : i + 3] == "{":
                self.i = p.index("}", i) + 1
                return N("set", text=p[i : self.i])
            self.i += 2
            if nxt in "dDwWsS":
                return N("set", text=p[i : i + 2])
            if nxt.isalnum():
                raise _Unknown(p)  # \b, \uXXXX...: not met in the model's patterns
            return N("lit", text=nxt)
        self.i += 1
        if c == ".":
            return N("set", text=".")
        if c in "^$":
            return N("seq")
        if c in "*+?{":
            raise _Unknown(p)
        return N("lit", text=c)

    def _close(self) -> None:
        if self.p[self.i : self.i + 1] != ")":
            raise _Unknown(self.p)
        self.i += 1

    def quantified(self, node: N) -> N:
        p = self.p
        m = re.compile(r"\?|\*|\+|\{(\d+)(,(\d*))?\}").match(p, self.i)
        if not m:
            return node
        self.i = m.end()
        if p[self.i : self.i + 1] in ("?", "+"):
            self.i += 1  # lazy or possessive: the same strings match
        q = m.group(0)
        lo, hi = {"?": (0, 1), "*": (0, None), "+": (1, None)}.get(q, (None, None))
        if lo is None:
            lo = int(m.group(1))
            hi = lo if m.group(2) is None else (int(m.group(3)) if m.group(3) else None)
        return N("rep", items=[node], lo=lo, hi=hi)


# --- character classes in words ------------------------------------------------------------------

_ESCAPES = {
    "\\d": ["digits"],
    "\\w": ["letters", "digits", "_"],
    "\\s": ["whitespace"],
    "\\p{Alnum}": ["letters", "digits"],
    "\\p{Alpha}": ["letters"],
    "\\p{L}": ["letters"],
    "\\p{N}": ["digits"],
    "\\p{Z}": ["spaces"],
    "\\p{Digit}": ["digits"],
}
_RANGES = {"a-z": "lowercase letters", "A-Z": "capital letters", "0-9": "digits"}
_ONE = {
    "digits": "a digit",
    "letters": "a letter",
    "lowercase letters": "a lowercase letter",
    "capital letters": "a capital letter",
    "spaces": "a space",
    "whitespace": "whitespace",
}


def _class_words(src: str) -> tuple[list[str], bool]:
    """(phrases, negated): `[a-zA-Z0-9\\-_]` -> (["letters", "digits", "- _"], False)."""
    if src == ".":
        return ["any character"], False
    if src in ("\\S", "\\D", "\\W"):
        return [{"\\S": "whitespace", "\\D": "digits", "\\W": "letters, digits and _"}[src]], True
    if not src.startswith("["):
        return list(_ESCAPES.get(src, [src])), False
    body, negated = src[1:-1], src.startswith("[^")
    body = body[1:] if negated else body
    words: list[str] = []
    singles: list[str] = []
    items = re.findall(r"\\p\{\w+\}|\\.|.", body)
    k = 0
    while k < len(items):
        item = items[k]
        if k + 2 < len(items) and items[k + 1] == "-" and len(item) <= 2 and len(items[k + 2]) <= 2:
            span = f"{item[-1]}-{items[k + 2][-1]}"
            words.append(_RANGES.get(span, span))
            k += 3
            continue
        if item in _ESCAPES:
            words += _ESCAPES[item]
        elif item == "\\S":
            words.append("any character but whitespace")
        else:
            singles.append(item[-1])
        k += 1
    if "lowercase letters" in words and "capital letters" in words:
        words = ["letters" if w == "lowercase letters" else w for w in words if w != "capital letters"]
    words = list(dict.fromkeys(words))
    singles = list(dict.fromkeys(singles))
    if singles:
        words.append(" ".join(singles))
    return words, negated


def _join(words: list[str], last: str = "and") -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {last} {words[-1]}"


def _plural(src: str) -> str:
    words, negated = _class_words(src)
    return f"any character but {_join(words, 'or')}" if negated else _join(words)


def _singular(src: str) -> str:
    words, negated = _class_words(src)
    if negated:
        return f"any character but {_join(words, 'or')}"
    return _join([_ONE.get(w) or _one_of(w) for w in words], "or")


def _one_of(chars: str) -> str:
    return f"'{chars}'" if len(chars) == 1 else f"one of {chars}"


@cache
def _tester(src: str):
    try:
        return compile_java(src).fullmatch
    except PatternError:
        return compile_java(src + "{1}").fullmatch  # a lone category class (the Tags')


# --- the NFA ---------------------------------------------------------------------------------------


@dataclass
class _State:
    test: str | None = None  # a literal character or a class source; None: an epsilon state
    literal: bool = False
    out: list[int] = field(default_factory=list)
    run: tuple | None = None  # (run id, copy index, lo, hi, class src) inside a counted class
    part: str | None = None  # the named part of the pattern the state is in


class _Nfa:
    def __init__(self, root: N) -> None:
        self.states: list[_State] = [_State()]  # 0 accepts
        self.lookbehinds: list[str] = []
        self._runs = 0
        self._part: str | None = None
        self.part_exits: dict[str, list[int]] = {}  # where each named part's match goes on
        self.start = self.build(root, 0)

    def _new(self, **kwargs) -> int:
        self.states.append(_State(**kwargs, part=self._part))
        return len(self.states) - 1

    def build(self, node: N, out: int, run: tuple | None = None) -> int:
        kind = node.kind
        if kind in ("lit", "set"):
            return self._new(test=node.text, literal=kind == "lit", out=[out], run=run)
        if kind == "seq":
            for item in reversed(node.items):
                out = self.build(item, out)
            return out
        if kind == "alt":
            return self._new(out=[self.build(b, out) for b in node.items])
        if kind == "look":
            self.lookbehinds.append(node.text)
            return out
        if kind == "part":
            self.part_exits.setdefault(node.text, []).append(out)
            outer, self._part = self._part, node.text
            try:
                return self.build(node.items[0], out, run)
            finally:
                self._part = outer
        inner, lo, hi = node.items[0], node.lo, node.hi
        if lo > MAX_COPIES:
            raise _Unknown("too many copies")
        if hi is not None and hi > MAX_COPIES:
            hi = None
        counted = inner.kind in ("set", "lit")
        self._runs += 1
        rid = self._runs

        def tag(k: int):
            return (rid, k, lo, hi, inner.text) if counted else None

        if hi is None:
            loop = self._new()
            self.states[loop].out = [self.build(inner, loop, tag(lo)), out]
            cur = loop
        else:
            cur = out
            for k in reversed(range(lo, hi)):
                cur = self._new(out=[self.build(inner, cur, tag(k)), out])
        for k in reversed(range(lo)):
            cur = self.build(inner, cur, tag(k))
        return cur

    def closure(self, starts) -> set[int]:
        seen, todo = set(), list(starts)
        while todo:
            s = todo.pop()
            if s in seen:
                continue
            seen.add(s)
            if self.states[s].test is None:
                todo.extend(self.states[s].out)
        return seen

    def accepts_char(self, s: int, ch: str) -> bool:
        st = self.states[s]
        return ch == st.test if st.literal else _tester(st.test)(ch) is not None


@dataclass(frozen=True)
class Described:
    problem: str  # what is wrong with this value ("" when nothing specific was found)
    expected: str  # the form, e.g. arn:aws:iam::<12-digit account>:role/<name>
    example: str = ""

    def message(self) -> str:
        tail = f"expected {self.expected}" + (f", e.g. {self.example}" if self.example else "")
        return f"{self.problem}; {tail}" if self.problem else f"does not have the expected form; {tail}"


@cache
def _compiled(pattern: str, names: tuple = ()) -> tuple[N, _Nfa] | None:
    try:
        root = _Parser(pattern, names).parse()
        return root, _Nfa(root)
    except (_Unknown, PatternError, IndexError, ValueError):
        return None


def describe(pattern: str, value: str, shape: str = "") -> Described | None:
    """Words for `value` failing `pattern` (a model pattern, full match), or None if unknown."""
    compiled = _compiled(pattern, PARTS.get(shape, ()))
    if compiled is None or not isinstance(value, str):
        return None
    root, nfa = compiled
    expected = TEMPLATES.get(shape) or template(pattern)
    return Described(_diagnose(nfa, root, pattern, value), expected, EXAMPLES.get(shape, ""))


# --- the expected form -------------------------------------------------------------------------------


def _flat(node: N) -> list[N]:
    """The pattern as one sequence (groups and single-branch seqs unwrapped)."""
    if node.kind == "seq":
        return [x for item in node.items for x in _flat(item)]
    if node.kind == "part":
        return _flat(node.items[0])
    return [node]


def _essential(items: list[N]) -> list[N]:
    """Without lookarounds and optional groups (an ARN prefix before a name)."""
    return [n for n in items if n.kind != "look" and not (n.kind == "rep" and n.hi == 1 and n.items[0].kind == "seq")]


def _is_class_only(items: list[N]) -> bool:
    items = _essential(items)
    return bool(items) and all(n.kind == "set" or (n.kind == "rep" and n.items[0].kind == "set") for n in items)


def _count(node: N) -> str:
    lo, hi = node.lo, node.hi
    if hi is None:
        return "" if lo <= 1 else f"{lo} or more "
    if lo == hi:
        return f"{lo} "
    return f"up to {hi} " if lo == 0 else f"{lo} to {hi} "


@cache
def template(pattern: str) -> str:
    m = _NAME_IDIOM.fullmatch(pattern)
    if m:
        return f"up to {int(m.group(1)) + 1} letters, digits and hyphens, starting and ending with a letter or digit"
    compiled = _compiled(pattern)
    if compiled is None:
        return f"a value matching {pattern}"
    items = _flat(compiled[0])
    if _is_class_only(items):
        parts = [
            _singular(n.text) if n.kind == "set" else _count(n) + _plural(n.items[0].text) for n in _essential(items)
        ]
        return ", then ".join(parts)
    arn = _is_arn(compiled[0])
    out: list[str] = []
    for node in items:
        _render(node, out, arn)
    return "".join(out)


def _render(node: N, out: list[str], arn: bool) -> None:
    text = "".join(out)
    part = ARN_PARTS[min(text.count(":"), len(ARN_PARTS) - 1)] if arn else ""
    in_part = bool(text) and not text.endswith((":", "/"))
    if node.kind == "lit":
        out.append(node.text)
    elif node.kind == "part":
        _render(node.items[0], out, arn)
    elif node.kind in ("seq",):
        for item in node.items:
            _render(item, out, arn)
    elif node.kind == "alt":
        literal = [b for b in node.items if all(x.kind == "lit" for x in _flat(b))]
        branch = min(literal, key=lambda b: len(_flat(b))) if literal else node.items[0]
        _render(branch, out, arn)
    elif node.kind == "rep" and node.hi == 1 and node.items[0].kind == "lit":
        out.append(node.items[0].text)  # an optional `/`: shown
    elif node.kind == "rep" and node.lo == 0 and (node.hi == 1 or in_part):
        return  # optional pieces (a `/?`, a `-cn` after `aws`) are left out
    elif node.kind in ("set", "rep"):
        inner = node.items[0] if node.kind == "rep" else node
        if inner.kind != "set":
            for item in _flat(inner):
                _render(item, out, arn)
            return
        if arn and part == "partition":
            out.append("aws")
        elif arn and part == "account" and node.lo == node.hi:
            out.append(f"<{node.lo}-digit account>")
        elif arn and part in ("region", "service", "account"):
            out.append(f"<{part}>")
        elif arn:
            out.append("<name>")
        else:
            count = _count(node) if node.kind == "rep" else ""
            words = _singular(inner.text) if node.kind == "set" else _plural(inner.text)
            out.append(f"<{count}{words}>")


# --- what is wrong ---------------------------------------------------------------------------------


def char_words(ch: str) -> str:
    if ch == " ":
        return "a space"
    if ch == "\t":
        return "a tab"
    if ch in "\n\r":
        return "a line break"
    if not ch.isprintable() and visible(ch) == ch:  # unassigned, private use: named by code point
        return f"U+{ord(ch):04X}"
    return f"'{visible(ch)}'"


def _prefixes(root: N) -> list[str]:
    """The literal starts every match has: ["s3://", "https://"], ["arn:aws"]."""
    starts = [""]
    for node in _flat(root):
        if node.kind == "lit":
            starts = [s + node.text for s in starts]
        elif node.kind == "alt" and all(all(x.kind == "lit" for x in _flat(b)) for b in node.items):
            starts = [s + "".join(x.text for x in _flat(b)) for s in starts for b in node.items]
        else:
            break
    return sorted((s for s in starts if s), key=len)


def _is_arn(root: N) -> bool:
    return any(p.startswith("arn:") for p in _prefixes(root))


def _diagnose(nfa: _Nfa, root: N, pattern: str, value: str) -> str:
    prefixes = _prefixes(root)
    started = any(value.startswith(p) for p in prefixes) or (value and any(p.startswith(value) for p in prefixes))
    if prefixes and not started:
        scheme = "://" in prefixes[0] and ":" not in value
        what = "has no scheme: start with" if scheme else "must start with"
        return f"{what} {_join(prefixes, 'or')}"
    arn = _is_arn(root)
    live = nfa.closure([nfa.start])
    consumed: set[int] = set()
    for i, ch in enumerate(value):
        moved = {s for s in live if nfa.states[s].test is not None and nfa.accepts_char(s, ch)}
        if not moved:
            in_words = _is_class_only(_flat(root)) or _NAME_IDIOM.fullmatch(pattern) is not None
            return _wrong_char(nfa, value, i, live, consumed, arn, in_words)
        consumed = moved
        live = nfa.closure(o for s in moved for o in nfa.states[s].out)
    if 0 in live:
        for look in nfa.lookbehinds:
            if look.startswith("(?<!") and pattern.endswith(look):
                return f"must not end with {char_words(look[4:-1].replace(chr(92), ''))}"
        return ""
    short = _missing(nfa, value, len(value), live, consumed) or _too_few(nfa, value, len(value), live, arn)
    if short:
        return short
    following = _next_literal(nfa, live)
    if following:
        return f"ends too early: {following!r} and what follows it are missing"
    if value:
        return f"cannot end with {char_words(value[-1])}"
    return f"is empty; expected {_expected(nfa, live)}"


def _part_name(nfa: _Nfa, states) -> str | None:
    """The named part every one of `states` is in, if they share one."""
    parts = {nfa.states[s].part for s in states if nfa.states[s].test is not None}
    return parts.pop() if len(parts) == 1 and None not in parts else None


def _part(nfa: _Nfa, states, value: str, i: int, arn: bool) -> str:
    """The part as a subject ("the account "): an ARN's by position, else the named part of `states`;
    "" if none."""
    if arn:
        return f"the {ARN_PARTS[min(value[:i].count(':'), len(ARN_PARTS) - 1)]} "
    name = _part_name(nfa, states)
    return f"the {name} " if name else ""


def _missing(nfa: _Nfa, value: str, i: int, live: set[int], consumed: set[int]) -> str:
    """Words such as "the bucket name is missing": the next thing to read is a named part not begun,
    and what is at `i` (or the end) is what comes after that part, so the part was left out."""
    name = _part_name(nfa, live)
    if name is None or any(nfa.states[s].part == name for s in consumed):
        return ""
    after = nfa.closure(nfa.part_exits[name])
    if i == len(value) and 0 not in after:
        return ""
    if i < len(value) and not any(nfa.states[s].test is not None and nfa.accepts_char(s, value[i]) for s in after):
        return ""
    if 0 < i <= SHORT_START:
        return f"the {name} is missing after '{visible(value[:i])}'"
    return f"the {name} is missing " + (
        "at the end" if i == len(value) else f"before {char_words(value[i])} at character {i + 1}"
    )


def _unit(src: str) -> str:
    return "digits" if _class_words(src)[0] == ["digits"] else "characters"


def _too_few(nfa: _Nfa, value: str, i: int, live: set[int], arn: bool) -> str:
    runs = {nfa.states[s].run for s in live if nfa.states[s].run}
    short = [r for r in runs if 0 < r[1] < r[2] or (r[1] < r[2] and i == len(value))]
    if short and len(runs) == len(short) == 1:
        _, have, need, hi, src = short[0]
        part = _part(nfa, [s for s in live if nfa.states[s].run == short[0]], value, i, arn)
        return f"{part}has {have} {_unit(src)}; it needs {need if need == hi else f'at least {need}'}"
    return ""


def _wrong_char(nfa: _Nfa, value: str, i: int, live: set[int], consumed: set[int], arn: bool, class_only: bool) -> str:
    ch = value[i]
    short = _missing(nfa, value, i, live, consumed) or _too_few(nfa, value, i, live, arn)
    if short:
        return short
    for s in consumed:  # one more of a class whose count was reached: too many
        run = nfa.states[s].run
        if run and run[3] is not None and run[1] == run[3] - 1 and _tester(run[4])(ch) is not None:
            start = i - run[3]
            end = i
            while end < len(value) and _tester(run[4])(value[end]) is not None:
                end += 1
            need = run[3] if run[2] == run[3] else f"at most {run[3]}"
            return f"{_part(nfa, [s], value, i, arn)}has {end - start} {_unit(run[4])}; it needs {need}"
    part = (_part(nfa, live, value, i, arn) or _part(nfa, consumed, value, i, arn)).strip()  # in it, or just after
    where = f" (in {part})" if part else ""
    found = f"has {char_words(ch)} at character {i + 1}{where}"
    return found if class_only else f"{found} where {_expected(nfa, live)} should be"


def _expected(nfa: _Nfa, live: set[int]) -> str:
    words = []
    for s in sorted(live):
        st = nfa.states[s]
        if st.test is None:
            continue
        words.append(char_words(st.test) if st.literal else _singular(st.test))
    words = list(dict.fromkeys(words))
    return _join(words, "or") if words else "the end"


def _next_literal(nfa: _Nfa, live: set[int]) -> str:
    text = ""
    while True:
        tests = [s for s in live if nfa.states[s].test is not None]
        if len(tests) != 1 or not nfa.states[tests[0]].literal or 0 in live or len(text) > 20:
            return text
        text += nfa.states[tests[0]].test
        live = nfa.closure(nfa.states[tests[0]].out)

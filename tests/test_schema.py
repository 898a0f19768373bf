import json
import subprocess
import sys
import warnings

import botocore
import botocore.session
import pytest

from smjob import schema
from smjob.javaregex import CategoryClassMatcher, PatternError, compile_java, translate


def _all_shapes():
    model = botocore.session.get_session().get_service_model("sagemaker")
    return [model.shape_for(name) for name in model.shape_names]


def test_tree_covers_every_member_at_every_depth():
    root = schema.build_from_botocore()
    model = botocore.session.get_session().get_service_model("sagemaker")
    shape = model.operation_model("CreateTrainingJob").input_shape

    def count(s):
        n = 1
        if s.type_name == "structure":
            n += sum(count(m) for m in s.members.values())
        elif s.type_name == "list":
            n += count(s.member)
        elif s.type_name == "map":
            n += count(s.value)
        return n

    assert sum(1 for _ in root.walk()) == count(shape)
    assert [m.name for m in root.members] == list(shape.members)
    assert len(root.members) >= 28
    for name in ("InstanceGroups", "TrainingImageConfig", "ServerlessJobConfig", "MlflowConfig"):
        assert any(path and path[-1] == name for path, _ in root.walk()), name


def test_constraints_come_from_the_model():
    root = schema.request_schema()
    name = root.member("TrainingJobName")
    assert (name.min, name.max, name.required) == (1, 63, True)
    assert name.constraint_text() == "str 1..63 /[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}/"
    itype = root.at(("ResourceConfig", "InstanceType"))
    enum = botocore.session.get_session().get_service_model("sagemaker").shape_for("TrainingInstanceType").enum
    assert itype.enum == tuple(enum) and itype.constraint_text() == f"enum({len(enum)})"
    assert root.at(("InputDataConfig", 3, "DataSource", "S3DataSource", "S3Uri")).kind == "string"
    assert root.at(("HyperParameters", "any key")).max == 2500


def test_docs_are_plain_text():
    root = schema.request_schema()
    docs = [node.doc for _, node in root.walk() if node.doc]
    assert len(docs) > 100
    assert not any("<p>" in d or "<code>" in d or "&lt;" in d for d in docs)


def test_cache_roundtrips_and_is_keyed_by_botocore_version(tmp_path, monkeypatch):
    monkeypatch.setenv("SMJOB_CACHE_DIR", str(tmp_path))
    schema.request_schema.cache_clear()
    try:
        built = schema.request_schema()
        path = schema.cache_path()
        assert path.exists() and botocore.__version__ in path.name
        schema.request_schema.cache_clear()
        assert schema.request_schema() == built
        # A damaged cache is rebuilt, not trusted.
        path.write_text("{not json")
        schema.request_schema.cache_clear()
        assert schema.request_schema() == built
        assert json.loads(path.read_text())["name"] == "CreateTrainingJob"
    finally:
        schema.request_schema.cache_clear()


def _model_patterns() -> set[str]:
    return {s.metadata["pattern"] for s in _all_shapes() if "pattern" in s.metadata}


def test_every_pattern_compiles_but_categories_inside_longer_patterns():
    patterns = _model_patterns()
    refused = set()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # `re` warns about sets it may read differently one day
        for pattern in patterns:
            try:
                compile_java(pattern)
            except PatternError:
                refused.add(pattern)
    assert len(patterns) > 250 and len(refused) <= 4  # with botocore 1.44: none is a CreateTrainingJob pattern
    assert all("\\p{" in p and CategoryClassMatcher.parse(p) is None for p in refused)


def test_validation_needs_no_regex_module():
    """Every CreateTrainingJob pattern compiles, and every example validates, with `regex` unimportable."""
    code = (
        "import sys; sys.modules['regex'] = None\n"
        "from smjob.examples import load_example, names\n"
        "from smjob.javaregex import compile_java\n"
        "from smjob.schema import request_schema\n"
        "from smjob.validate import validate\n"
        "patterns = {n.pattern for _, n in request_schema().walk() if n.pattern}\n"
        "assert len(patterns) > 15, patterns\n"
        "[compile_java(p) for p in patterns]\n"
        "assert all(not [p for p in validate(load_example(e)) if p.severity == 'error'] for e in names())\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize(
    ("pattern", "value", "ok"),
    [
        ("[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}", "my_job", False),  # full match, not search
        ("[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}", "my-job", True),
        ("[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}", "my-job-", False),
        (r"([\p{L}\p{Z}\p{N}_.:/=+\-@]*)", "équipe ML 2", True),
        (r"([\p{L}\p{Z}\p{N}_.:/=+\-@]*)", "a;b", False),
        (
            r"arn:[\p{Alnum}\-]+:lambda:[\p{Alnum}\-]+:[0-9]{12}:function:.*",
            "arn:aws:lambda:us-east-1:123456789012:function:f",
            True,
        ),
        (
            r"arn:[\p{Alnum}\-]+:lambda:[\p{Alnum}\-]+:[0-9]{12}:function:.*",
            "arn:awsé:lambda:us-east-1:123456789012:function:f",
            False,
        ),
        (r"([a-zA-Z0-9]([a-zA-Z0-9-]){0,62})(?<!-)", "group-1", True),
        (r"([a-zA-Z0-9]([a-zA-Z0-9-]){0,62})(?<!-)", "group-", False),
        (r"\d+K", "٣K", False),  # Java's \d is ASCII
        (r"\w+", "é", False),
        (r"[\S\s]*", "a\nb\u2028", True),
        (".*", "line\nbreak", False),  # Java's . stops at line terminators
        (".*", "x\u2028", False),
        (r"\s", "\x0b", True),  # Java's \s is [ \t\n\x0B\f\r]
        (r"\s", "\x1c", False),
        (r"[\S\s]+", "é\u2028", True),  # a negated escape inside a class: Java's ASCII one
        (r"[^\s]+", "é", True),
        (r"[\p{Alnum}\-]+", "a-1", True),
        (r"\P{Alnum}", "é", True),
        (r"\uD83D\uDE00", "😀", True),  # a surrogate pair is one code point
    ],
)
def test_java_semantics(pattern, value, ok):
    assert (compile_java(pattern).fullmatch(value) is not None) is ok


@pytest.mark.parametrize(
    "pattern",
    ["abc\\", "[abc", r"a[\p{L}]+", r"[^\p{L}]*", r"[a[b]]", r"[a-z&&[^e]]", r"[\P{Alnum}]", r"a\Z", r"\h"],
)
def test_what_cannot_be_matched_exactly_raises_a_clear_error(pattern):
    with pytest.raises(PatternError):
        compile_java(pattern)


_JAVA_ASCII = {"w": "a-zA-Z_0-9", "d": "0-9", "s": " \\t\\n\\x0B\\f\\r"}


def _reference(pattern: str):
    """The `regex` module on our translation, Java's ASCII `\\w \\d \\s` spelled out as sets (nested
    ones need VERSION1): it shares neither engine nor the ASCII flag with compile_java."""
    import regex

    source, out, flags, in_class, i = translate(pattern), [], 0, False, 0
    while i < len(source):
        ch = source[i]
        if ch == "\\":
            escape = source[i + 1]
            body = _JAVA_ASCII.get(escape.lower()) if escape.isalpha() else None
            if body is None:
                out.append(source[i : i + 2])
            elif escape.islower():
                out.append(body if in_class else f"[{body}]")
            else:
                out.append(f"[^{body}]")
                flags |= regex.V1 if in_class else 0
            i += 2
            continue
        in_class = ch == "[" or (in_class and ch != "]")
        out.append(ch)
        i += 1
    return regex.compile("".join(out), flags)


def test_java_patterns_match_like_the_regex_module():
    """On every pattern of the SageMaker model that compiles, `re` or unicodedata accept the same
    strings as the `regex` module does."""
    import random
    import unicodedata

    rng = random.Random(5)
    alphabet = [chr(c) for c in range(0x250)] + list("日本語٣Ⅻ²\u00a0\u0085\u2028\u3000😀ǅ-_.:/=+@ \t\n\x0b\x1c")
    compared = 0
    for pattern in sorted(_model_patterns()):
        try:
            ours = compile_java(pattern)
        except PatternError:
            continue  # see test_every_pattern_compiles_but_categories_inside_longer_patterns
        reference = _reference(pattern)
        compared += 1
        samples = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))) for _ in range(150)]
        for value in samples:
            assert (ours.fullmatch(value) is None) == (reference.fullmatch(value) is None), (pattern, value)
    assert compared > 250
    tags = compile_java(r"([\p{L}\p{Z}\p{N}_.:/=+\-@]*)")
    assert isinstance(tags, CategoryClassMatcher)
    tags_reference = _reference(r"([\p{L}\p{Z}\p{N}_.:/=+\-@]*)")
    disagree = [
        c
        for c in map(chr, range(0x110000))
        if unicodedata.category(c) != "Cn" and (tags.fullmatch(c) is None) != (tags_reference.fullmatch(c) is None)
    ]
    assert disagree == []  # every assigned code point (unassigned ones depend on the Unicode version)

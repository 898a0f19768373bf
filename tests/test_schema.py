import json

import botocore
import botocore.session
import pytest

from smjob import schema
from smjob.javaregex import PatternError, compile_java, full_match, translate


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


def test_every_pattern_in_the_sagemaker_model_compiles():
    patterns = {s.metadata["pattern"] for s in _all_shapes() if "pattern" in s.metadata}
    assert len(patterns) > 100
    for pattern in patterns:
        compile_java(pattern)


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
    ],
)
def test_java_semantics(pattern, value, ok):
    assert full_match(pattern, value) is ok


def test_bad_patterns_raise_a_clear_error():
    with pytest.raises(PatternError):
        translate("abc\\")
    with pytest.raises(PatternError):
        compile_java("[abc")


def test_java_patterns_match_like_the_regex_module_whatever_compiles_them():
    """compile_java uses `re`, or unicodedata for category classes, and the `regex` module only when
    needed; on every pattern of the SageMaker model they accept the same strings as `regex` does."""
    import random
    import unicodedata

    import regex

    from smjob.javaregex import V1, CategoryClassMatcher

    assert V1 == regex.V1
    rng = random.Random(5)
    alphabet = [chr(c) for c in range(0x250)] + list("日本語٣Ⅻ²\u00a0\u2028\u3000😀ǅ-_.:/=+@ \t\n")
    patterns = {s.metadata["pattern"] for s in _all_shapes() if "pattern" in s.metadata}
    not_regex = 0
    for pattern in sorted(patterns):
        ours, reference = compile_java(pattern), regex.compile(*translate(pattern))
        not_regex += type(ours).__module__ != "_regex"
        samples = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))) for _ in range(150)]
        for value in samples:
            assert (ours.fullmatch(value) is None) == (reference.fullmatch(value) is None), (pattern, value)
    assert not_regex > len(patterns) * 0.9  # most need neither nested sets nor Unicode properties
    tags = CategoryClassMatcher.parse(r"([\p{L}\p{Z}\p{N}_.:/=+\-@]*)")
    tags_reference = regex.compile(*translate(r"([\p{L}\p{Z}\p{N}_.:/=+\-@]*)"))
    disagree = [
        c
        for c in map(chr, range(0x110000))
        if unicodedata.category(c) != "Cn" and (tags.fullmatch(c) is None) != (tags_reference.fullmatch(c) is None)
    ]
    assert disagree == []  # every assigned code point (unassigned ones depend on the Unicode version)

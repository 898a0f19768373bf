"""smjob.paths: a request path printed for people (`InputDataConfig[1].S3Uri`) and read back."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smjob.paths import format_path, get_at, parse_path

# Map keys are any text: dots, spaces, brackets, quotes, backslashes, newlines, the empty string.
STEPS = st.one_of(st.integers(min_value=0, max_value=10**9), st.text(max_size=12))
PATHS = st.lists(STEPS, max_size=6).map(tuple)


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ((), ""),
        (("TrainingJobName",), "TrainingJobName"),
        (
            ("InputDataConfig", 1, "DataSource", "S3DataSource", "S3Uri"),
            "InputDataConfig[1].DataSource.S3DataSource.S3Uri",
        ),
        (("HyperParameters", "sagemaker_program"), "HyperParameters.sagemaker_program"),
        (("HyperParameters", "a.b"), 'HyperParameters["a.b"]'),
        (("Environment", 'say "hi"'), 'Environment["say \\"hi\\""]'),
        (("Environment", "back\\slash"), 'Environment["back\\\\slash"]'),
        (("Environment", ""), 'Environment[""]'),
        (("Tags", 0, "Key"), "Tags[0].Key"),
        (("a b",), '["a b"]'),
    ],
)
def test_format_and_parse_known_paths(path, text):
    assert format_path(path) == text
    assert parse_path(text) == path


@given(PATHS)
def test_parse_path_inverts_format_path(path):
    assert parse_path(format_path(path)) == path


@pytest.mark.parametrize("text", ["a..b", "[x]", "a[", "]", "a[-1]", "a.", 'a["open'])
def test_parse_path_refuses_text_that_is_not_a_path(text):
    with pytest.raises(ValueError, match="not a request path"):
        parse_path(text)


def test_get_at_follows_the_path_or_gives_the_default():
    request = {"InputDataConfig": [{"ChannelName": "train"}], "Name": "x"}
    assert get_at(request, ("InputDataConfig", 0, "ChannelName")) == "train"
    assert get_at(request, ()) is request
    for missing in (("InputDataConfig", 1), ("Nope",), ("Name", "deeper"), ("InputDataConfig", "key")):
        assert get_at(request, missing, default="d") == "d"

"""Caches keyed by typed text keep no long string (typing into a 1 MB field made one per key)."""

import pytest

from smjob.instances import parse_instance_type
from smjob.rules.image import MAX_REFERENCE, parse_image
from smjob.rules.observability import regex_error
from smjob.short_cache import LONGEST


@pytest.mark.parametrize(
    ("function", "short", "long"),
    [
        (parse_image, "123456789012.dkr.ecr.us-east-1.amazonaws.com/repo:tag", "host/" + "a" * 5000),
        (parse_instance_type, "ml.g5.2xlarge", "ml." + "g" * 5000 + ".xlarge"),
        (regex_error, r"loss=([0-9\.]+)", "a" * 5000 + "("),
    ],
    ids=["image", "instance type", "metric regex"],
)
def test_long_typed_strings_are_not_kept_and_short_ones_still_are(function, short, long):
    function.cache_clear()
    results = {function(long + "x" * i) for i in range(30)}  # thirty keystrokes in a long field
    assert function.cache_info().currsize == 0
    assert function(short) == function(short) and function.cache_info().currsize == 1
    if function is regex_error:
        (error,) = results  # computed each time, as before: the unclosed group
        assert "missing )" in error
    else:
        assert results == {None}


def test_no_image_reference_is_longer_than_distribution_allows():
    name = "host.example.com/" + "a" * (255 - len("host.example.com/"))
    longest = f"{name}:{'t' * 128}@sha256:{'0' * 64}"
    assert len(longest) == MAX_REFERENCE < LONGEST
    assert parse_image(longest) is not None
    assert parse_image(name + "a:" + "t" * 128 + "@sha256:" + "0" * 64) is None  # one character more

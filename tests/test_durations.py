"""smjob.durations: what people type into *InSeconds fields (`2h30m`, `1d`, `90m`) and how it is shown."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smjob.durations import MAX_SECONDS, format_duration, is_duration_field, parse_duration


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("3600", 3600),
        ("0", 0),
        ("45s", 45),
        ("90m", 5400),
        ("2h30m", 9000),
        ("1d", 86400),
        ("1w", 604800),
        ("1d 2h", 93600),
        (" 2H 30M ", 9000),  # spaces and capitals
        ("1h1h", 7200),  # repeated units add up
        ("0003600", 3600),
    ],
)
def test_parse_duration(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", " ", "h", "1x", "-5", "1.5h", "2h30", "h2", "1 h x", "١٢", str(MAX_SECONDS + 1)])
def test_parse_duration_refuses_what_is_not_a_duration(text):
    assert parse_duration(text) is None


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (9000, "2h30m"),
        (86400 + 61, "1d1m1s"),
        (604800, "7d"),  # no weeks when showing: days read better
        (0, "0s"),
        (-5, "-5s"),
        (3600.0, "1h"),
        (1.5, "1.5s"),
        (True, "not a number of seconds"),
        ("3600", "not a number of seconds"),
        (float("nan"), "not a finite number of seconds"),
        (MAX_SECONDS + 1, "out of range"),
    ],
)
def test_format_duration(seconds, text):
    assert format_duration(seconds) == text


@given(st.integers(min_value=0, max_value=MAX_SECONDS))
def test_what_is_shown_reads_back_as_the_same_seconds(seconds):
    assert parse_duration(format_duration(seconds)) == seconds


def test_duration_fields_are_the_in_seconds_members():
    assert is_duration_field("MaxRuntimeInSeconds") and is_duration_field("MaxWaitTimeInSeconds")
    assert not is_duration_field("InstanceCount") and not is_duration_field("VolumeSizeInGB")

"""smjob.sections: the sections of the editor and the badge each shows (errors, warnings, set or not)."""

from __future__ import annotations

from smjob.problems import ERROR, WARNING, Problem
from smjob.schema import request_schema
from smjob.sections import badge, section_of, sections

ALL = sections()
SECTIONS = {s.label: s for s in ALL}
JOB, RESOURCES = SECTIONS["Job"], SECTIONS["Resources"]


def test_every_top_level_member_has_exactly_one_section():
    names = [n for s in ALL for n in s.names]
    assert sorted(names) == sorted(m.name for m in request_schema().members)
    assert JOB.names == ("TrainingJobName", "RoleArn") and JOB.key == "TrainingJobName"


def test_section_of_a_path():
    assert section_of(("ResourceConfig", "InstanceType"), ALL) is RESOURCES
    assert section_of((), ALL) is ALL[0]
    assert section_of(("NotAMember",), ALL) is None


def test_badge_counts_the_problems_of_its_members():
    problems = [
        Problem(("TrainingJobName",), "bad name"),
        Problem(("RoleArn",), "bad role"),
        Problem(("RoleArn",), "odd role", severity=WARNING),
        Problem(("ResourceConfig", "InstanceType"), "elsewhere"),
    ]
    shown = badge(JOB, {"TrainingJobName": "x"}, problems)
    assert (shown.errors, shown.warnings, shown.is_set) == (2, 1, True)
    assert shown.text == "2✗" and shown.state == "error"


def test_a_cross_field_problem_counts_in_every_section_it_involves():
    problem = Problem(("StoppingCondition", "MaxWaitTimeInSeconds"), "spot", related=(("ResourceConfig",),))
    assert badge(RESOURCES, {}, [problem]).errors == 1
    assert badge(SECTIONS["Stopping"], {}, [problem]).errors == 1
    assert badge(JOB, {}, [problem]).errors == 0
    assert badge(JOB, {}, [Problem((), "whole request")]).errors == 0  # the request itself: no section


def test_badge_text_and_state_without_errors():
    warned = badge(JOB, {}, [Problem(("RoleArn",), "w", severity=WARNING)])
    assert (warned.text, warned.state) == ("1!", "warning")
    valid = badge(JOB, {"RoleArn": "arn"}, [])
    assert (valid.text, valid.state) == ("✓", "valid")
    unset = badge(RESOURCES, {"TrainingJobName": "x"}, [])
    assert (unset.text, unset.state) == ("·", "unset")
    assert badge(JOB, {}, [Problem(("RoleArn",), "e", severity=ERROR)]).state == "error"

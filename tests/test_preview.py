from smjob.examples import load_example
from smjob.render import render
from smjob.widgets.preview import changed_line

JOB = load_example("pytorch-gpu")


def test_changed_line_finds_the_member_in_every_format():
    for fmt in ("json", "yaml", "python"):
        code = render(JOB, fmt)
        line = changed_line(code, ("ResourceConfig", "InstanceCount"))
        assert line is not None and "InstanceCount" in code.splitlines()[line], fmt
        # nested members are found after their parent, not at an earlier namesake
        parent = changed_line(code, ("ResourceConfig",))
        assert line > parent


def test_changed_line_without_a_name():
    assert changed_line("{}", ()) is None
    assert changed_line('{"a": 1}', ("Missing",)) is None

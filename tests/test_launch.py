"""tui/launch.py: how the editor is run."""

import sys

import pytest

from smjob.aws import Target
from smjob.tui import launch
from smjob.tui.app import SmjobApp


def test_the_editor_runs_with_a_short_switch_interval_and_puts_python_s_back(monkeypatch):
    seen: list[float] = []
    monkeypatch.setattr(SmjobApp, "run", lambda self, *args, **kwargs: seen.append(sys.getswitchinterval()))
    before = sys.getswitchinterval()
    assert launch._run({}, None, [], Target(None, "us-east-1", None)) == 0
    assert seen == [pytest.approx(launch.FRAME_WRITER_WAIT)]  # Textual's output thread gets the GIL soon
    assert sys.getswitchinterval() == before

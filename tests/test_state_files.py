"""smjob's own state files (settings.json, defaults.json) follow one rule (smjob.files.StateFile):
a file that cannot be read or holds what smjob never writes is reported, naming it and what to do,
and kept as it is; only a write moves it aside (`<file>.unreadable-<UTC time>`, as drafts are) and
says where. The CLI and the app show the message, never a traceback."""

from __future__ import annotations

import json
import re
import stat
from dataclasses import dataclass
from pathlib import Path

import pytest

from smjob import settings, user_defaults
from smjob.cli.main import main
from smjob.files import UnreadableFile
from smjob.pricing import Price, estimate
from smjob.skeleton import skeleton
from smjob.tui.app import SmjobApp
from tests.support.keyboard import tab_to_input
from tests.support.waiting import wait_until

MOVED = re.compile(r"\.json\.unreadable-\d{8}T\d{6}(-\d+)?$")


@dataclass(frozen=True)
class Kind:
    name: str
    path: callable
    read: callable  # reads the file as smjob does
    write: callable  # a change the user asks for; returns the note about a moved file
    written: callable  # the change, as read back
    command: str  # the command the message tells the user to run
    invalid: bytes  # JSON, but not what smjob writes


SETTINGS = Kind(
    "settings",
    settings.settings_path,
    settings.load,
    lambda: settings.set_value("max_instance_count", "4"),
    lambda: settings.load() == {"max_instance_count": 4},
    "smjob settings set",
    b'{"max_instance_count": "four"}',
)
DEFAULTS = Kind(
    "defaults",
    user_defaults.path_of,
    user_defaults.listing,
    lambda: user_defaults.set_default("ResourceConfig.InstanceCount", 4)[1],
    lambda: user_defaults.listing() == {"default": {"ResourceConfig.InstanceCount": 4}},
    "smjob defaults set",
    b'{"profiles": ["default"]}',
)
BROKEN = {"truncated": b'{"max_instance_count": 4', "a list": b"[1, 2]", "not UTF-8": b'{"k": "\xff\xfe"}'}


@pytest.fixture(autouse=True)
def data(tmp_path, monkeypatch):
    monkeypatch.setenv("SMJOB_DATA_DIR", str(tmp_path / "data"))
    (tmp_path / "data").mkdir()
    return tmp_path / "data"


def contents(kind: Kind) -> dict[str, bytes]:
    return {**BROKEN, "invalid": kind.invalid}


@pytest.mark.parametrize("kind", [SETTINGS, DEFAULTS], ids=lambda k: k.name)
@pytest.mark.parametrize("content", ["truncated", "a list", "not UTF-8", "invalid"])
def test_a_broken_file_is_reported_and_kept_then_moved_aside_by_a_write(kind, content):
    path = kind.path()
    bad = contents(kind)[content]
    path.write_bytes(bad)

    for _ in range(2):  # reading never changes it, and says so each time
        with pytest.raises(UnreadableFile) as caught:
            kind.read()
        assert str(path) in str(caught.value) and kind.command in str(caught.value)
        assert path.read_bytes() == bad and [p.name for p in path.parent.iterdir()] == [path.name]

    note = kind.write()
    [moved] = [p for p in path.parent.iterdir() if MOVED.search(p.name)]
    assert moved.read_bytes() == bad  # nothing lost
    assert note is not None and str(path) in note and f"moved to {moved}" in note
    assert kind.written() and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert kind.write() is None  # the new file is fine: nothing more to say


@pytest.mark.parametrize("kind", [SETTINGS, DEFAULTS], ids=lambda k: k.name)
def test_a_file_that_cannot_be_moved_aside_is_never_written_over(kind):
    path = kind.path()
    path.mkdir()  # not a file at all, and a directory cannot be hard-linked aside
    (path / "keep").write_text("mine")
    with pytest.raises(UnreadableFile) as caught:
        kind.write()
    message = str(caught.value)
    assert str(path) in message and "not a regular file" in message and "move it away yourself" in message
    assert (path / "keep").read_text() == "mine"


def test_writes_keep_what_this_version_does_not_know():
    settings.settings_path().write_text(json.dumps({"max_estimated_cost": 10, "newer_setting": "x"}))
    settings.set_value("max_instance_count", "2")
    assert json.loads(settings.settings_path().read_text()) == {
        "max_estimated_cost": 10,
        "max_instance_count": 2,
        "newer_setting": "x",
    }
    user_defaults.path_of().write_text(json.dumps({"format": 1, "profiles": {}, "newer": [1]}))
    user_defaults.set_default("ResourceConfig.InstanceCount", 2, "ml")
    assert json.loads(user_defaults.path_of().read_text())["newer"] == [1]


# --- the CLI: a message naming the file, never a traceback ---------------------------------------


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_names_the_broken_settings_file_and_the_next_set_moves_it_aside(capsys):
    path = settings.settings_path()
    path.write_text("{oops")
    code, _, err = run(capsys, "settings", "get")
    assert code == 2 and f"error: the settings file {path} cannot be read" in err and "Traceback" not in err
    assert path.read_text() == "{oops"

    code, out, err = run(capsys, "settings", "set", "max_instance_count", "3")
    assert code == 0 and f"smjob: the settings file {path} could not be read" in err and "moved to" in err
    assert "max_instance_count = 3" in out


def test_cli_names_the_broken_defaults_file_in_defaults_and_new(capsys):
    path = user_defaults.path_of()
    path.write_text('{"profiles": 7}')
    code, _, err = run(capsys, "defaults", "list")
    assert code == 1 and f"error: the defaults file {path} cannot be read" in err
    code, out, err = run(capsys, "new")
    assert code == 0 and json.loads(out)["TrainingJobName"]  # the job is made without them
    assert f"warning: the defaults file {path} cannot be read" in err and "not applied to this job" in err
    code, _, err = run(capsys, "defaults", "unset", "ResourceConfig.InstanceType")
    assert code == 1 and str(path) in err and path.read_text() == '{"profiles": 7}'
    code, out, err = run(capsys, "defaults", "set", "ResourceConfig.InstanceType", "ml.m5.xlarge")
    assert code == 0 and "moved to" in err and 'default: ResourceConfig.InstanceType = "ml.m5.xlarge"' in out


def test_submit_refuses_without_yes_when_the_guard_rails_cannot_be_read(capsys):
    from smjob.aws import Target
    from smjob.cli.reality_commands import guard_rails_refuse

    settings.settings_path().write_text("[]")
    assert guard_rails_refuse(skeleton(), Target(), yes=False)
    err = capsys.readouterr().err
    assert f"warning: your guard rails cannot be checked: the settings file {settings.settings_path()}" in err
    assert not guard_rails_refuse(skeleton(), Target(), yes=True)


# --- the app -----------------------------------------------------------------------------------


def test_the_submit_confirmation_warns_when_the_guard_rails_cannot_be_read():
    from smjob.tui.screens.preflight_panel import PreflightPanel

    settings.settings_path().write_text('{"max_estimated_cost": -1}')
    est = estimate(skeleton(), "us-east-1", lambda t, r: Price(t, r, 1.0))
    [warning] = PreflightPanel._guard_rails(est)  # warnings start the dialog on Cancel
    assert warning.startswith("your guard rails cannot be checked: the settings file") and "-1" in warning


async def test_the_app_names_a_broken_defaults_file_at_new_job_and_at_save_as_default():
    from smjob.widgets.pickers import save_focused_as_default

    path = user_defaults.path_of()
    path.write_bytes(b"\x00\x01")
    app = SmjobApp(skeleton(), source="new job", autosave=False)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await app.run_action("new_job")
        await wait_until(pilot, lambda: any(str(path) in n.message for n in app._notifications), what="the note")
        [note] = [n.message for n in app._notifications if str(path) in n.message]
        assert "cannot be read" in note and "smjob defaults set" in note
        assert Path(path).read_bytes() == b"\x00\x01"

        await tab_to_input(pilot, ("TrainingJobName",))
        save_focused_as_default(app)
        await wait_until(pilot, lambda: len(app._notifications) >= 3, what="the notes of the save")
        moved = [n.message for n in app._notifications if "moved to" in n.message]
        assert len(moved) == 1 and str(path) in moved[0], [n.message for n in app._notifications]
        assert "TrainingJobName" in user_defaults.listing()["default"]

"""Hostile or broken files on disk: a clear message naming the file, never a traceback, never a hang."""

import os
import sqlite3
import stat
import subprocess
import sys

import pytest

from smjob.history import SCHEMA_VERSION, History, HistoryUnavailable
from smjob.load import LoadError, load_file

SMJOB = [sys.executable, "-c", "import sys; from smjob.tui.launch import main; sys.exit(main())"]


def _smjob(*args, env=None, **kwargs):
    return subprocess.run([*SMJOB, *args], capture_output=True, text=True, env=env, timeout=60, **kwargs)


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda p: p.write_bytes(os.urandom(4096)), id="random-bytes"),
        pytest.param(
            lambda p: sqlite3.connect(p).executescript("CREATE TABLE entries (x); PRAGMA user_version = 1;"),
            id="foreign-schema",
        ),
        pytest.param(
            lambda p: sqlite3.connect(p).executescript(f"PRAGMA user_version = {SCHEMA_VERSION + 1};"),
            id="newer-smjob",
        ),
    ],
)
def test_a_broken_history_is_named_with_what_to_do(tmp_path, make):
    path = tmp_path / "history.sqlite3"
    make(path)
    before = path.read_bytes()
    with pytest.raises(HistoryUnavailable) as caught:
        History(path)
    message = str(caught.value)
    assert str(path) in message and "Move it aside" in message
    assert path.read_bytes() == before  # never "repaired" by overwriting


def test_newer_schema_is_reported_as_newer(tmp_path):
    path = tmp_path / "history.sqlite3"
    sqlite3.connect(path).executescript(f"PRAGMA user_version = {SCHEMA_VERSION + 1};")
    with pytest.raises(HistoryUnavailable, match="newer smjob"):
        History(path)


def test_history_never_follows_a_symlink(tmp_path):
    victim = tmp_path / "victim"
    victim.write_text("precious")
    victim.chmod(0o644)
    link = tmp_path / "data" / "history.sqlite3"
    link.parent.mkdir()
    link.symlink_to(victim)
    with pytest.raises(HistoryUnavailable):
        History(link)
    assert victim.read_text() == "precious" and stat.S_IMODE(victim.stat().st_mode) == 0o644
    dangling = tmp_path / "data2" / "history.sqlite3"
    dangling.parent.mkdir()
    dangling.symlink_to(tmp_path / "created-by-us")
    with pytest.raises(HistoryUnavailable):
        History(dangling)
    assert not (tmp_path / "created-by-us").exists()


def test_data_directory_is_private(tmp_path):
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    data.chmod(0o755)
    History(data / "history.sqlite3").close()
    assert stat.S_IMODE(data.stat().st_mode) == 0o700


def test_cli_history_on_a_corrupt_store_says_which_file(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "history.sqlite3").write_bytes(b"\x00garbage" * 100)
    env = {**os.environ, "SMJOB_DATA_DIR": str(data)}
    out = _smjob("history", "list", env=env)
    assert out.returncode == 2, out.stderr
    assert "Traceback" not in out.stderr and str(data / "history.sqlite3") in out.stderr


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="needs /dev/null")
def test_character_devices_are_refused_not_read():
    with pytest.raises(LoadError, match="not a regular file"):
        load_file("/dev/zero")  # would never end; /dev/tty would block for good


def test_a_broken_pipe_keeps_the_exit_status(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{" + ",".join(f'"Bogus{i}": 1' for i in range(5000)) + "}")
    out = subprocess.run(
        f"set -o pipefail; {' '.join(map(repr, SMJOB))} validate {bad} | head -c 10 >/dev/null",
        shell=True,
        executable="/bin/bash",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 1, out.stderr  # invalid, not 0 (success) nor 120 (a crash at exit)
    assert "Traceback" not in out.stderr


def test_everything_printed_to_a_terminal_is_escaped_and_pipes_stay_exact():
    import io

    from smjob.cli.pipes import for_terminal

    class Tty(io.StringIO):
        def isatty(self):
            return True

    terminal, pipe = Tty(), io.StringIO()
    for stream in (for_terminal(terminal), for_terminal(pipe)):
        stream.write("job\x1b]52;c;aGk=\x07 \u202eok\nnext\n")
    assert terminal.getvalue() == "job\\x1b]52;c;aGk=\\x07 \\u202eok\nnext\n"
    assert pipe.getvalue() == "job\x1b]52;c;aGk=\x07 \u202eok\nnext\n"


def test_the_crash_report_keeps_its_colours_and_nothing_else(monkeypatch):
    """While the app runs, stderr on a terminal lets colour sequences through (Textual's Rich
    traceback showed `\x1b[1;31m` as text) and still escapes every other control character."""
    import io
    import sys

    from smjob.cli.pipes import colours_on_stderr, for_terminal

    class Tty(io.StringIO):
        def isatty(self):
            return True

    terminal = Tty()
    monkeypatch.setattr(sys, "stderr", for_terminal(terminal))
    with colours_on_stderr():
        sys.stderr.write("\x1b[1;31mValueError\x1b[0m: bad evil\x1b]52;c;aGk=\x07\u202ename\x1b[2J\n")
    sys.stderr.write("\x1b[1m after\n")  # the app has stopped: escaped again
    assert terminal.getvalue() == (
        "\x1b[1;31mValueError\x1b[0m: bad evil\\x1b]52;c;aGk=\\x07\\u202ename\\x1b[2J\n\\x1b[1m after\n"
    )


def test_history_list_in_a_terminal_shows_a_hostile_job_name_escaped(tmp_path):
    """A real pseudo-terminal: `smjob history list` prints a recorded job name."""
    import pty

    data = tmp_path / "data"
    with History(data / "history.sqlite3") as history:
        history.record("export", {"TrainingJobName": "evil\x1b]52;c;aGk=\x07"}, path="x.json")
    env = {**os.environ, "SMJOB_DATA_DIR": str(data)}
    main, child = pty.openpty()
    proc = subprocess.Popen([*SMJOB, "history", "list"], stdout=child, stderr=child, env=env)
    os.close(child)
    out = b""
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    proc.wait(timeout=60)
    os.close(main)
    assert b"\x1b]52" not in out and b"evil\\x1b]52" in out, out

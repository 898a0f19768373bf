"""End to end: the installed `smjob` console script in a real terminal (tmux, 80x24).

Scenario: `smjob demo` paints; ctrl+n reaches Input data; F2 shows the JSON preview;
ctrl+r goes back to Job with the cursor in TrainingJobName; ctrl+u and typing rename the
job; the status line follows; the autosaved draft holds the new name; ctrl+q asks
(the request changed) and `y` quits; the process exits with status 0.

Every wait polls the screen (`tmux capture-pane`) or the file system with a deadline; nothing
sleeps for a fixed time. The tmux server is private to the test (`tmux -L <unique socket>`,
no config file) and is killed in the fixture's teardown whatever happens.
"""

from __future__ import annotations

import shlex

import pytest

from tests.support.terminal import (
    DEMO_NAME,
    REQUIRED,
    SIZE,
    SMJOB,
    draft_name,
    shelf_draft,
    status_line,
    wait_for_file,
)

NEW_NAME = "tmux-e2e-job"

pytestmark = [*REQUIRED, pytest.mark.slow]


def test_demo_rename_autosave_and_quit(terminal, tmp_path):
    data, cache = tmp_path / "data", tmp_path / "cache"
    exit_file = tmp_path / "exit-status"
    env = {
        "SMJOB_DATA_DIR": str(data),
        "SMJOB_CACHE_DIR": str(cache),
        "TERM": "tmux-256color",
        "COLORTERM": "truecolor",
        "TEXTUAL_ANIMATIONS": "none",
    }
    # The exit status goes to a file: tmux's #{pane_dead_status} is sometimes never filled in
    # (seen with tmux 3.3a under load: the process is a reaped-late zombie, the status stays empty).
    script = (
        " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        + f" {shlex.quote(str(SMJOB))} demo; echo $? > {shlex.quote(str(exit_file))}"
    )
    terminal.start(["/bin/sh", "-c", script], SIZE)

    # First paint: the status line names the job and the footer lists the keys.
    screen = terminal.wait_for(lambda s: DEMO_NAME in status_line(s) and "Quit" in s, "the first paint", timeout=15)
    assert "example" in status_line(screen)  # where it came from (cut at 80 columns)
    assert "TrainingJobName" in screen

    # ctrl+n: Job -> Algorithm -> ... -> Input data, with its list of channels.
    terminal.press_until("C-n", "Algorithm")
    terminal.press_until("C-n", "Input data")
    screen = terminal.wait_for(lambda s: "InputDataConfig" in s, "the Input data section")
    assert "train" in screen

    # F2: the preview column with the request as JSON.
    terminal.keys("F2")
    terminal.wait_for(lambda s: '"TrainingJobName":' in s, "the JSON preview")

    # ctrl+r: back to Job; the cursor lands in TrainingJobName. Replace the name by typing.
    terminal.press_until("C-r", "Algorithm")
    terminal.press_until("C-r", "Job")
    terminal.wait_for(lambda s: "TrainingJobName" in s, "the Job section's fields")
    terminal.keys("End", "C-u")
    terminal.wait_for(lambda s: "(unnamed)" in status_line(s), "the name cleared in the status line")
    terminal.type(NEW_NAME)
    screen = terminal.wait_for(lambda s: NEW_NAME in status_line(s), "the new name in the status line")
    assert "valid" in status_line(screen) and "error" not in status_line(screen)

    # The job's draft is autosaved (AUTOSAVE_DELAY is 0.5 s) with the new name.
    wait_for_file(lambda: draft_name(shelf_draft(data)) == NEW_NAME, f"the draft to hold {NEW_NAME!r}", timeout=2.5)
    draft = shelf_draft(data)
    assert draft.stat().st_mode & 0o777 == 0o600

    # ctrl+q: the request changed since it was opened, so the app asks; `y` quits.
    terminal.keys("C-q")
    terminal.wait_for(lambda s: "Quit anyway?" in s, "the quit confirmation")
    terminal.keys("y")
    wait_for_file(lambda: exit_file.exists() and exit_file.read_text().strip() != "", "smjob to exit", timeout=10)
    assert exit_file.read_text().strip() == "0", terminal.screen()
    assert shelf_draft(data) == draft and draft_name(draft) == NEW_NAME

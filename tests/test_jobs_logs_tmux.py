"""The installed `smjob` in tmux against the local endpoint: F7 lists the account's jobs, Enter
opens one, its log lines (two hosts) show at 80x24 with control characters escaped, `h` switches
to one host, and at 200x50 the same screen shows the whole lines."""

from __future__ import annotations

import contextlib
import shlex
import time

import pytest

from smjob import aws
from smjob.examples import load_example
from smjob.logs import LOG_GROUP
from tests.support.moto_server import raw_client
from tests.support.terminal import REQUIRED, SIZE, SMJOB

pytestmark = [*REQUIRED, pytest.mark.slow]


def _seed(moto) -> None:
    for name in ("tmux-logs-a", "tmux-logs-b"):
        aws.submit(dict(load_example("pytorch-gpu"), TrainingJobName=name), moto.target())
    logs = raw_client(moto, "logs")
    with contextlib.suppress(logs.exceptions.ResourceAlreadyExistsException):
        logs.create_log_group(logGroupName=LOG_GROUP)
    now = int(time.time() * 1000)
    for host, lines in (
        ("algo-1", ["a1 starting", "a1 train_loss=0.50 \x1b]0;pwned\x07"]),
        ("algo-2", ["a2 starting", "a2 Traceback (most recent call last)"]),
    ):
        stream = f"tmux-logs-b/{host}-1700000000"
        logs.create_log_stream(logGroupName=LOG_GROUP, logStreamName=stream)
        events = [{"timestamp": now + 10 * i + (host == "algo-2"), "message": m} for i, m in enumerate(lines)]
        logs.put_log_events(logGroupName=LOG_GROUP, logStreamName=stream, logEvents=events)


def test_jobs_screen_and_job_logs_in_a_real_terminal(terminal, moto, tmp_path):
    _seed(moto)
    env = {
        "SMJOB_DATA_DIR": str(tmp_path / "data"),
        "SMJOB_CACHE_DIR": str(tmp_path / "cache"),
        "TERM": "tmux-256color",
        "TEXTUAL_ANIMATIONS": "none",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_CONFIG_FILE": str(tmp_path / "no-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-credentials"),
    }
    argv = [str(SMJOB), "demo", "--endpoint-url", moto.url, "--region", moto.region]
    script = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items()) + " " + shlex.join(argv)
    terminal.start(["/bin/sh", "-c", script], SIZE)
    terminal.wait_for(lambda s: "Quit" in s, "the editor", timeout=20)

    terminal.keys("F7")
    screen = terminal.wait_for(lambda s: "2 job(s)" in s, "the jobs listed", timeout=15)
    assert "tmux-logs-a" in screen and "tmux-logs-b" in screen
    terminal.keys("/")
    terminal.type("logs-b")
    terminal.wait_for(lambda s: "1 job(s)" in s, "the filter", timeout=15)
    terminal.keys("Enter")  # from the filter to the table: its keys come back to the footer
    terminal.wait_for(lambda s: "c Clone" in s, "the table focused")
    terminal.keys("Enter")  # open
    screen = terminal.wait_for(lambda s: "a2 Traceback" in s and "a1 train_loss" in s, "the log lines", timeout=15)
    assert "Training job  tmux-logs-b" in screen
    assert "\\x1b]0;pwned\\x07" in screen  # escaped, never a title change
    assert "pwned" not in terminal.pane("#{pane_title}")
    assert "all hosts (h: 2 hosts)" in screen and "4 lines" in screen
    terminal.keys("h")
    screen = terminal.wait_for(lambda s: "algo-1 (h: 2 hosts)" in s, "one host")
    assert "2 lines" in screen and "a2 starting" not in screen

    terminal.tmux("resize-window", "-t", terminal.session, "-x", "200", "-y", "50")
    screen = terminal.wait_for(lambda s: "console  https://" in s and "jobs/tmux-logs-b" in s, "the 200x50 layout")
    assert "a1 train_loss=0.50 \\x1b]0;pwned\\x07" in screen

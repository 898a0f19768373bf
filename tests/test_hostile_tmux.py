"""Hostile requests in a real terminal: tmux with `set-clipboard on` accepts OSC 52, so a control
sequence that reaches the terminal would create a paste buffer. Opening and walking a request that
carries escape sequences in every kind of field must create none and keep the layout intact."""

from __future__ import annotations

import base64
import json
import shlex
import time

import pytest

from tests.support.terminal import REQUIRED, SMJOB, status_line

pytestmark = [*REQUIRED, pytest.mark.slow]

SECRET = base64.b64encode(b"pwned-by-smjob-request").decode()
SEQUENCES = {
    "osc52-bel": f"\x1b]52;c;{SECRET}\x07",
    "osc52-st": f"\x1b]52;c;{SECRET}\x1b\\",
    "c1-osc52": f"\x9d52;c;{SECRET}\x9c",
    "clear": "\x1b[2J\x1b[H",
    "c1-clear": "\x9b2J",
    "title": "\x1b]2;owned\x07",
    "bidi": "abc\u202edcba",
}
SECTIONS = 28  # more ctrl+n presses than there are sections: every form is shown once


def hostile_request(seq: str) -> dict:
    with open(SMJOB.parent.parent.parent / "smjob" / "examples" / "pytorch-gpu.json") as fh:
        request = json.load(fh)
    request["TrainingJobName"] = f"job{seq}"
    request["HyperParameters"] = {f"k{seq}": f"v{seq}", "lr": "0.1"}
    request["Environment"] = {"A": f"x{seq}"}
    request["Tags"] = [{"Key": f"t{seq}", "Value": f"v{seq}"}]
    request["InputDataConfig"][0]["ChannelName"] = f"train{seq}"
    request["InputDataConfig"][0]["DataSource"]["S3DataSource"]["S3Uri"] = f"s3://bucket/p{seq}"
    request["AlgorithmSpecification"]["ContainerArguments"] = [f"--arg{seq}", "plain"]
    request["AlgorithmSpecification"]["TrainingInputMode"] = f"File{seq}"  # an enum, not allowed
    request["ResourceConfig"]["InstanceCount"] = f"2{seq}"  # a number field holding text
    request["StoppingCondition"]["MaxRuntimeInSeconds"] = f"3600{seq}"
    return request


def buffers(terminal) -> list[str]:
    return [line for line in terminal.tmux("list-buffers", "-F", "#{buffer_name}").splitlines() if line]


def test_the_probe_detects_a_clipboard_write(terminal):
    """Without this the test below could not fail: a raw OSC 52 does create a tmux buffer."""
    terminal.start(["/bin/sh", "-c", "sleep 30"], (80, 24))
    terminal.tmux("set-option", "-g", "set-clipboard", "on")
    terminal.tmux("respawn-pane", "-k", "-t", "smjob", f"printf '\\033]52;c;{SECRET}\\007'; sleep 30")
    deadline = time.monotonic() + 5
    while not buffers(terminal) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert buffers(terminal), "tmux did not turn OSC 52 into a buffer: the probe is blind"


@pytest.mark.parametrize("size", [(80, 24), (200, 50)], ids=["80x24", "200x50"])
@pytest.mark.parametrize("kind", sorted(SEQUENCES))
def test_escape_sequences_never_reach_the_terminal(terminal, tmp_path, kind, size):
    job = tmp_path / "job.json"
    job.write_text(json.dumps(hostile_request(SEQUENCES[kind])), encoding="utf-8")
    env = {
        "SMJOB_DATA_DIR": str(tmp_path / "data"),
        "SMJOB_CACHE_DIR": str(tmp_path / "cache"),
        "TERM": "tmux-256color",
        "TEXTUAL_ANIMATIONS": "none",
    }
    script = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items()) + f" {SMJOB} edit {shlex.quote(str(job))}"
    terminal.start(["/bin/sh", "-c", "sleep 0.2; " + script], size)
    terminal.tmux("set-option", "-g", "set-clipboard", "on")
    terminal.tmux("set-option", "-g", "allow-rename", "on")
    terminal.wait_for(
        lambda s: status_line(s).strip().startswith("smjob") and "Quit" in s, "the first paint", timeout=20
    )
    title_before = terminal.pane("#{pane_title}")
    for _ in range(SECTIONS):  # every section's form, with its fields, lists and maps
        terminal.keys("C-n")
    terminal.keys("F2")  # the preview, then every format
    for _ in range(4):
        terminal.keys("F4")
    terminal.keys("F3")  # the problems list
    screen = terminal.wait_for(lambda s: "✗ TrainingJobName" in s, "the problems list")
    lines = screen.splitlines()
    assert buffers(terminal) == [], "a clipboard write reached the terminal"
    assert terminal.pane("#{pane_title}") == title_before
    assert len(lines) == size[1] and status_line(screen).strip().startswith("smjob"), screen  # nothing cleared or moved
    assert "Quit" in lines[-1], screen
    assert "\\x1b" in screen or "␛" in screen or "\\x9" in screen or "\\u202e" in screen or "�" in screen, screen

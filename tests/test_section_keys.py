"""Keys typed right after ctrl+n (or ctrl+r) reach the new section's first field, never the old one.

The keys are sent as the terminal driver delivers them, all at once with no pause after ctrl+n
(pilot.press would wait for the app to go idle after each key and hide the race). Then the same
through the installed `smjob` in tmux: `C-n` and the characters in one burst.
"""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest

import smjob.tui.app as app_module
from smjob.examples import load_example
from smjob.tui.app import SmjobApp
from tests.support.keyboard import _send
from tests.support.terminal import DEMO_NAME, REQUIRED, SIZE, SMJOB, shelf_draft, status_line, wait_for_file
from tests.support.waiting import wait_until

IMAGE = load_example("pytorch-gpu")["AlgorithmSpecification"]["TrainingImage"]


def burst(app, *keys: str) -> None:
    """Keys as the driver delivers them: one-character strings are typed characters."""
    for key in keys:
        _send(app, key, key if len(key) == 1 else None)


def image_of(app) -> str:
    return app.editor.request["AlgorithmSpecification"]["TrainingImage"]


async def started(pilot) -> SmjobApp:
    app = pilot.app
    await wait_until(pilot, lambda: not app.editor.validation_pending and app.focused is not None, what="the editor")
    assert app.editor.current.label == "Job"
    return app


async def test_keys_right_after_ctrl_n_reach_the_new_sections_first_field():
    request = load_example("pytorch-gpu")
    app = SmjobApp(request, source="test", autosave=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        burst(app, "ctrl+n", "a", "b", "c")
        await wait_until(pilot, lambda: image_of(app) == IMAGE + "abc", what=f"abc in the image, got {image_of(app)!r}")
        assert app.editor.current.label == "Algorithm"
        assert app.editor.request["TrainingJobName"] == request["TrainingJobName"]  # not typed into Job


async def test_keys_after_several_switches_in_one_burst_reach_the_last_section():
    request = load_example("pytorch-gpu")
    app = SmjobApp(request, source="test", autosave=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        # ctrl+n twice then ctrl+r: held keys that switch again are replayed after that switch too.
        burst(app, "ctrl+n", "x", "ctrl+n", "ctrl+r", "y", "z")
        await wait_until(pilot, lambda: image_of(app) == IMAGE + "xyz", what=f"xyz in the image, got {image_of(app)!r}")
        await wait_until(pilot, lambda: app.held_keys is None, what="the hold released")
        assert app.editor.current.label == "Algorithm"
        assert app.editor.request["TrainingJobName"] == request["TrainingJobName"]


@pytest.mark.slow
@REQUIRED[0]
@REQUIRED[1]
def test_tmux_ctrl_n_then_typing_lands_in_the_new_field(terminal, tmp_path):
    data = tmp_path / "data"
    env = {
        "SMJOB_DATA_DIR": str(data),
        "SMJOB_CACHE_DIR": str(tmp_path / "cache"),
        "TERM": "tmux-256color",
        "TEXTUAL_ANIMATIONS": "none",
    }
    script = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items()) + f" {shlex.quote(str(SMJOB))} demo"
    terminal.start(["/bin/sh", "-c", script], SIZE)
    terminal.wait_for(lambda s: DEMO_NAME in status_line(s) and "Quit" in s, "the first paint", timeout=15)
    terminal.keys("C-n")
    terminal.type("abc")  # no wait for the section to change

    def typed() -> bool:
        try:
            return json.loads(shelf_draft(data).read_text())["AlgorithmSpecification"]["TrainingImage"].endswith("abc")
        except (OSError, ValueError, KeyError):
            return False

    wait_for_file(typed, "abc at the end of the image in the autosaved draft", timeout=10)
    draft = json.loads(shelf_draft(data).read_text())
    assert draft["TrainingJobName"] == DEMO_NAME
    assert draft["AlgorithmSpecification"]["TrainingImage"] == IMAGE + "abc"


class TypedAhead(SmjobApp):
    """Keys arrive as the app makes its editor, before the editor's forms are mounted (a ctrl+n
    typed while smjob starts: it ran the switch then and the app died with MountError)."""

    CSS_PATH = str(Path(app_module.__file__).with_name(SmjobApp.CSS_PATH))  # relative to smjob.tui.app

    def get_default_screen(self):
        screen = super().get_default_screen()
        burst(self, *["ctrl+n"] * 12, *["ctrl+r"] * 11, "a", "b", "c")
        return screen


async def test_keys_typed_while_the_app_starts_wait_for_the_editor():
    app = TypedAhead(load_example("pytorch-gpu"), source="test", autosave=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: image_of(app) == IMAGE + "abc", what=f"abc in the image, got {image_of(app)!r}")
        assert app.editor.current.label == "Algorithm"

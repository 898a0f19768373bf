"""Drive the app to each of its main screens: shared by the snapshot tests and `python -m tests.support.screenshots`.

A scene is a request, a source label and an async `drive(pilot)` that presses the keys a user
would press. Everything that could vary between runs is pinned here:

* the cursor does not blink (`stable_patches`: Input/TextArea blink callbacks are no-ops), so a
  screenshot never catches it "off";
* the theme is fixed (`THEME`), whatever TEXTUAL_THEME says;
* the export dialog's default directory is a fixed path instead of the process's cwd;
* autosave, notifications and tooltips are off (`Scene.make_app`);
* every step waits for the app to be quiet (`settle`) instead of sleeping: re-validation is
  debounced, and a screenshot taken before it lands shows a different problems list;
* the palette is shown filtered (`PALETTE_QUERY`): unfiltered, its order changes between runs.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from smjob.examples import load_example

THEME = "textual-dark"
EXAMPLE = "pytorch-gpu"
EXPORT_DIR = "/home/user/jobs"  # shown in the export dialog instead of the cwd
SIZES = ((80, 24), (120, 40))

# (owner, attribute) of every cursor-blink callback: replaced by a no-op, the cursor stays shown.
BLINK_CALLBACKS = ((Input, "_toggle_cursor"), (TextArea, "_toggle_cursor_blink_visible"))


def _no_blink(self) -> None:
    pass


def stable_patches() -> list[tuple[object, str, object]]:
    """(owner, attribute, replacement) for everything patched while a scene runs."""
    from smjob.tui.screens.export import ExportScreen

    original_init = ExportScreen.__init__

    def export_init(self, request, default_stem, fmt="json", directory=None, **options):
        original_init(self, request, default_stem, fmt, directory or EXPORT_DIR, **options)

    patches = [(owner, name, _no_blink) for owner, name in BLINK_CALLBACKS]
    patches.append((ExportScreen, "__init__", export_init))
    # No cost in the status line: it depends on a price cache and the network (tests/test_reality_ui.py).
    from smjob.tui.cost_status import CostStatus

    patches.append((CostStatus, "changed", _no_blink))
    return patches


@contextmanager
def stable_environment():
    """Apply `stable_patches()` for the duration (for scripts; tests use monkeypatch)."""
    saved = []
    try:
        for owner, name, replacement in stable_patches():
            saved.append((owner, name, owner.__dict__[name]))
            setattr(owner, name, replacement)
        yield
    finally:
        for owner, name, original in reversed(saved):
            setattr(owner, name, original)


# --- requests -------------------------------------------------------------------------------


def example_request() -> dict:
    return load_example(EXAMPLE)


def invalid_request() -> dict:
    """The example with a job name the API rejects and no RoleArn."""
    request = load_example(EXAMPLE)
    request["TrainingJobName"] = "my_job"
    del request["RoleArn"]
    return request


# --- waiting --------------------------------------------------------------------------------


async def wait_until(pilot: Pilot, predicate: Callable[[], bool], timeout: float = 10.0, what: str = "") -> None:
    """Let the app run until `predicate()` holds; fail loudly instead of snapshotting a half-drawn screen."""
    deadline = time.monotonic() + timeout
    while not predicate():
        check_alive(pilot, f"waiting for {what or predicate}")
        if time.monotonic() > deadline:
            raise TimeoutError(f"scene did not reach: {what or predicate}")
        await pilot.pause()


async def settle(pilot: Pilot) -> None:
    """Wait until the editor is quiet: no re-validation pending for a while, nothing left to draw.

    Inputs post Changed for their initial value after they mount; a real change becomes a
    re-validation, which rebuilds the problems list (and resets its highlight); the cost in the
    status line follows a pause in edits.
    So "nothing pending right now" is not enough: it must stay so for a little while.
    """
    editor = pilot.app.editor
    deadline = time.monotonic() + 10.0
    quiet = 0  # polls in a row with nothing pending; each bare pause waits for the app to go idle
    while quiet < 3:
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()
        busy = editor is not None and (editor.validation_pending or not editor.cost.settled)
        quiet = 0 if busy else quiet + 1
        if time.monotonic() > deadline:
            raise TimeoutError("the editor kept re-validating for 10 s")


async def editor_ready(pilot: Pilot) -> None:
    app = pilot.app
    await wait_until(
        pilot,
        lambda: (
            app.editor is not None
            and app.screen is app.editor
            and app.editor.is_mounted
            and bool(app.editor.form.children)
        ),
        what="editor shown",
    )
    await settle(pilot)


class SceneCrashed(RuntimeError):
    """The app died while a scene drove it (its traceback is printed above by textual)."""


def check_alive(pilot: Pilot, after: str) -> None:
    error = getattr(pilot.app, "_exception", None)  # set by App._handle_exception
    if error is not None:
        raise SceneCrashed(f"the app crashed after {after}: {error!r}") from error


async def press(pilot: Pilot, *keys: str) -> None:
    """Press keys one at a time, letting the app settle after each (section changes mount forms)."""
    for key in keys:
        await pilot.press(key)
        check_alive(pilot, f"pressing {key}")
        await settle(pilot)


def _screen_name(pilot: Pilot) -> str:
    return type(pilot.app.screen).__name__


async def press_to_section(pilot: Pilot, label: str) -> None:
    """ctrl+n until the editor shows `label` (sections get added: never count presses)."""
    editor = pilot.app.editor
    for _ in range(len(editor.all_sections)):
        if editor.current.label == label:
            return
        await press(pilot, "ctrl+n")
    assert editor.current.label == label, f"ctrl+n never reached {label!r}"


# --- the scenes -------------------------------------------------------------------------------


async def drive_editor_job(pilot: Pilot) -> None:
    await editor_ready(pilot)


async def drive_editor_channels(pilot: Pilot) -> None:
    await editor_ready(pilot)
    await press_to_section(pilot, "Input data")


async def drive_editor_resources(pilot: Pilot) -> None:
    await editor_ready(pilot)
    await press_to_section(pilot, "Resources")
    focused = pilot.app.focused
    assert isinstance(focused, Input) and focused.value == "ml.g5.2xlarge", focused


async def show_preview(pilot: Pilot) -> None:
    """F2 shows the preview; at 120 columns and wider it is already shown, and F2 would hide it."""
    await editor_ready(pilot)
    if not pilot.app.editor.has_class("-preview"):
        await press(pilot, "f2")
    assert pilot.app.editor.has_class("-preview")


async def drive_preview_json(pilot: Pilot) -> None:
    await show_preview(pilot)


async def drive_preview_cli(pilot: Pilot) -> None:
    from smjob.widgets.preview import PreviewPane

    await show_preview(pilot)
    await press(pilot, "f4", "f4")  # JSON -> YAML -> CLI
    assert pilot.app.editor.query_one(PreviewPane).active == "preview-cli"


async def drive_problems(pilot: Pilot) -> None:
    from smjob.widgets.problems_panel import ProblemsPanel

    await editor_ready(pilot)
    await press(pilot, "f3")
    assert isinstance(pilot.app.focused, ProblemsPanel)


async def drive_instance_picker(pilot: Pilot) -> None:
    await drive_editor_resources(pilot)
    await press(pilot, "f4")
    await wait_until(pilot, lambda: _screen_name(pilot) == "InstancePickerScreen", what="instance picker")
    await settle(pilot)


async def drive_export(pilot: Pilot) -> None:
    await editor_ready(pilot)
    await press(pilot, "f10")
    await wait_until(pilot, lambda: _screen_name(pilot) == "ExportScreen", what="export dialog")
    await settle(pilot)


async def drive_help(pilot: Pilot) -> None:
    await editor_ready(pilot)
    owner = pilot.app.focused.parent  # the editor starts in the first field, TrainingJobName
    assert getattr(owner, "path", None) == ("TrainingJobName",), pilot.app.focused
    await press(pilot, "f1")
    await wait_until(pilot, lambda: _screen_name(pilot) == "FieldHelpScreen", what="field help")
    await settle(pilot)


PALETTE_QUERY = "go to"


async def drive_palette(pilot: Pilot) -> None:
    """The palette filtered by a query.

    With an empty query the list mixes textual's system commands and smjob's in provider order,
    which changes from run to run (App.COMMANDS is a set); a query that only smjob's commands
    match is listed by score, deterministically.
    """
    from textual.command import CommandList, CommandPalette

    await editor_ready(pilot)
    await press(pilot, "ctrl+p")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, CommandPalette), what="command palette")
    await press(pilot, *["space" if ch == " " else ch for ch in PALETTE_QUERY])
    palette = pilot.app.screen
    group = palette._GATHER_COMMANDS_GROUP

    def listed() -> bool:
        gathering = any(w.group == group and not w.is_finished for w in pilot.app.workers)
        options = palette.query_one(CommandList).options
        return (
            not gathering
            and palette.has_class("-ready")
            and any("Go to section: Job" in str(o.prompt) for o in options)
        )

    await wait_until(pilot, listed, what="palette results")
    await settle(pilot)


@dataclass(frozen=True)
class Scene:
    name: str  # the screenshot's file stem
    drive: Callable[[Pilot], Awaitable[None]]
    request: Callable[[], dict] = field(default=example_request)
    source: str = f"example {EXAMPLE}"

    def make_app(self):
        from smjob.tui.app import SmjobApp

        app = SmjobApp(self.request(), source=self.source, autosave=False)
        app.theme = THEME
        # run_test() sets these; snap_compare runs the app with App.run(headless=True), which does not.
        app._disable_notifications = True
        app._disable_tooltips = True
        return app


SCENES: tuple[Scene, ...] = (
    Scene("editor-job", drive_editor_job),
    Scene("editor-channels", drive_editor_channels),
    Scene("editor-resources", drive_editor_resources),
    Scene("preview-json", drive_preview_json),
    Scene("preview-cli", drive_preview_cli),
    Scene("problems", drive_problems, request=invalid_request),
    Scene("instance-picker", drive_instance_picker),
    Scene("export", drive_export),
    Scene("help", drive_help),
    Scene("palette", drive_palette),
)

SCENE_BY_NAME = {scene.name: scene for scene in SCENES}


async def screenshot(scene: Scene, size: tuple[int, int]) -> str:
    """The SVG of `scene` at `size` (columns, rows). Call inside `stable_environment()`."""
    app = scene.make_app()
    try:
        async with app.run_test(size=size) as pilot:
            await scene.drive(pilot)
            await settle(pilot)
            return app.export_screenshot()
    except SceneCrashed:
        raise
    except Exception as exc:  # run_test re-raises the app's own exception on the way out
        if getattr(app, "_exception", None) is exc:
            raise SceneCrashed(f"{scene.name}: the app crashed: {exc!r}") from exc
        raise

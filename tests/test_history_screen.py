"""The history screen at 80 and 200 columns: columns sized to their content (instances with their
count), refreshed when another process writes the store, diffs from older to newer."""

from __future__ import annotations

import pytest

from smjob.aws import Target
from smjob.examples import load_example
from smjob.history import History
from smjob.tui.screens.history import DiffScreen, HistoryScreen
from smjob.tui.screens.history_rows import column_widths
from smjob.widgets.diff_view import DiffView
from smjob.widgets.virtual_table import VirtualTable
from tests.support.screens import Host, plain_lines, text_of
from tests.support.waiting import wait_until as until

ENDPOINT = "http://127.0.0.1:5123"


def _fill(path) -> tuple[History, dict]:
    history = History(path)
    ids = {
        "gpu": history.record(
            "submit", load_example("pytorch-gpu"), status="Completed", target=Target(None, "eu-west-1", None)
        ),
        "hetero": history.record(
            "submit", load_example("heterogeneous"), status="InProgress", target=Target(None, None, ENDPOINT)
        ),
        "xgb": history.record("export", load_example("xgboost-distributed"), path="/tmp/job.json"),
    }
    return history, ids


def _row(app, needle: str) -> str:
    return next(line for line in plain_lines(app) if needle in line)


@pytest.mark.parametrize("width", [80, 200])
async def test_columns_fit_their_content_with_instances_and_where(tmp_path, width):
    history, _ = _fill(tmp_path / "h.sqlite3")
    xgb = load_example("xgboost-distributed")["ResourceConfig"]
    app = Host(lambda: HistoryScreen(history, {}))
    async with app.run_test(size=(width, 24)) as pilot:
        table = app.screen.query_one(VirtualTable)
        await until(pilot, lambda: table.row_count == 3 and any("InProgress" in x for x in plain_lines(app)))
        assert table.virtual_size.width <= width  # nothing hides to the right
        header = _row(app, "when")
        assert header.split() == ["when", "status", "job", "name", "instances", "where"]
        hetero = _row(app, "InProgress").rstrip()
        assert "c5.9xlarge +1 \u00d73" in hetero  # the first group's type, +1 other, 3 instances in all
        gpu = _row(app, "Completed").rstrip()
        assert gpu.endswith("eu-west-1") and "g5.2xlarge \u00d71" in gpu
        shown_where = hetero.split()[-1]
        assert len(shown_where) >= 10 and shown_where[:5] == "127.0"  # never a 1-cell column
        if width == 200:  # room for everything, whole
            assert hetero.endswith("127.0.0.1:5123")
            assert load_example("heterogeneous")["TrainingJobName"] in hetero
        assert f"{xgb['InstanceType'].removeprefix('ml.')} \u00d7{xgb['InstanceCount']}" in _row(app, "exported")
    history.close()


@pytest.mark.parametrize("width", [80, 200])
async def test_an_export_says_which_file_it_went_to(tmp_path, width):
    """Where an export went is its file, as `smjob history list` prints it (smjob.history.where_of):
    whole where there is room, else cut in the middle with the file name kept."""
    history = History(tmp_path / "h.sqlite3")
    script = "/tmp/review/job.sh"
    deep = "/tmp/review/" + "/".join(["a-folder-with-a-long-name"] * 4) + "/xgboost-request.json"
    history.record("export", load_example("pytorch-gpu"), path=script)
    history.record("export", load_example("xgboost-distributed"), path=deep)
    history.record(
        "submit", load_example("spot-checkpoints"), status="Completed", target=Target(None, "eu-west-1", None)
    )
    app = Host(lambda: HistoryScreen(history, {}))
    async with app.run_test(size=(width, 24)) as pilot:
        await until(pilot, lambda: sum("exported" in line for line in plain_lines(app)) == 2)
        deep_row, script_row = (line.rstrip() for line in plain_lines(app) if "exported" in line)  # newest first
        assert script_row.endswith("/job.sh")
        assert _row(app, "Completed").rstrip().endswith("eu-west-1")
        if width == 200:
            assert script_row.endswith(f"  {script}")
            where = deep_row.split()[-1]
            assert where.startswith("/tmp/review/a-folder") and where.endswith("/xgboost-request.json")
            assert "\u2026" in where and len(where) < len(deep)
    history.close()


def test_column_widths_give_way_in_order():
    wanted = {"mark": 1, "when": 11, "state": 10, "name": 40, "instances": 20, "where": 30}
    assert column_widths(wanted, 200) == wanted
    squeezed = column_widths(wanted, 66)
    assert squeezed["where"] == 10 and squeezed["name"] == 16 and sum(squeezed.values()) == 66


async def test_the_screen_follows_writes_from_another_process(tmp_path):
    path = tmp_path / "h.sqlite3"
    history, _ = _fill(path)
    app = Host(lambda: HistoryScreen(history, {}))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await until(pilot, lambda: "3 of 3 entries" in text_of(screen.query_one("#history-info")))
        other = History(path)  # another connection, as `smjob history resubmit` in a second process
        request = dict(load_example("spot-checkpoints"), TrainingJobName="resub-elsewhere")
        other.record("submit", request, status="InProgress", target=Target(None, "us-east-1", None))
        await until(pilot, lambda: "4 of 4 entries" in text_of(screen.query_one("#history-info")), timeout=10)
        await until(pilot, lambda: any("resub-elsewhere" in line for line in plain_lines(app)))
        other.update_status(1, "Stopped")
        await until(pilot, lambda: any("Stopped" in line for line in plain_lines(app)), timeout=10)
        other.close()
    history.close()


async def test_diff_runs_older_to_newer_and_says_no_differences_once(tmp_path):
    history, ids = _fill(tmp_path / "h.sqlite3")
    same = history.record("export", load_example("xgboost-distributed"), path="/tmp/again.json")
    app = Host(lambda: HistoryScreen(history, {}))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        table = screen.query_one(VirtualTable)
        await until(pilot, lambda: table.row_count == 4)
        table.move_cursor(screen.order.index(ids["hetero"]))
        await pilot.press("m")  # the newer marked, the older highlighted: still older -> newer
        table.move_cursor(screen.order.index(ids["gpu"]))
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, DiffScreen))
        title = text_of(app.screen.query_one(".modal-title"))
        assert title.index(f"#{ids['gpu']}") < title.index(f"#{ids['hetero']}")
        hetero = load_example("heterogeneous")["ResourceConfig"]["InstanceGroups"]
        change = next(c for c in app.screen.changes if c.where.startswith("ResourceConfig.InstanceGroups"))
        assert change.new == hetero or change.new in hetero  # what the newer entry has
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen)

        table.move_cursor(screen.order.index(same))
        await pilot.press("m")
        table.move_cursor(screen.order.index(ids["xgb"]))
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, DiffScreen))
        await pilot.pause()
        assert "\n".join(plain_lines(app)).count("no differences") == 1
        assert text_of(app.screen.query_one(DiffView)).strip() == "no differences"
    history.close()

"""The submit dialog at 80 and 200 columns: nothing in it is cut. The image wraps after its registry
host (its tag never cut), long messages wrap under themselves, the dialog scrolls and keeps the
buttons and what Submit did in view; the target (profile, region, endpoint) shows as fields."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from rich.text import Text
from textual.geometry import Region
from textual.widgets import Input

from smjob.aws import Target
from smjob.examples import load_example
from smjob.preflight import FAILED, PASSED, Check, Report
from smjob.problems import Problem
from smjob.tui.screens.submit import SubmitScreen
from smjob.widgets.hanging import Hanging, Row, path_breaks
from tests.support.screens import Host, plain_lines
from tests.support.waiting import wait_until as until

HOST = "763104351884.dkr.ecr.us-east-1.amazonaws.com/"
TAG = "2.3.0-gpu-py311-cu121-ubuntu20.04-sagemaker"
IMAGE = f"{HOST}pytorch-training:{TAG}"  # the demo's: 103 columns


def pieces(text: str, width: int) -> list[str]:
    breaks = path_breaks(text, width)
    return [text[a:b] for a, b in zip([0, *breaks], [*breaks, len(text)], strict=True)]


@pytest.mark.parametrize("width", [20, 40, 43, 55, 61, 103, 200])
def test_an_image_wraps_after_its_host_and_keeps_its_tag_whole(width):
    lines = pieces(IMAGE, width)
    assert "".join(lines) == IMAGE and all(cell_len(line) <= width for line in lines)
    if width >= len(TAG):
        assert any(TAG in line for line in lines), lines
    if width >= len(IMAGE):
        assert lines == [IMAGE]
    elif width >= len(IMAGE) - len(HOST):
        assert lines == [HOST, f"pytorch-training:{TAG}"]


def test_uris_break_after_a_slash_not_in_the_scheme_and_a_digest_stays_whole():
    digest = "sha256:" + "ab" * 32
    image = f"123456789012.dkr.ecr.eu-west-1.amazonaws.com/trainer@{digest}"
    assert pieces(image, 72) == ["123456789012.dkr.ecr.eu-west-1.amazonaws.com/trainer@", digest]
    s3 = "s3://bucket-with-a-long-name/prefix/output/"
    assert pieces(s3, 30) == ["s3://bucket-with-a-long-name/", "prefix/output/"]
    assert pieces("s3://b/k", 8) == ["s3://b/k"]


def test_hanging_rows_wrap_under_their_body_and_print_unwrapped():
    body = "123456789012 as arn:aws:sts::123456789012:user/moto (env credentials, region us-east-1)"
    shown = Hanging([Row(Text("Account     "), Text(body)), Row(Text("! "), Text("short"))])
    lines = [line.plain for line in shown.lines(50)]
    assert lines[0].startswith("Account     123456789012") and all(len(line) <= 50 for line in lines)
    assert all(line.startswith(" " * 12) for line in lines[1:-1]) and lines[-1] == "! short"
    assert " ".join(" ".join(lines[:-1]).split()[1:]) == body
    assert str(shown) == f"Account     {body}\n! short"


def shown_text(widget) -> str:
    """Every line the widget renders (scrolled into view or not), words joined by single spaces."""
    strips = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return " ".join(" ".join("".join(s.text for s in strip) for strip in strips).split())


def dialog_lines(app) -> list[str]:
    box = app.screen.query_one("SubmitScreen > Vertical").region
    return [line[box.x : box.right] for line in plain_lines(app)[box.y : box.bottom]]


@pytest.mark.parametrize("size", [(80, 24), (200, 50)])
async def test_nothing_is_cut_and_the_dialog_scrolls_to_each_check(moto, monkeypatch, size):
    request = load_example("pytorch-gpu")
    request["AlgorithmSpecification"]["TrainingImage"] = IMAGE
    name = request["TrainingJobName"]
    taken = f"a training job named {name} exists in us-east-1 (names can never be reused; pick another)"
    checks = [Check("job name is free", FAILED, taken, ("TrainingJobName",))]
    checks += [Check(f"check {n}", PASSED, f"passed number {n}") for n in range(40)]
    monkeypatch.setattr("smjob.preflight.run_preflight", lambda *a, **k: Report(list(checks), 0.1, "us-east-1"))
    app = Host(lambda: SubmitScreen(request, Target(None, moto.region, moto.url), []))
    async with app.run_test(size=size) as pilot:
        screen = app.screen
        identity = screen.query_one("#identity")
        await until(pilot, lambda: "moto" in str(identity.render()), what="the account")
        olist = screen.query_one("#preflight-checks")
        await until(pilot, lambda: len(olist.options) == len(checks), what="the checks")
        await pilot.pause()
        lines = dialog_lines(app)
        assert not any("…" in line for line in lines), lines
        image_line = next(line for line in lines if "Image" in line)
        if size[0] >= 200:  # the room is used: the dialog is wider than 100 and the image on one line
            assert screen.query_one("SubmitScreen > Vertical").size.width >= 130
            assert IMAGE in image_line
        else:
            assert HOST in image_line and any(f"pytorch-training:{TAG}" in line for line in lines)
        # Whole, however long: the account and a check's message wrap instead of being cut.
        assert str(identity.render()).removeprefix("Account").strip() in shown_text(identity)
        assert f"job name is free [TrainingJobName]: {taken}" in shown_text(olist)
        # The list is as tall as its checks; moving in it scrolls the dialog to the highlighted one.
        olist.focus()
        await until(pilot, lambda: olist.has_focus, what="the checks focused")  # else End goes elsewhere
        await pilot.press("end")
        await until(pilot, lambda: any("passed number 39" in line for line in dialog_lines(app)), what="the last")
        await pilot.press("home")
        await until(pilot, lambda: any("job name is free" in line for line in dialog_lines(app)), what="the first")
        for name in ("profile", "region", "endpoint"):
            field = screen.query_one(f"#{name}", Input)
            assert field.styles.text_style.underline  # an input's look, not a fact's
            assert field.styles.background != screen.query_one(".summary").styles.background
        assert screen.query_one("#endpoint", Input).value == moto.url
        await pilot.press("escape")
        await until(pilot, lambda: app.results == [None])


async def test_what_stops_a_submission_stays_in_view_at_80x24(moto):
    problems = [Problem(("RoleArn",), "RoleArn is required")]
    app = Host(lambda: SubmitScreen(load_example("pytorch-gpu"), Target(None, moto.region, moto.url), problems))
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: any("Not ready: 1 error(s)" in line for line in dialog_lines(app)))
        assert any("Cancel" in line for line in dialog_lines(app))
        await pilot.press("escape")
        await until(pilot, lambda: app.results == [None])


def _passing_preflight(monkeypatch, n: int = 40) -> list[Check]:
    checks = [Check(f"check {i}", PASSED, f"passed number {i}") for i in range(n)]
    monkeypatch.setattr("smjob.preflight.run_preflight", lambda *a, **k: Report(list(checks), 0.1, "us-east-1"))
    return checks


async def _opened(pilot, app, checks) -> SubmitScreen:
    screen = app.screen
    await until(pilot, lambda: "moto" in str(screen.query_one("#identity").render()), what="the account")
    olist = screen.query_one("#preflight-checks")
    await until(pilot, lambda: len(olist.options) == len(checks), what="the checks")
    return screen


async def test_left_and_right_move_between_the_buttons_and_other_keys_still_work(moto, monkeypatch):
    checks = _passing_preflight(monkeypatch)
    app = Host(lambda: SubmitScreen(load_example("pytorch-gpu"), Target(None, moto.region, moto.url), []))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _opened(pilot, app, checks)
        cancel, submit = screen.query_one("#cancel"), screen.query_one("#submit")

        def focused() -> str | None:
            return getattr(screen.focused, "id", None)

        cancel.focus()
        await until(pilot, lambda: focused() == "cancel")
        for key, where in (("right", "submit"), ("right", "submit"), ("left", "cancel"), ("left", "cancel")):
            await pilot.press(key)
            await until(pilot, lambda where=where: focused() == where, what=f"{key} -> {where}")
        await pilot.press("tab")  # Tab still goes its own way: from Cancel to Submit
        await until(pilot, lambda: focused() == "submit", what="tab")
        assert not submit.disabled
        # In a field ←/→ move its cursor, not the focus; in the checks list they do nothing to the buttons.
        region = screen.query_one("#region", Input)
        region.focus()
        await until(pilot, lambda: focused() == "region")
        region.cursor_position = len(region.value)
        await pilot.press("left")
        await until(pilot, lambda: region.cursor_position == len(region.value) - 1, what="the cursor moved")
        assert focused() == "region"
        screen.query_one("#preflight-checks").focus()
        await until(pilot, lambda: focused() == "preflight-checks")
        await pilot.press("right", "left")
        await pilot.pause()
        assert focused() == "preflight-checks"
        # Enter on the button ← chose presses it.
        submit.focus()
        await until(pilot, lambda: focused() == "submit")
        await pilot.press("left")
        await until(pilot, lambda: focused() == "cancel")
        await pilot.press("enter")
        await until(pilot, lambda: app.results == [None], what="Cancel pressed")


async def test_page_keys_scroll_the_dialog_from_anywhere_but_the_checks_list(moto, monkeypatch):
    checks = _passing_preflight(monkeypatch)
    app = Host(lambda: SubmitScreen(load_example("pytorch-gpu"), Target(None, moto.region, moto.url), []))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _opened(pilot, app, checks)
        body = screen.query_one("SubmitScreen > Vertical")
        await until(pilot, lambda: body.max_scroll_y > 0, what="a dialog taller than the screen")
        title = "Submit this training job?"
        for start in ("#cancel", "#region"):
            screen.query_one(start).focus()
            await until(pilot, lambda start=start: screen.focused is screen.query_one(start))
            body.scroll_home(animate=False)
            await until(pilot, lambda: body.scroll_y == 0 and any(title in line for line in dialog_lines(app)))
            await pilot.press("pagedown")
            await until(pilot, lambda: body.scroll_y > 0, what=f"pagedown from {start} scrolls")
            # By what was in view above the docked buttons: no line is skipped unseen.
            assert body.scroll_y == screen.query_one(".dialog-foot").region.y - body.content_region.y
            await until(pilot, lambda: not any(title in line for line in dialog_lines(app)), what="the title gone")
            assert any("Cancel" in line for line in dialog_lines(app))  # the buttons stay in view
            for _ in range(20):
                await pilot.press("pagedown")
            await until(pilot, lambda: body.scroll_y == body.max_scroll_y, what="the end")
            assert any("passed number 39" in line for line in dialog_lines(app))
            await pilot.press("pageup")
            await until(pilot, lambda: body.scroll_y < body.max_scroll_y, what=f"pageup from {start} scrolls")
            assert screen.focused is screen.query_one(start)  # the focus stays where it was
        # The checks list pages through its checks itself (and the dialog follows its highlight).
        olist = screen.query_one("#preflight-checks")
        olist.focus()
        await until(pilot, lambda: olist.has_focus)
        olist.highlighted = 0
        await pilot.press("pagedown")
        await until(pilot, lambda: (olist.highlighted or 0) > 0, what="the highlight paged")
        await pilot.press("escape")
        await until(pilot, lambda: app.results == [None])

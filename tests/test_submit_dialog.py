"""The submit dialog at 80 and 200 columns: the image cut in the middle with its tag in view, and
the target (profile, region, endpoint) shown as fields you can change."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from textual.widgets import Input

from smjob.aws import Target
from smjob.examples import load_example
from smjob.tui.screens.submit import SubmitScreen, elide_image
from tests.support.screens import Host, plain_lines
from tests.support.waiting import wait_until as until

IMAGE = "763104351884.dkr.ecr.us-east-1.amazonaws.com/team/vision/pytorch-training:2.3.0-gpu-py311"


@pytest.mark.parametrize("width", [36, 58, 75])
def test_elide_image_keeps_registry_start_repository_end_and_tag(width):
    shown = elide_image(IMAGE, width)
    assert cell_len(shown) == width and "\u2026" in shown
    assert shown.startswith("763104351") and shown.endswith(":2.3.0-gpu-py311")
    assert elide_image("short:1", 10) == "short:1"


def test_elide_image_cuts_a_long_digest_in_its_middle_not_the_end():
    image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/trainer@sha256:" + "ab" * 32
    shown = elide_image(image, 60)
    assert cell_len(shown) == 60 and shown.endswith("abab") and "@sha256:" in shown


@pytest.mark.parametrize("size", [(80, 24), (200, 50)])
async def test_image_tag_visible_and_target_looks_editable(moto, size):
    request = load_example("pytorch-gpu")
    request["AlgorithmSpecification"]["TrainingImage"] = IMAGE
    app = Host(lambda: SubmitScreen(request, Target(None, moto.region, moto.url), []))
    async with app.run_test(size=size) as pilot:
        await until(pilot, lambda: any("Image" in line for line in plain_lines(app)))
        await until(pilot, lambda: any(":2.3.0-gpu-py311" in line for line in plain_lines(app)), what="the tag")
        image_line = next(line for line in plain_lines(app) if "Image" in line)
        assert "763104351884.dkr" in image_line
        text = "\n".join(plain_lines(app))
        assert "you can change these" in text
        for name in ("profile", "region", "endpoint"):
            field = app.screen.query_one(f"#{name}", Input)
            assert field.styles.text_style.underline  # an input's look, not a fact's
            assert field.styles.background != app.screen.query_one(".summary").styles.background
        assert app.screen.query_one("#endpoint", Input).value == moto.url
        await pilot.press("escape")
        await until(pilot, lambda: app.results == [None])

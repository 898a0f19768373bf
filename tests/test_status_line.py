"""The editor's top line fits one line and keeps the verdict and the file, giving way in order."""

import pytest
from rich.cells import cell_len
from rich.text import Text

from smjob.tui.status_line import NAME_MIN, Part, file_forms, fit

NAME = "pytorch-resnet50-g5-20240601-120000"
PATH = "/home/me/projects/vision/jobs/resnet50-g5.json"


def line(width: int, name: str = NAME, verdict: str = "valid", source: str | None = PATH) -> str:
    target = Part([Text("profile ml-team · us-east-1"), Text("us-east-1"), None])
    cost = Part([Text("price unknown: no price list in this region"), Text("price ?"), None])
    file = Part(file_forms(Text(source))) if source else None
    return fit(name, Text(verdict), target, cost, file, room=width).plain


def test_everything_in_full_when_it_fits():
    cost = "price unknown: no price list in this region"
    assert line(200) == f"smjob {NAME}  valid  profile ml-team · us-east-1  {cost}  {PATH}"


@pytest.mark.parametrize("width", range(40, 200, 3))
def test_it_fits_and_keeps_the_verdict_and_the_file(width):
    text = line(width, verdict="2 error(s)  1 warning(s)")
    assert len(text) <= width or NAME_MIN + len("smjob   2 error(s)  1 warning(s)  resnet50-g5.json") > width
    assert "2 error(s)  1 warning(s)" in text
    assert text.endswith("resnet50-g5.json")


def test_short_forms_then_the_file_name_then_the_cost_and_target_go_before_the_name_is_cut():
    assert line(86) == f"smjob {NAME}  valid  us-east-1  price ?  resnet50-g5.json"  # 86 columns
    assert line(85) == f"smjob {NAME}  valid  us-east-1  resnet50-g5.json"
    assert line(77) == f"smjob {NAME}  valid  us-east-1  resnet50-g5.json"
    assert line(76) == f"smjob {NAME}  valid  price ?  resnet50-g5.json"  # the room the target could not use
    assert line(74) == f"smjob {NAME}  valid  resnet50-g5.json"
    assert line(66) == f"smjob {NAME}  valid  resnet50-g5.json"
    shorter = line(56)
    assert shorter == "smjob pytorch-resn…40601-120000  valid  resnet50-g5.json"  # 10 over: 35 -> 25, 12 + … + 12
    assert len(line(30).split()[1]) == NAME_MIN  # no shorter


def test_a_source_that_is_not_a_path_is_shown_as_it_is():
    assert line(80, source="example").endswith("  example")
    assert file_forms(Text("/")) == [Text("/")]
    local = "example pytorch-gpu · local endpoint http://127.0.0.1:5000"  # a URL is not a folder
    shown = line(80, source=local)  # the name stays whole, the source is cut at its end
    assert len(shown) == 80 and shown == f"smjob {NAME}  valid  " + local[:29] + "…"
    long_file = "/very/long/folder/name/a-very-long-file-name-for-the-job.json"
    # 60 columns: the file name cut to its last 24 characters, then the job name to what is left (20).
    assert line(60, source=long_file) == "smjob pytorch-re…01-120000  valid  …le-name-for-the-job.json"
    assert file_forms(Text(local)) == [Text(local)]


def test_a_wide_character_name_is_cut_by_cells():
    name = "学習ジョブ-" * 6  # 36 characters, 66 cells
    shown = line(80, name=name).split("  ")[0].removeprefix("smjob ")
    assert cell_len(line(80, name=name)) <= 80 and "…" in shown


def test_a_part_shortened_first_takes_its_long_form_back_when_a_later_one_made_room():
    # 134 columns: the target's long form fits once the cost is short (the target was shortened first).
    assert line(134) == f"smjob {NAME}  valid  profile ml-team · us-east-1  price ?  {PATH}"

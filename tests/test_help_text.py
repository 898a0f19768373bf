"""Documentation as people read it: F1's API reference URL on a line of its own, whole when the
screen has room and broken only after a `/` or before its #anchor when not; a structure's doc in
the form shortened after a whole word, with an ellipsis."""

from __future__ import annotations

import pytest
from textual.geometry import Region
from textual.widgets import Collapsible, Static

from smjob.doctext import summary
from smjob.examples import load_example
from smjob.field_notes import reference_url
from smjob.schema import request_schema
from smjob.tui.app import SmjobApp
from smjob.tui.screens.help import FieldHelpScreen
from smjob.widgets.hanging import path_breaks
from tests.support.screens import Host
from tests.support.waiting import wait_until

INSTANCE_TYPE = ("ResourceConfig", "InstanceType")


def rendered_lines(widget) -> list[str]:
    strips = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return ["".join(segment.text for segment in strip).rstrip() for strip in strips]


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ((200, 50), [reference_url(INSTANCE_TYPE)]),
        (
            (80, 24),
            [
                "https://docs.aws.amazon.com/sagemaker/latest/APIReference/",
                "API_ResourceConfig.html#sagemaker-Type-ResourceConfig-InstanceType",
            ],
        ),
    ],
)
async def test_the_api_reference_url_is_whole_on_its_own_line_where_it_fits(size, expected):
    app = Host(lambda: FieldHelpScreen(INSTANCE_TYPE))
    async with app.run_test(size=size) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, FieldHelpScreen))
        shown = next(s for s in app.screen.query(Static) if reference_url(INSTANCE_TYPE) in str(s.render()))
        await wait_until(pilot, lambda: shown.size.width > 0, what="the URL laid out")
        assert [line for line in rendered_lines(shown) if line] == expected


def test_a_url_breaks_after_a_slash_or_before_its_anchor():
    url = reference_url(INSTANCE_TYPE)
    breaks = path_breaks(url, 50)
    assert [url[a:b] for a, b in zip([0, *breaks], [*breaks, len(url)], strict=True)] == [
        "https://docs.aws.amazon.com/sagemaker/latest/",
        "APIReference/API_ResourceConfig.html",
        "#sagemaker-Type-ResourceConfig-InstanceType",
    ]


def test_a_shortened_doc_ends_after_a_whole_word_with_an_ellipsis():
    vpc = request_schema().at(("VpcConfig",)).doc
    assert summary(vpc).endswith("For more information, see Protect…")
    assert summary("Short enough.") == "Short enough."
    assert summary("First paragraph.\n\nSecond.") == "First paragraph."
    for _path, node in request_schema().walk():
        first = node.doc.strip().split("\n")[0].strip() if node.doc else ""
        shown = summary(node.doc) if node.doc else ""
        assert len(shown) <= 200
        if shown != first:
            kept = shown.removesuffix("…")
            assert shown.endswith("…") and first.startswith(kept)
            assert first[len(kept)] in " ,;:", (kept[-20:], first[len(kept) : len(kept) + 20])


async def test_the_form_shows_a_structure_doc_cut_at_a_word():
    app = SmjobApp(load_example("pytorch-gpu"), autosave=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.run_action("go_to_section('VpcConfig')")
        editor = app.editor
        await wait_until(pilot, lambda: editor.current.key == "VpcConfig", what="Network/VPC")
        vpc = editor.form.query_one(Collapsible)
        vpc.collapsed = False
        await wait_until(pilot, lambda: bool(vpc.query(".structure-doc")), what="the doc")
        doc = vpc.query_one(".structure-doc")
        await wait_until(pilot, lambda: doc.size.width > 0, what="the doc laid out")
        assert " ".join(rendered_lines(doc)).endswith("see Protect…")

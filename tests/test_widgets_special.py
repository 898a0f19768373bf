"""Instance type picker, map / tag editors, string lists: pure helpers and the widgets under a pilot."""

import time

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Input, OptionList, TextArea

from smjob import rules
from smjob.editing import set_at
from smjob.facts import facts_for
from smjob.instances import family, has_local_nvme, is_accelerated, is_gpu, parse_instance_type, sort_key
from smjob.keyvalue import parse_key_value_lines
from smjob.paths import get_at
from smjob.schema import request_schema
from smjob.widgets.fields import ChoiceField, TextField
from smjob.widgets.form import editor_for, is_instance_type, is_key_value_list
from smjob.widgets.instance_columns import cell, facts_line, layout
from smjob.widgets.instance_picker import InstancePickerScreen, InstanceTypeField, picker_options
from smjob.widgets.kv_list import MAX_KEY_COLUMN
from smjob.widgets.line_list import LineList
from smjob.widgets.list_editor import ListEditor
from smjob.widgets.map_editor import DUPLICATE, NO_KEY, MapEditor, TagListEditor
from smjob.widgets.paste_lines import PasteKeyValueScreen
from smjob.widgets.pickers import PickerTextField
from smjob.widgets.pickers.list_field import PickerListField
from smjob.widgets.string_list import StringListEditor, lines_to_items
from tests.support.keyboard import type_text
from tests.support.waiting import wait_until

SIZE = (80, 24)
INSTANCE_PATH = ("ResourceConfig", "InstanceType")


def node_at(path):
    return request_schema().at(path)


def instance_type_enums():
    return [(path, node) for path, node in request_schema().walk() if node.kind == "string" and is_instance_type(node)]


class Harness(App):
    """Mounts one editor, owns its request (a RequestOwner, as the editor screen is) and records
    every edit applied. Widgets holding Inputs are built inside the app."""

    def __init__(self, make_widget, request: dict | None = None) -> None:
        super().__init__()
        self.make_widget = make_widget
        self.widget = None
        self.request: dict = request or {}
        self.changes: list = []

    def compose(self) -> ComposeResult:
        self.widget = self.make_widget()
        yield self.widget

    def value_at(self, path):
        return get_at(self.request, path)

    def apply_edit(self, path, value, *, typing=False, label=None) -> None:
        if get_at(self.request, path) != value:  # as the editor: an unchanged value is no edit
            set_at(self.request, path, value)
            self.changes.append((path, value))

    def problems_at(self, path):
        return []


def owned(path, value) -> dict:
    """A request holding `value` at `path`, for the Harness to own."""
    return set_at({}, path, value) if value is not None else {}


def line_text(widget, y: int = 0) -> str:
    """What the terminal shows on a widget's line: plain characters, no markup."""
    return widget.render_line(y).text


# --- smjob.keyvalue -----------------------------------------------------------------------


def test_parse_key_value_lines_forms():
    text = "\n".join(
        [
            "# a comment",
            "  lr=0.01",
            "",
            "export EPOCHS=10",
            'export  X = "two words"',
            "a=b=c",
            "batch_size: 64",
            "url: s3://b/k=v",
            "empty=",
            "   # indented comment",
            "q='single'",
        ]
    )
    rows, errors = parse_key_value_lines(text)
    assert errors == []
    assert rows == [
        ("lr", "0.01"),
        ("EPOCHS", "10"),
        ("X", "two words"),
        ("a", "b=c"),
        ("batch_size", "64"),
        ("url", "s3://b/k=v"),
        ("empty", ""),
        ("q", "single"),
    ]


def test_parse_key_value_lines_errors_name_the_line():
    rows, errors = parse_key_value_lines("ok=1\r\nno separator here\r\n=novalue\r\nexport\r\n")
    assert rows == [("ok", "1")]
    assert len(errors) == 3
    assert errors[0].startswith("line 2:") and "no separator here" in errors[0]
    assert errors[1].startswith("line 3:") and "empty key" in errors[1]
    assert errors[2].startswith("line 4:")


def test_parse_key_value_lines_keeps_duplicates_in_order_and_odd_text():
    rows, errors = parse_key_value_lines("a=1\nexportx=2\na=3\n[red]=\x1b[31m\n")
    assert errors == []
    assert rows == [("a", "1"), ("exportx", "2"), ("a", "3"), ("[red]", "\x1b[31m")]


def test_parse_key_value_lines_empty():
    assert parse_key_value_lines("") == ([], [])
    assert parse_key_value_lines("\n\n# only comments\n") == ([], [])


# --- smjob.instances ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("instance_type", "nvme", "gpu"),
    [
        ("ml.p4d.24xlarge", True, True),
        ("ml.p4de.24xlarge", True, True),
        ("ml.p3dn.24xlarge", True, True),
        ("ml.g4dn.xlarge", True, True),
        ("ml.g5.2xlarge", True, True),
        ("ml.g6.xlarge", True, True),
        ("ml.g6e.xlarge", True, True),
        ("ml.p5.48xlarge", True, True),
        ("ml.p5e.48xlarge", True, True),
        ("ml.trn1.32xlarge", True, False),
        ("ml.trn1n.32xlarge", True, False),
        ("ml.m5d.large", True, False),
        ("ml.c5d.xlarge", True, False),
        ("ml.r5d.large", True, False),
        ("ml.c5.4xlarge", False, False),
        ("ml.c5.xlarge", False, False),
        ("ml.p3.2xlarge", False, True),
        ("ml.m5.large", False, False),
        ("ml.c7i-flex.large", False, False),
        ("ml.t3.medium", False, False),
        ("ml.p6-b200.48xlarge", True, True),  # smjob.facts (EC2 DescribeInstanceTypes): 30,400 GB NVMe
        ("", False, False),
        ("ml.g5", False, False),
        ("p4d.24xlarge", False, False),
        ("[red]", False, False),
    ],
)
def test_instance_heuristics(instance_type, nvme, gpu):
    assert has_local_nvme(instance_type) is nvme
    assert is_gpu(instance_type) is gpu


def test_family_is_between_ml_and_the_last_dot():
    assert family("ml.g4dn.xlarge") == "g4dn"
    assert family("ml.m7i-flex.large") == "m7i-flex"
    assert family("ml.p6e-gb200.36xlarge") == "p6e-gb200"
    assert family("ml.g5") is None and family("g5.xlarge") is None and family("") is None


def test_every_instance_type_in_the_model_has_a_family_and_parses():
    enums = instance_type_enums()
    assert INSTANCE_PATH in [path for path, _ in enums]
    for _, node in enums:
        for value in node.enum:
            assert family(value), value
            assert parse_instance_type(value) is not None, value


def test_instances_agrees_with_the_rules_module():
    # Until smjob.rules imports smjob.instances, the two copies of the heuristic must agree.
    for _, node in instance_type_enums():
        for value in node.enum:
            assert has_local_nvme(value) is bool(rules.has_local_storage(value)), value
            assert is_gpu(value) is bool(rules.has_gpu(value)), value
            assert is_accelerated(value) is bool(rules.is_accelerated(value)), value


def test_sort_key_orders_sizes_numerically():
    types = ["ml.m5.24xlarge", "ml.m5.large", "ml.m5.2xlarge", "ml.m5.xlarge", "ml.c5.xlarge", "ml.t3.medium"]
    assert sorted(types, key=sort_key) == [
        "ml.c5.xlarge",
        "ml.m5.large",
        "ml.m5.xlarge",
        "ml.m5.2xlarge",
        "ml.m5.24xlarge",
        "ml.t3.medium",
    ]


# --- node detection and picker options ----------------------------------------------------


def test_node_detection():
    assert is_key_value_list(node_at(("Tags",)))
    assert not is_key_value_list(node_at(("HyperParameters",)))
    assert not is_key_value_list(node_at(("InputDataConfig",)))
    assert not is_key_value_list(node_at(("VpcConfig", "Subnets")))
    expected = {
        ("Tags",): TagListEditor,
        ("HyperParameters",): MapEditor,
        ("InputDataConfig",): ListEditor,
        ("VpcConfig", "Subnets"): PickerListField,  # a StringListEditor with the VPC picker
        ("AlgorithmSpecification", "ContainerArguments"): StringListEditor,
        ("RoleArn",): PickerTextField,
        ("CheckpointConfig", "S3Uri"): PickerTextField,
        ("OutputDataConfig", "KmsKeyId"): PickerTextField,
        ("TrainingJobName",): TextField,
        INSTANCE_PATH: InstanceTypeField,
        ("ResourceConfig", "InstanceGroups", 0, "InstanceType"): InstanceTypeField,
        ("AlgorithmSpecification", "TrainingInputMode"): ChoiceField,
    }
    assert {path: type(editor_for(node_at(path), path, None)) for path in expected} == expected


def test_instance_numbers_group_thousands_in_every_column_and_the_facts_line():
    """Memory read `2048` next to NVMe `30,400`: each number over a thousand is grouped."""
    columns = layout(120)
    cells = {c.key: cell(c, "ml.p5.48xlarge", facts_for("ml.p5.48xlarge"), columns) for c in columns}
    assert (cells["vcpu"], cells["mem"], cells["nvme"], cells["net"]) == ("192", "2,048", "30,400", "3,200")
    assert facts_line("ml.p4d.24xlarge").startswith("96 vCPU · 1,152 GiB · ")
    assert facts_line("ml.g4dn.xlarge").startswith("4 vCPU · 16 GiB · ")


def test_picker_options_group_by_family_and_filter():
    enum = node_at(INSTANCE_PATH).enum
    start = time.perf_counter()
    options = picker_options(enum)
    assert time.perf_counter() - start < 0.5
    assert sorted(o.id for o in options if not o.disabled) == sorted(enum)
    headers = [o for o in options if o.disabled]
    assert len(headers) == len({family(t) for t in enum})
    assert all(o.id is None for o in headers)

    filtered = picker_options(enum, "P4D")
    assert [o.id for o in filtered if not o.disabled] == ["ml.p4d.24xlarge", "ml.p4de.24xlarge"]
    assert [str(o.prompt).split()[0] for o in filtered if o.disabled] == ["p4d", "p4de"]
    assert "8× A100 40G" in str(filtered[1].prompt) and "8,000" in str(filtered[1].prompt)  # GPUs, NVMe GB
    # words narrow together; hardware terms come from the facts
    assert {o.id for o in picker_options(enum, "g5 48x") if not o.disabled} == {"ml.g5.48xlarge"}
    assert all(facts_for(o.id).nvme_gb > 0 for o in picker_options(enum, "nvme") if not o.disabled)
    assert picker_options(enum, "no-such-type") == []


# --- InstanceTypeField and its picker -----------------------------------------------------


def instance_app(value="ml.g5.2xlarge"):
    return Harness(lambda: InstanceTypeField(node_at(INSTANCE_PATH), INSTANCE_PATH, value), owned(INSTANCE_PATH, value))


async def open_picker(app, pilot):
    app.widget.input.focus()
    await pilot.press("f4")
    await pilot.pause()
    assert isinstance(app.screen, InstancePickerScreen)
    return app.screen


async def test_picker_opens_on_current_value_filters_and_picks_with_enter():
    app = instance_app()
    async with app.run_test(size=SIZE) as pilot:
        assert "enum(225)" in str(app.widget.query_one(".field-hint").render())
        assert str(app.widget.query_one(".instance-facts").render()).startswith("8 vCPU · 32 GiB · 1× A10G")
        start = time.perf_counter()
        picker = await open_picker(app, pilot)
        assert time.perf_counter() - start < 2
        olist = picker.query_one(OptionList)
        assert olist.highlighted_option.id == "ml.g5.2xlarge"
        assert app.focused is picker.query_one(Input)
        await pilot.press(*"p4d")
        await pilot.pause()
        assert [o.id for o in olist.options if not o.disabled] == ["ml.p4d.24xlarge", "ml.p4de.24xlarge"]
        assert olist.highlighted_option.id == "ml.p4d.24xlarge"
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, InstancePickerScreen)
        assert app.widget.input.value == "ml.p4d.24xlarge"
        assert app.changes == [(INSTANCE_PATH, "ml.p4d.24xlarge")]
        await pilot.pause()
        assert app.focused is app.widget.input


async def test_picker_arrow_keys_move_the_list_from_the_filter():
    app = instance_app()
    async with app.run_test(size=SIZE) as pilot:
        picker = await open_picker(app, pilot)
        await pilot.press(*"p4d", "down")
        assert picker.query_one(OptionList).highlighted_option.id == "ml.p4de.24xlarge"
        await pilot.press("up", "up")  # wraps, skipping the family headers
        assert picker.query_one(OptionList).highlighted_option.id == "ml.p4de.24xlarge"
        await pilot.press("enter")
        await pilot.pause()
        assert app.changes == [(INSTANCE_PATH, "ml.p4de.24xlarge")]


async def test_picker_escape_cancels():
    app = instance_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_picker(app, pilot)
        await pilot.press(*"c5", "escape")
        await pilot.pause()
        assert not isinstance(app.screen, InstancePickerScreen)
        assert app.widget.input.value == "ml.g5.2xlarge"
        assert app.changes == []


async def test_picker_enter_without_match_keeps_it_open():
    app = instance_app(None)
    async with app.run_test(size=SIZE) as pilot:
        picker = await open_picker(app, pilot)
        assert picker.query_one(OptionList).highlighted_option is not None  # first type when no value
        await pilot.press(*"zzz", "enter")
        await pilot.pause()
        assert app.screen is picker and app.changes == []


async def test_a_click_on_the_label_opens_the_picker_and_a_click_picks():
    app = instance_app()
    async with app.run_test(size=SIZE) as pilot:
        assert await pilot.click(".field-label")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, InstancePickerScreen)
        # The list opens with the current type's family header on top; the next line is its first type.
        await pilot.click("#picker-list", offset=(4, 1))
        await pilot.pause()
        assert app.changes == [(INSTANCE_PATH, "ml.g5.xlarge")]


async def test_instance_field_typing_posts_free_text_and_empty_is_none():
    app = instance_app()
    async with app.run_test(size=SIZE) as pilot:
        app.widget.input.focus()
        await pilot.press("ctrl+a", "ctrl+k", *"ml.c5.xl")
        await pilot.pause()
        assert app.changes[-1] == (INSTANCE_PATH, "ml.c5.xl")
        assert "not in the list" in str(app.widget.query_one(".field-hint").render())
        await pilot.press("ctrl+a", "ctrl+k")
        await pilot.pause()
        assert app.changes[-1] == (INSTANCE_PATH, None)


async def test_instance_field_load_does_not_post_and_shows_literally():
    app = instance_app()
    async with app.run_test(size=SIZE) as pilot:
        app.widget.load("[red]ml.p5.48xlarge")
        await pilot.pause()
        assert app.changes == []
        assert app.widget.input.value == "[red]ml.p5.48xlarge"
        assert "[red]ml.p5.48xlarge" in line_text(app.widget.input)
        app.widget.load("ml.p5.48xlarge")
        await pilot.pause()
        assert app.changes == []
        assert "8× H100" in str(app.widget.query_one(".instance-facts").render())


# --- MapEditor ----------------------------------------------------------------------------

HP = ("HyperParameters",)
ENV = ("Environment",)


def map_app(path=HP, value=None):
    return Harness(lambda: MapEditor(node_at(path), path, value), owned(path, value))


async def test_map_editor_add_rows_by_typing_and_remove():
    app = map_app()
    async with app.run_test(size=SIZE) as pilot:
        editor = app.widget
        assert editor.pairs == [("", "")]  # an empty map still offers an entry to type into
        assert not editor.list_view.display  # nothing to list yet
        hint = str(editor.hint_line.render())
        assert "0..100" in hint and "2500" in hint
        editor.focus_input()
        await pilot.press(*"lr", "tab", *"0.1", "enter")
        await pilot.pause()
        assert app.changes[-1] == (HP, {"lr": "0.1"})
        assert editor.pairs == [("lr", "0.1"), ("", "")] and editor.cursor == 1
        assert app.focused is editor.key_input and editor.key_input.value == ""
        await pilot.press(*"epochs", "enter", *"10")
        await pilot.pause()
        assert app.changes[-1] == (HP, {"lr": "0.1", "epochs": "10"})
        assert list(app.changes[-1][1]) == ["lr", "epochs"]
        assert editor.list_view.display and len(editor.list_view.rows) == 2
        # remove the first entry from the keyboard: select it in the list, Delete
        editor.list_view.focus()
        await pilot.press("up", "delete")
        await pilot.pause()
        assert app.changes[-1] == (HP, {"epochs": "10"})
        assert editor.pairs == [("epochs", "10")] and editor.key_input.value == "epochs"
        # removing the last entry (Remove, clicked) leaves an empty entry and posts None
        await click_bar(pilot, editor, "kv-remove")
        await pilot.pause()
        assert app.changes[-1] == (HP, None)
        assert editor.pairs == [("", "")] and editor.key_input.value == ""


async def test_map_editor_list_selects_and_enter_edits_the_value():
    app = map_app(value={"a": "1", "b": "2", "c": "3"})
    async with app.run_test(size=SIZE) as pilot:
        editor = app.widget
        assert line_text(editor.list_view, 0).startswith("▸ a ") and line_text(editor.list_view, 1).startswith("  b ")
        editor.list_view.focus()
        await pilot.press("down", "down")
        await pilot.pause()
        assert editor.cursor == 2 and (editor.key_input.value, editor.value_input.value) == ("c", "3")
        await pilot.press("enter")
        await pilot.pause()
        assert app.focused is editor.value_input
        await pilot.press("backspace", "9")
        await pilot.pause()
        assert app.changes[-1] == (HP, {"a": "1", "b": "2", "c": "9"})
        assert line_text(editor.list_view, 2)[2:].split() == ["c", "=", "9"]
        await pilot.click(editor.list_view, offset=(4, 0))  # a click selects too
        await pilot.pause()
        assert editor.cursor == 0 and editor.key_input.value == "a"


async def test_map_editor_up_and_down_in_the_edit_line_select_entries():
    """README (Maps): ↑/↓ select; the section opens with the focus on the key line, so they work there
    (and in the value line) as in the list, the focus staying on the line."""
    app = map_app(value={"a": "1", "b": "2", "c": "3"})
    async with app.run_test(size=SIZE) as pilot:
        editor = app.widget
        editor.focus_input()
        await wait_until(pilot, lambda: app.focused is editor.key_input, what="the key line")
        await pilot.press("down", "down", "down")  # the last entry stops it
        await wait_until(pilot, lambda: editor.cursor == 2, what="the third entry")
        assert (editor.key_input.value, editor.value_input.value) == ("c", "3")
        assert editor.list_view.cursor == 2 and line_text(editor.list_view, 2).startswith("▸ c ")
        assert app.focused is editor.key_input
        await pilot.press("tab", "up")
        await wait_until(pilot, lambda: editor.cursor == 1, what="the second entry")
        assert app.focused is editor.value_input and editor.value_input.cursor_position == 1
        await pilot.press("9")
        await pilot.pause()
        assert app.changes[-1] == (HP, {"a": "1", "b": "29", "c": "3"})
        await pilot.press("up", "up")
        await wait_until(pilot, lambda: editor.cursor == 0, what="the first entry")
        assert app.focused is editor.value_input and editor.value_input.value == "1"


async def test_map_editor_hundred_entries_is_a_dozen_widgets_and_scrolls():
    value = {f"key{i:03d}": "v" * 2500 for i in range(100)}
    app = map_app(value=value)
    async with app.run_test(size=SIZE) as pilot:
        editor = app.widget
        assert len(editor.query("*")) < 20
        assert editor.list_view.size.height == 8
        editor.list_view.focus()
        await pilot.press("end")
        await pilot.pause()
        assert editor.cursor == 99 and editor.key_input.value == "key099"
        assert editor.list_view.scroll_offset.y == 92
        assert line_text(editor.list_view, 7).startswith("▸ key099 = vvv")  # the marker shows the selected row


async def test_map_rows_wider_than_the_list_end_with_an_ellipsis():
    uri = "s3://sagemaker-us-east-1-123456789012/pytorch-training/source/sourcedir.tar.gz"
    app = map_app(value={"sagemaker_submit_directory": uri, "epochs": "20"})
    async with app.run_test(size=SIZE) as pilot:
        rows = app.widget.list_view
        await wait_until(pilot, lambda: rows.size.width > 0, what="the list laid out")
        width = rows.scrollable_content_region.width
        cut, short = line_text(rows, 0), line_text(rows, 1)
        assert len(cut) == width and cut.endswith("…")
        assert cut.startswith("▸ sagemaker_submit_directory = s3://sagemaker-us-east-1")
        assert cut[:-1] == f"▸ sagemaker_submit_directory = {uri}"[: width - 1]
        assert "…" not in short and short.rstrip() == "  epochs                     = 20"


async def test_a_key_longer_than_the_key_column_is_cut_in_the_middle_and_the_value_shows():
    long_key = "A_VERY_LONG_ENVIRONMENT_VARIABLE_NAME_FOR_TESTING"
    app = map_app(ENV, {long_key: "on", "NCCL_DEBUG": "WARN"})
    async with app.run_test(size=SIZE) as pilot:
        rows = app.widget.list_view
        await wait_until(pilot, lambda: rows.size.width > 0, what="the list laid out")
        first, second = line_text(rows, 0), line_text(rows, 1)
        column = 2 + MAX_KEY_COLUMN  # the marker, then the key column
        assert first[column:].rstrip() == second[column:].rstrip().replace("WARN", "on") == " = on"
        key = first[2:column]
        assert len(key) == MAX_KEY_COLUMN and "…" in key
        assert key == "A_VERY_LONG_ENV…ME_FOR_TESTING"  # both ends kept
        assert app.widget.key_input.value == long_key  # the edit line holds it whole


class OneLineList(App):
    def __init__(self, rows) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        yield LineList()

    def on_mount(self) -> None:
        self.query_one(LineList).set_rows(self.rows, 0)


async def test_list_items_wider_than_the_list_end_with_an_ellipsis():
    """The item list of structure lists (channels, rules) is a LineList too."""
    app = OneLineList(["[0] " + "train-" * 20, "[1] test"])
    async with app.run_test(size=(40, 10)) as pilot:
        rows = app.query_one(LineList)
        await wait_until(pilot, lambda: rows.size.width == 40, what="the list laid out")
        assert line_text(rows, 0) == "▸ [0] " + ("train-" * 6)[:33] + "…"
        assert line_text(rows, 1) == "  [1] test".ljust(40)


async def click_bar(pilot, editor, button_id: str) -> None:
    """A mouse click on one button of a map editor's bar."""
    assert await pilot.click(editor.buttons, offset=editor.buttons.offset_of(button_id))


async def test_map_editor_add_button_reuses_a_waiting_empty_entry():
    app = map_app(value={"a.b[0] c": "1"})
    async with app.run_test(size=SIZE) as pilot:
        editor = app.widget
        await click_bar(pilot, editor, "kv-add")
        await pilot.pause()
        assert editor.pairs == [("a.b[0] c", "1"), ("", "")] and app.focused is editor.key_input
        assert app.changes == []  # an empty entry changes nothing
        editor.select(0)
        await click_bar(pilot, editor, "kv-add")  # the empty entry is still waiting: no second one
        await pilot.pause()
        assert len(editor.pairs) == 2 and editor.cursor == 1


async def test_map_editor_empty_key_rows_are_kept_but_left_out():
    app = map_app()
    async with app.run_test(size=SIZE) as pilot:
        editor = app.widget
        editor.value_input.focus()
        await pilot.press(*"orphan")
        await pilot.pause()
        assert app.changes == []
        assert editor.row_errors() == [NO_KEY] and NO_KEY in line_text(editor.row_error_line)
        assert "(no key)" in line_text(editor.list_view)
        editor.key_input.focus()
        await pilot.press("k")
        await pilot.pause()
        assert app.changes == [(HP, {"k": "orphan"})]
        assert editor.row_errors() == [""] and not editor.row_error_line.display


async def test_map_editor_duplicate_keys_mark_both_rows_and_the_later_wins():
    app = map_app(value={"a": "1", "b": "2"})
    async with app.run_test(size=SIZE) as pilot:
        editor = app.widget
        editor.select(1)
        editor.key_input.focus()
        await pilot.press("ctrl+a", "ctrl+k", "a")
        await pilot.pause()
        assert app.changes[-1] == (HP, {"a": "2"})
        assert editor.row_errors() == [DUPLICATE, DUPLICATE]
        assert "duplicate key" in line_text(editor.row_error_line) and editor.row_error_line.display
        assert line_text(editor.list_view, 0).startswith("! a") and line_text(editor.list_view, 1).startswith("! a")
        await pilot.press("2")
        await pilot.pause()
        assert app.changes[-1] == (HP, {"a": "1", "a2": "2"})
        assert editor.row_errors() == ["", ""]


def send_paste(app, text: str) -> None:
    """A bracketed paste, queued as the terminal driver queues it (no wait for the app)."""
    from textual import events

    event = events.Paste(text)
    event.set_sender(app)
    app._driver.send_message(event)


@pytest.mark.parametrize(
    "pieces, pair",
    [
        (["MY_VAR=hello world"], ("MY_VAR", "hello world")),
        (["BAR=quick"], ("BAR", "quick")),
        (["A=b=c"], ("A", "b=c")),  # the first '=' splits; a later one is the value's
        ([("paste", "K=v"), "al=1"], ("K", "val=1")),  # a pasted line, then keys typed at once
    ],
)
async def test_map_editor_key_equals_value_in_one_burst_splits_in_order(pieces, pair):
    """A terminal may deliver many keys at once (fast typing, SSH, `tmux send-keys`): all are queued on
    the key line before it splits at '=' and moves the focus. Those after the '=' are the value's."""
    app = map_app(ENV)
    async with app.run_test(size=SIZE) as pilot:
        editor = app.widget
        editor.focus_input()
        await wait_until(pilot, lambda: app.focused is editor.key_input, what="the key line")
        for piece in pieces:
            if isinstance(piece, tuple):
                send_paste(app, piece[1])
            else:
                await type_text(pilot, piece, burst=True)
        chars = sorted("".join(p[1] if isinstance(p, tuple) else p for p in pieces).replace("=", ""))
        # Every key handled (an '=' is split off), in whichever order; then where each went.
        await wait_until(pilot, lambda: sorted("".join(editor.pairs[0]).replace("=", "")) == chars, what="the keys")
        assert editor.pairs == [pair]
        assert app.focused is editor.value_input
        assert app.changes[-1] == (ENV, dict([pair]))


async def test_map_editor_value_line_shows_its_caret_after_a_key_equals_value_burst():
    """`KEY=value` sent at once: the value line gets its keys before the layout that narrows it (the key
    column grows with the key); its caret is still in view after that layout, at the value's end."""
    app = map_app(ENV)
    async with app.run_test(size=(40, 24)) as pilot:
        editor = app.widget
        editor.focus_input()
        await wait_until(pilot, lambda: app.focused is editor.key_input, what="the key line")
        await type_text(pilot, "MY_VAR=hello world that is rather long", burst=True)
        value_line = editor.value_input
        width = editor.list_view.key_width + 2
        await wait_until(
            pilot,
            lambda: value_line.value == "hello world that is rather long" and editor.key_input.size.width == width,
            what="the value typed and the key column laid out",
        )
        await pilot.pause()
        assert value_line.size.width < len(value_line.value)  # the value scrolls
        caret = value_line.cursor_position  # one cell per character
        left = value_line.scroll_offset.x
        assert left <= caret < left + value_line.size.width, (left, caret, value_line.size.width)
        assert line_text(value_line).rstrip().endswith("rather long")


async def test_map_editor_paste_lines_merges():
    app = map_app(ENV, {"X": "old", "KEEP": "1"})
    async with app.run_test(size=SIZE) as pilot:
        editor = app.widget
        await click_bar(pilot, editor, "kv-paste")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PasteKeyValueScreen)
        area = screen.query_one(TextArea)
        assert app.focused is area
        area.insert("# exported\nexport X=1\na=b=c\n\nnot a pair\nname: [red]bold\n")
        await pilot.pause()
        status = line_text(screen.query_one("#paste-status")) + line_text(screen.query_one("#paste-status"), 1)
        assert "3 keys to merge" in status and "line 5" in status
        await pilot.press("f2")
        await pilot.pause()
        assert not isinstance(app.screen, PasteKeyValueScreen)
        assert app.changes == [(ENV, {"X": "1", "KEEP": "1", "a": "b=c", "name": "[red]bold"})]
        assert list(app.changes[-1][1]) == ["X", "KEEP", "a", "name"]
        assert editor.pairs == [("X", "1"), ("KEEP", "1"), ("a", "b=c"), ("name", "[red]bold")]
        assert line_text(editor.list_view, 3)[2:].split() == ["name", "=", "[red]bold"]
        await pilot.pause()
        assert app.focused is editor.key_input


async def test_map_editor_paste_into_empty_map_replaces_the_blank_row_and_escape_cancels():
    app = map_app()
    async with app.run_test(size=SIZE) as pilot:
        editor = app.widget
        editor.action_paste()
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, PasteKeyValueScreen) and app.changes == []
        editor.action_paste()
        await pilot.pause()
        app.screen.query_one(TextArea).insert("a=1\nb=2")
        await pilot.click("#paste-merge")
        await pilot.pause()
        assert app.changes == [(HP, {"a": "1", "b": "2"})]
        assert [key for key, _ in editor.pairs] == ["a", "b"]


async def test_map_editor_shows_markup_and_escapes_literally():
    app = map_app()
    async with app.run_test(size=SIZE) as pilot:
        editor = app.widget
        editor.focus_input()
        await pilot.press(*"[b]k", "tab", *"[red]x")
        await pilot.pause()
        assert app.changes[-1] == (HP, {"[b]k": "[red]x"})
        assert editor.value_input.value == "[red]x"
        assert "[red]x" in line_text(editor.value_input)
        assert "[b]k" in line_text(editor.key_input)
        assert line_text(editor.list_view)[2:].split() == ["[b]k", "=", "[red]x"]
        editor.load({"esc": "\x1b[31mred\nline2"})
        await pilot.pause()
        assert line_text(editor.list_view)[2:].split() == ["esc", "=", "\\x1b[31mred\\nline2"]


async def test_map_editor_load_rebuilds_rows_without_posting():
    app = map_app(value={"a": "1"})
    async with app.run_test(size=SIZE) as pilot:
        editor = app.widget
        editor.load({"x": "9", "y": 10, "z": "[red]"})
        await pilot.pause()
        assert editor.pairs == [("x", "9"), ("y", "10"), ("z", "[red]")]
        assert len(editor.list_view.rows) == 3 and editor.key_input.value == "x"
        editor.load(None)
        await pilot.pause()
        assert editor.pairs == [("", "")]
        assert app.changes == []
        editor.focus_input()
        await pilot.press("k")
        await pilot.pause()
        assert app.changes == [(HP, {"k": ""})]


# --- TagListEditor ------------------------------------------------------------------------

TAGS = ("Tags",)


async def test_tag_list_posts_key_value_dicts():
    tags = [{"Key": "team", "Value": "ml"}]
    app = Harness(lambda: TagListEditor(node_at(TAGS), TAGS, tags), owned(TAGS, tags))
    async with app.run_test(size=SIZE) as pilot:
        editor = app.widget
        assert editor.pairs == [("team", "ml")]
        assert "0..50" in str(editor.hint_line.render())
        await click_bar(pilot, editor, "kv-add")
        await pilot.pause()
        await pilot.press(*"env", "tab", *"prod")
        await pilot.pause()
        assert app.changes[-1] == (TAGS, [{"Key": "team", "Value": "ml"}, {"Key": "env", "Value": "prod"}])
        editor.select(0)
        assert editor.buttons.press("kv-remove")
        await pilot.pause()
        assert app.changes[-1] == (TAGS, [{"Key": "env", "Value": "prod"}])
        editor.load([{"Key": "a", "Value": "b"}])
        await pilot.pause()
        assert app.changes[-1] == (TAGS, [{"Key": "env", "Value": "prod"}])
        assert editor.buttons.press("kv-remove")
        await pilot.pause()
        assert app.changes[-1] == (TAGS, None)


# --- StringListEditor ---------------------------------------------------------------------

SUBNETS = ("VpcConfig", "Subnets")
ARGS = ("AlgorithmSpecification", "ContainerArguments")


def test_lines_to_items():
    assert lines_to_items("a\n\n  \nb c \n") == ["a", "b c "]
    assert lines_to_items("") == []


class UnfocusedHarness(Harness):
    AUTO_FOCUS = None  # nothing focused at start, as for fields further down a form


async def test_string_list_posts_lists():
    app = UnfocusedHarness(
        lambda: StringListEditor(node_at(SUBNETS), SUBNETS, ["subnet-1"]), owned(SUBNETS, ["subnet-1"])
    )
    async with app.run_test(size=SIZE) as pilot:
        editor = app.widget
        assert "1..16" in str(editor.hint_line.render())
        assert editor.text_area is None and "subnet-1" in line_text(editor.preview)  # TextArea on first use
        await pilot.press("tab")  # focus reaches the preview, which turns into the TextArea
        await pilot.pause()
        assert app.focused is editor.text_area and editor.text_area.text == "subnet-1"
        await pilot.press("ctrl+e", "enter", "enter", *"subnet-2")
        await pilot.pause()
        assert app.changes[-1] == (SUBNETS, ["subnet-1", "subnet-2"])
        assert "2 items" in str(editor.hint_line.render())
        editor.text_area.select_all()
        await pilot.press("backspace")
        await pilot.pause()
        assert app.changes[-1] == (SUBNETS, None)


async def test_string_list_hint_says_its_pattern_in_words():
    app = UnfocusedHarness(
        lambda: StringListEditor(node_at(SUBNETS), SUBNETS, ["subnet-1"]), owned(SUBNETS, ["subnet-1"])
    )
    async with app.run_test(size=SIZE):
        hint = str(app.widget.hint_line.render())
        assert hint == "1 item (allowed 1..16), one per line · each ≤32 chars: digits, letters and -"


async def test_string_list_hint_says_nothing_of_a_pattern_that_allows_anything():
    app = UnfocusedHarness(lambda: StringListEditor(node_at(ARGS), ARGS))
    async with app.run_test(size=SIZE):
        assert str(app.widget.hint_line.render()).endswith("one per line · each ≤256 chars")


async def test_string_list_keeps_spaces_inside_items_and_loads_quietly():
    app = UnfocusedHarness(lambda: StringListEditor(node_at(ARGS), ARGS))
    async with app.run_test(size=SIZE) as pilot:
        editor = app.widget
        editor.load(["[red]x\x1b[31m"])  # before the TextArea: shown literally in the preview
        await pilot.pause()
        assert line_text(editor.preview).strip() == "[red]x\\x1b[31m" and app.changes == []
        editor.load(None)
        await editor.edit()
        await pilot.press(*"--msg", "enter", *"hello  [red]world ")
        await pilot.pause()
        assert app.changes[-1] == (ARGS, ["--msg", "hello  [red]world "])
        assert "[red]world" in line_text(editor.text_area, 1)
        count = len(app.changes)
        editor.load(["a", "b"])
        await pilot.pause()
        # load only shows a value (the owner's, after an undo): nothing is applied
        assert (
            len(app.changes) == count
            and editor.text_area.text == "a\nb"
            and "2 items" in str(editor.hint_line.render())
        )
        assert editor.value == ["--msg", "hello  [red]world "]


# --- the request owner --------------------------------------------------------------------


async def test_an_editor_with_no_request_owner_fails_when_mounted():
    from smjob.widgets.fields import TextField
    from smjob.widgets.owner import NoRequestOwner

    class Bare(App):
        def compose(self) -> ComposeResult:
            yield TextField(node_at(("TrainingJobName",)), ("TrainingJobName",), "job")

    with pytest.raises(NoRequestOwner, match="TextField at \\('TrainingJobName',\\) has no RequestOwner"):
        async with Bare().run_test(size=SIZE) as pilot:
            await pilot.pause()

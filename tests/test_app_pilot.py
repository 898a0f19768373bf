"""Drive the real app by keyboard only: fill a whole job, export it, fix problems from the panel."""

import json

from textual.widgets import Input, OptionList
from textual.widgets._collapsible import CollapsibleTitle

from smjob.problems import ERROR
from smjob.tui.app import SmjobApp
from smjob.tui.screens.export import ExportScreen
from smjob.widgets.choice import ChoiceBox
from tests.support.keyboard import (
    fill,
    next_section,
    owner_path,
    press_bar_button,
    tab_to,
    tab_to_input,
    tab_to_widget,
    type_text,
)
from tests.support.waiting import wait_until

EXPECTED = {
    "TrainingJobName": "resnet-e2e-1",
    "HyperParameters": {"epochs": "20", "lr": "0.001", "optimizer": "adam"},
    "AlgorithmSpecification": {
        "TrainingImage": "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.3.0-gpu-py311",
        "TrainingInputMode": "File",
    },
    "RoleArn": "arn:aws:iam::123456789012:role/SageMakerRole",
    "InputDataConfig": [
        {
            "ChannelName": "train",
            "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "s3://my-bucket/train/"}},
        },
        {
            "ChannelName": "validation",
            "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "s3://my-bucket/val/"}},
        },
    ],
    "OutputDataConfig": {"S3OutputPath": "s3://my-bucket/output/"},
    "ResourceConfig": {"InstanceType": "ml.g5.2xlarge", "InstanceCount": 1},
    "StoppingCondition": {"MaxRuntimeInSeconds": 7200, "MaxWaitTimeInSeconds": 10800},
    "Tags": [{"Key": "team", "Value": "ml"}, {"Key": "project", "Value": "resnet"}],
    "EnableManagedSpotTraining": True,
    "CheckpointConfig": {"S3Uri": "s3://my-bucket/checkpoints/"},
}


async def choose(pilot, path, text):
    """Open the ChoiceBox at `path` with Enter, type to search, Enter to pick."""
    await tab_to_widget(pilot, ChoiceBox, path)
    await pilot.press("enter")
    await type_text(pilot, text)
    await pilot.press("enter")
    await pilot.pause()


async def expand(pilot, path):
    """Tab to the collapsible at `path` and open it with Enter."""
    await tab_to(
        pilot,
        lambda w: isinstance(w, CollapsibleTitle) and owner_path(w.parent) == path,
        describe=f"collapsible {path}",
    )
    await pilot.press("enter")
    await pilot.pause()


async def add_rows(pilot, path, rows):
    """Map and tag editors: type key, Enter to the value, Enter adds the next row."""
    for key, value in rows:
        await tab_to(
            pilot,
            lambda w: isinstance(w, Input) and "kv-key" in w.classes and not w.value and owner_path(w) == path,
            describe=f"empty key row in {path}",
        )
        await type_text(pilot, key, burst=True)
        await pilot.press("enter")
        await type_text(pilot, value, burst=True)
        await pilot.press("enter")  # Enter on the last value adds the next row
        await pilot.pause()


async def add_channel(pilot, index, name, uri):
    await press_bar_button(pilot, "add", ("InputDataConfig",))
    await pilot.pause()
    base = ("InputDataConfig", index)
    await fill(pilot, base + ("ChannelName",), name, burst=True)
    await expand(pilot, base + ("DataSource",))
    await expand(pilot, base + ("DataSource", "S3DataSource"))
    await choose(pilot, base + ("DataSource", "S3DataSource", "S3DataType"), "S3Prefix")
    await fill(pilot, base + ("DataSource", "S3DataSource", "S3Uri"), uri, burst=True)


async def test_fill_a_whole_job_by_keyboard_and_export(tmp_path):
    app = SmjobApp({}, autosave=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await fill(pilot, ("TrainingJobName",), EXPECTED["TrainingJobName"], burst=True)
        await fill(pilot, ("RoleArn",), EXPECTED["RoleArn"], burst=True)

        await next_section(pilot, "Algorithm")
        await fill(
            pilot,
            ("AlgorithmSpecification", "TrainingImage"),
            EXPECTED["AlgorithmSpecification"]["TrainingImage"],
            burst=True,
        )
        await choose(pilot, ("AlgorithmSpecification", "TrainingInputMode"), "File")

        await next_section(pilot, "Input data")
        await add_channel(pilot, 0, "train", "s3://my-bucket/train/")
        await add_channel(pilot, 1, "validation", "s3://my-bucket/val/")

        await next_section(pilot, "Output")
        await fill(pilot, ("OutputDataConfig", "S3OutputPath"), "s3://my-bucket/output/", burst=True)

        await next_section(pilot, "Resources")  # the picker, by filtering
        await tab_to_input(pilot, ("ResourceConfig", "InstanceType"))
        await pilot.press("f4")
        await type_text(pilot, "g5.2x")
        await pilot.press("enter")
        await pilot.pause()
        await fill(pilot, ("ResourceConfig", "InstanceCount"), "1", burst=True)

        await next_section(pilot, "Stopping")  # durations
        await fill(pilot, ("StoppingCondition", "MaxRuntimeInSeconds"), "2h", burst=True)
        await fill(pilot, ("StoppingCondition", "MaxWaitTimeInSeconds"), "3h", burst=True)

        await next_section(pilot, "Spot/checkpoints")
        await choose(pilot, ("EnableManagedSpotTraining",), "true")
        await expand(pilot, ("CheckpointConfig",))
        await fill(pilot, ("CheckpointConfig", "S3Uri"), "s3://my-bucket/checkpoints/", burst=True)

        await next_section(pilot, "Hyperparameters")
        await add_rows(pilot, ("HyperParameters",), EXPECTED["HyperParameters"].items())
        await next_section(pilot, "Tags")
        await add_rows(pilot, ("Tags",), [(t["Key"], t["Value"]) for t in EXPECTED["Tags"]])
        await wait_until(pilot, lambda: not app.editor.validation_pending, what="the last validation")

        assert app.editor.request == EXPECTED
        assert [p for p in app.editor.problems if p.severity == ERROR] == []

        await pilot.press("f10")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportScreen), what="the export dialog")
        path_input = app.screen.query_one("#path", Input)
        path_input.focus()
        path_input.value = ""
        await type_text(pilot, str(tmp_path / "job.json"), burst=True)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is app.editor, what="the export dialog to close")

    exported = json.loads((tmp_path / "job.json").read_text())
    assert exported == EXPECTED
    assert list(exported) == list(EXPECTED)  # API member order


async def test_fix_an_invalid_field_from_the_problems_panel():
    request = dict(EXPECTED, TrainingJobName="my_job")
    app = SmjobApp(request, autosave=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+n", "ctrl+n", "ctrl+n")  # somewhere else first
        assert [p.rule for p in app.editor.problems] == ["schema.pattern"]
        await pilot.press("f3")
        assert isinstance(app.focused, OptionList)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.focused, Input) and owner_path(app.focused) == ("TrainingJobName",)
        await pilot.press("end", "backspace", "backspace", "backspace", "backspace", "minus", "j", "o", "b")
        await wait_until(pilot, lambda: app.editor.request["TrainingJobName"] == "my-job", what="the typed name")
        await wait_until(pilot, lambda: app.editor.problems == [], what="no problems")


async def test_user_strings_are_shown_literally():
    hostile = "[red]boom[/red]"
    request = dict(
        EXPECTED,
        TrainingJobName=hostile + "\x1b[31m",
        InputDataConfig=[dict(EXPECTED["InputDataConfig"][0], ChannelName=hostile)],
    )
    app = SmjobApp(request, autosave=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        status = app.editor.query_one("#status").render()
        assert hostile in str(status) and "\\x1b" in str(status)
        await next_section(pilot, "Input data")  # the channel title is user text
        await wait_until(
            pilot,
            lambda: "[0] [red]boom[/red]" in app.export_screenshot().replace("&#160;", " "),
            what="the channel title shown literally",
        )
        problems = [str(option.prompt) for option in app.editor.query_one("#problems").options]
        assert any("TrainingJobName: has '['" in p for p in problems), problems  # the bracket is shown, not parsed


async def test_channels_add_duplicate_reorder_remove_by_keyboard():
    from textual.widgets import Input

    from smjob.widgets.list_editor import ListEditor

    app = SmjobApp(EXPECTED, autosave=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.editor.go_to_section("InputDataConfig")
        await pilot.pause()
        channels = app.editor.form.query_one(ListEditor)
        assert app.focused is channels.item_list  # the section starts on the list of channels

        def names() -> list[str]:
            return [c["ChannelName"] for c in app.editor.request["InputDataConfig"]]

        async def press(button_id):
            """Each button here changes the list of channels."""
            before = names()
            await press_bar_button(pilot, button_id)
            await wait_until(pilot, lambda: names() != before, what=f"{button_id} to change the channels")

        await press("item-dup")  # duplicates the selected channel (0) and selects the copy
        assert names() == ["train", "train", "validation"] and channels.cursor == 1
        await press("item-down")
        assert names() == ["train", "validation", "train"] and channels.cursor == 2
        await press("item-del")
        assert names() == ["train", "validation"] and channels.cursor == 1
        channels.item_list.focus()
        await pilot.press("up")
        await pilot.pause()
        assert channels.cursor == 0
        await press("item-down")
        assert names() == ["validation", "train"]
        assert app.editor.request["InputDataConfig"][1] == EXPECTED["InputDataConfig"][0]
        # only the selected channel has a form; Enter on the list goes into it
        assert len(channels.form.query(".field-editor")) < 40
        channels.item_list.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.focused, Input) and app.focused.value == "train"
        # Delete on the list removes the selected channel
        channels.item_list.focus()
        await pilot.press("delete")
        await pilot.pause()
        assert names() == ["validation"]


async def test_jump_to_a_problem_selects_the_list_item():
    app = SmjobApp(EXPECTED, autosave=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.editor.jump_to(("InputDataConfig", 1, "ChannelName"))
        await pilot.pause()
        from smjob.widgets.list_editor import ListEditor

        assert app.editor.form.query_one(ListEditor).cursor == 1
        assert app.focused.value == "validation"


async def test_server_field_errors_are_highlighted_until_edited():
    from smjob.aws import AwsError, Target, server_problems
    from smjob.tui.screens.submit import SubmitOutcome

    message = (
        "1 validation error detected: Value 'ml.nope' at 'resourceConfig.instanceType' failed to satisfy "
        "constraint: Member must satisfy enum value set: [ml.m5.xlarge]"
    )
    error = AwsError("validation", message, problems=server_problems(message))
    app = SmjobApp(EXPECTED, autosave=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.submission_failed(EXPECTED, SubmitOutcome(Target(), error=error))
        await pilot.pause()
        assert [p.path for p in app.editor.problems] == [("ResourceConfig", "InstanceType")]
        await app.editor.jump_to(("ResourceConfig", "InstanceCount"))
        await pilot.press("backspace")
        await type_text(pilot, "2")
        await wait_until(pilot, lambda: app.editor.request["ResourceConfig"]["InstanceCount"] == 2, what="the count")
        assert [p.path for p in app.editor.problems] == [("ResourceConfig", "InstanceType")]  # another field
        await app.editor.jump_to(("ResourceConfig", "InstanceType"))
        await pilot.press("end", "backspace")
        await type_text(pilot, "e")
        await wait_until(pilot, lambda: app.editor.problems == [], what="no problems")


async def test_a_typed_character_and_its_validation_are_in_the_same_frame():
    """Text fields hand edits to the editor inside the keystroke's handler: the first frame after
    the key already shows the problem the character causes, not one frame later."""
    from textual import events

    app = SmjobApp(EXPECTED, autosave=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await wait_until(pilot, lambda: not app.editor.validation_pending, what="the first validation")
        await pilot.pause()  # and its frame painted
        frames = []
        original = app._display

        def display(screen, renderable):
            original(screen, renderable)
            frames.append(str(app.editor.query_one("#status").render()))

        app._display = display
        event = events.Key("exclamation_mark", "!")
        event.set_sender(app)
        app._driver.send_message(event)  # as the terminal driver delivers keys
        await wait_until(pilot, lambda: frames, what="a frame")
        assert app.editor.request["TrainingJobName"] == "resnet-e2e-1!"
        assert "resnet-e2e-1!" in frames[0] and "1 error(s)" in frames[0]

"""smjob.undo: steps, coalescing of typing, limits, and exact restoring of the request."""

import copy

from smjob.editing import set_at
from smjob.paths import get_at
from smjob.undo import LIMIT, UndoHistory, apply_after, one_keystroke, restore_before, starts_a_word, step_path


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Owner:
    """What the editor screen does with the history, without a screen: apply, record, undo, redo."""

    def __init__(self, request: dict | None = None, clock=None) -> None:
        self.request = request or {}
        self.history = UndoHistory(clock=clock or Clock())

    def edit(self, path, value, *, typing=False, label=None):
        current = get_at(self.request, path)
        if current == value:
            return
        typing = typing and one_keystroke(current, value)
        label = label or str(path)
        step = self.history.continues(path, value, label) if typing else None
        where = step.path if step is not None else step_path(self.request, path)
        before = None if step is not None else copy.deepcopy(get_at(self.request, where))
        set_at(self.request, path, copy.deepcopy(value))
        after = copy.deepcopy(get_at(self.request, where))
        if step is not None:
            self.history.extend(step, after, value)
        else:
            self.history.record(where, before, after, key=path, label=label, typing=typing, value=value)

    def type(self, path, text: str, start: str = ""):
        for i in range(1, len(text) + 1):
            self.edit(path, (start + text[:i]) or None, typing=True)

    def replace(self, request):
        before, self.request = self.request, copy.deepcopy(request)
        self.history.record((), before, copy.deepcopy(request), label="load")

    def undo(self):
        step = self.history.undo()
        if step is not None:
            self.request = restore_before(self.request, step)
        return step

    def redo(self):
        step = self.history.redo()
        if step is not None:
            self.request = apply_after(self.request, step)
        return step


NAME = ("TrainingJobName",)


def test_typing_a_word_and_the_next_is_two_steps_per_word():
    owner = Owner()
    owner.type(NAME, "hello world")
    assert owner.request == {"TrainingJobName": "hello world"}
    assert len(owner.history) == 2
    owner.undo()
    assert owner.request == {"TrainingJobName": "hello "}
    owner.undo()
    assert owner.request == {}
    assert owner.undo() is None  # nothing left: no error
    owner.redo()
    owner.redo()
    assert owner.request == {"TrainingJobName": "hello world"}
    assert owner.redo() is None


def test_a_pause_ends_a_typing_step_and_other_fields_do_not_coalesce():
    clock = Clock()
    owner = Owner(clock=clock)
    owner.type(NAME, "abc")
    clock.now += 1.5
    owner.type(NAME, "def", start="abc")
    owner.type(("RoleArn",), "arn")
    assert len(owner.history) == 3
    owner.undo()
    assert owner.request == {"TrainingJobName": "abcdef"}
    owner.undo()
    assert owner.request == {"TrainingJobName": "abc"}


def test_keystrokes_within_the_pause_coalesce_deletions_too():
    clock = Clock()
    owner = Owner({"TrainingJobName": "job-1"}, clock=clock)
    for text in ("job-", "job", "jo"):
        clock.now += 0.5  # each key within a second of the previous one
        owner.edit(NAME, text, typing=True)
    assert len(owner.history) == 1
    owner.undo()
    assert owner.request == {"TrainingJobName": "job-1"}


def test_map_entries_typed_one_after_another_are_a_step_each():
    owner = Owner()
    hp = ("HyperParameters",)
    owner.edit(hp, {"l": ""}, typing=True, label="entry 1")
    owner.edit(hp, {"lr": "0.1"}, typing=True, label="entry 1")
    owner.edit(hp, {"lr": "0.1", "e": ""}, typing=True, label="entry 2")
    owner.edit(hp, {"lr": "0.1", "e": "5"}, typing=True, label="entry 2")
    assert len(owner.history) == 2
    assert owner.undo().label == "entry 2"
    assert owner.request == {"HyperParameters": {"lr": "0.1"}}


def test_a_paste_or_a_cleared_line_is_a_step_of_its_own():
    owner = Owner()
    owner.type(NAME, "ab")
    owner.edit(NAME, "ab-pasted-text", typing=True)
    owner.type(NAME, "c", start="ab-pasted-text")
    owner.edit(NAME, None, typing=True)  # ctrl+u: the whole line at once
    assert len(owner.history) == 4
    owner.undo()
    assert owner.request == {"TrainingJobName": "ab-pasted-textc"}
    owner.undo()
    owner.undo()
    assert owner.request == {"TrainingJobName": "ab"}
    assert one_keystroke(None, "a") and one_keystroke("ab", "a") and one_keystroke(1, 12)
    assert not one_keystroke("ab", "abcd") and not one_keystroke("abc", None)


def test_starts_a_word():
    assert starts_a_word("hello ", "hello w")
    assert starts_a_word("s3://b", "s3://b/") is False
    assert starts_a_word("s3://b/", "s3://b/k")
    assert not starts_a_word("hello", "hello ")
    assert not starts_a_word("", "h")
    assert not starts_a_word(10, 100)


def test_a_new_edit_clears_redo_and_an_undo_seals_the_typing_step():
    owner = Owner()
    owner.type(NAME, "abc")
    owner.undo()
    assert owner.history.can_redo
    owner.type(NAME, "x")
    assert not owner.history.can_redo
    owner.type(NAME, "y", start="x")  # within the pause, same word: still one step
    assert len(owner.history) == 1
    owner.undo()
    owner.redo()
    owner.type(NAME, "z", start="xy")  # after a redo: a new step
    assert len(owner.history) == 2


def test_created_parents_are_removed_exactly_and_empty_ones_kept():
    owner = Owner({"OutputDataConfig": {}, "ResourceConfig": {"InstanceCount": 1}})
    owner.type(("ResourceConfig", "VolumeSizeInGB"), "5")
    owner.type(("StoppingCondition", "MaxRuntimeInSeconds"), "60")
    owner.type(("OutputDataConfig", "S3OutputPath"), "s3")
    owner.undo()
    assert owner.request["OutputDataConfig"] == {}  # it was there, empty, before
    owner.undo()
    assert "StoppingCondition" not in owner.request  # created by the edit: gone
    owner.undo()
    assert owner.request == {"OutputDataConfig": {}, "ResourceConfig": {"InstanceCount": 1}}


def test_typing_then_clearing_a_field_that_pruned_its_structure_undoes_exactly():
    owner = Owner({"VpcConfig": {}})
    owner.type(("VpcConfig", "Name"), "ab")
    owner.edit(("VpcConfig", "Name"), "a", typing=True)
    owner.edit(("VpcConfig", "Name"), None, typing=True)  # removing the last member prunes VpcConfig
    assert owner.request == {}
    assert len(owner.history) == 1
    owner.undo()
    assert owner.request == {"VpcConfig": {}}
    owner.redo()
    assert owner.request == {}

    owner = Owner({"ResourceConfig": {"InstanceType": "ml.m5.large"}})
    owner.edit(("ResourceConfig", "InstanceType"), None)
    assert owner.request == {}
    owner.undo()
    assert owner.request == {"ResourceConfig": {"InstanceType": "ml.m5.large"}}


def test_list_steps_and_item_fields():
    path = ("InputDataConfig",)
    owner = Owner()
    states = [copy.deepcopy(owner.request)]
    owner.edit(path, [{}])  # add
    states.append(copy.deepcopy(owner.request))
    owner.type(path + (0, "ChannelName"), "train")
    states.append(copy.deepcopy(owner.request))
    owner.edit(path, [{"ChannelName": "train"}, {"ChannelName": "train"}])  # duplicate
    states.append(copy.deepcopy(owner.request))
    owner.type(path + (1, "ChannelName"), "2", start="train")
    states.append(copy.deepcopy(owner.request))
    owner.edit(path, list(reversed(owner.request["InputDataConfig"])))  # move
    states.append(copy.deepcopy(owner.request))
    owner.edit(path, None)  # remove the whole list
    states.append(copy.deepcopy(owner.request))
    for expected in reversed(states[:-1]):
        owner.undo()
        assert owner.request == expected
    for expected in states[1:]:
        owner.redo()
        assert owner.request == expected


def test_whole_request_replacement_is_one_step():
    owner = Owner({"TrainingJobName": "old"})
    owner.type(("RoleArn",), "r")
    owner.replace({"TrainingJobName": "new", "HyperParameters": {"a": "1"}})
    owner.edit(("HyperParameters",), {"a": "2"})
    owner.undo()
    owner.undo()
    assert owner.request == {"TrainingJobName": "old", "RoleArn": "r"}
    owner.redo()
    assert owner.request == {"TrainingJobName": "new", "HyperParameters": {"a": "1"}}
    owner.request["TrainingJobName"] = "mutated"  # the history keeps its own copies
    owner.undo()
    owner.redo()
    assert owner.request["TrainingJobName"] == "new"


def test_hundreds_of_steps_are_kept_then_the_oldest_go():
    owner = Owner()
    for i in range(LIMIT + 20):
        owner.edit(("ResourceConfig", "InstanceCount"), i + 1)
    assert LIMIT >= 200 and len(owner.history) == LIMIT
    for _ in range(LIMIT):
        assert owner.undo() is not None
    assert owner.undo() is None
    assert owner.request == {"ResourceConfig": {"InstanceCount": 20}}  # the first 20 steps were dropped

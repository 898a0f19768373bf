"""A bad map key, tag or list item is reported under its map or list, naming the entry (issue 14:
they were only in the problems list, the fields showed nothing)."""

from smjob.paths import format_path
from smjob.problems import ERROR, Problem
from smjob.tui.app import SmjobApp
from smjob.widgets.base import FieldEditor
from tests.support.waiting import wait_until

SUBNETS = ("VpcConfig", "Subnets")


def test_an_entry_is_named_unless_the_message_quotes_it():
    key = Problem(("Environment", "1BAD"), "key '1BAD' has '1' at character 1; expected a letter", ERROR)
    assert key.message_within(("Environment",)) == key.message
    item = Problem(SUBNETS + (0,), "has a space at character 4; expected digits", ERROR)
    assert item.message_within(SUBNETS) == "[0] has a space at character 4; expected digits"
    tag = Problem(("Tags", 2, "Key"), "Value 'x' is reserved", ERROR)
    assert tag.message_within(("Tags",)) == "[2].Key: Value 'x' is reserved"


def error_text(app, path) -> str:
    editor = next(e for e in app.editor.form.query(FieldEditor) if e.path == path)
    line = editor._error_line
    return str(line.render()) if line is not None and editor.has_class("-invalid") else ""


async def shown_under(section: str, request: dict, path) -> str:
    app = SmjobApp(request, autosave=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.editor.go_to_section(section)
        await wait_until(pilot, lambda: error_text(app, path), what=f"the message under {format_path(path)}")
        return error_text(app, path)


async def test_map_keys_tags_and_list_items_show_under_their_field():
    env = await shown_under("Environment", {"Environment": {"OK": "1", "1BAD": "2"}}, ("Environment",))
    assert "'1BAD'" in env and "character 1" in env
    subnets = await shown_under("VpcConfig", {"VpcConfig": {"Subnets": ["subnet-0abc", "bad subnet"]}}, SUBNETS)
    assert subnets.startswith("[1] ") and "space" in subnets
    tags = await shown_under("Tags", {"Tags": [{"Key": "ok", "Value": "1"}, {"Key": "a\x01", "Value": "v"}]}, ("Tags",))
    assert tags.startswith("[1].Key") and "\x01" not in tags and "\\x01" in tags  # escaped, never sent raw

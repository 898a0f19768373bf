"""Secret-looking Environment values are masked in the Environment editor too (smjob.secrets), as in
the preview and history: the list of entries shows MASK, and the selected entry's edit line shows
bullets unless the value itself is being edited (its input has the focus). The request keeps the
exact values; other maps (HyperParameters) are not masked.
"""

from __future__ import annotations

import json

from smjob.secrets import MASK
from smjob.tui.app import SmjobApp
from smjob.widgets.map_editor import MapEditor
from tests.support.keyboard import type_text
from tests.support.waiting import wait_until
from tests.test_secrets import JOB, PASSWORD


def list_lines(editor: MapEditor) -> list[str]:
    view = editor.list_view
    return [view.render_line(y).text for y in range(view.size.height)]


def edit_line(editor: MapEditor) -> str:
    return editor.value_input._value.plain  # what the Input draws (widgets/textual_fixes.py)


async def open_map(pilot, key: str) -> MapEditor:
    app = pilot.app
    await app.editor.go_to_section(key)
    await wait_until(pilot, lambda: app.editor.query(MapEditor), what=f"the {key} editor")
    editor = app.editor.query_one(MapEditor)
    await wait_until(pilot, lambda: editor.list_view.size.height > 1, what="the list drawn")
    return editor


async def test_environment_list_and_edit_line_mask_secrets_but_while_edited():
    app = SmjobApp(json.loads(json.dumps(JOB)), autosave=False)
    async with app.run_test(size=(100, 30)) as pilot:
        editor = await open_map(pilot, "Environment")
        lines = list_lines(editor)
        shown = "\n".join(lines)
        assert PASSWORD not in shown and "hf_abcdefSECRETTOKEN" not in shown
        assert any("DB_PASSWORD" in line and MASK in line for line in lines), lines
        assert any("HF_TOKEN" in line and MASK in line for line in lines), lines
        assert any("OMP_NUM_THREADS" in line and "= 4" in line for line in lines), lines
        assert any("TOKENIZERS_PARALLELISM" in line and "false" in line for line in lines), lines

        # The first entry (DB_PASSWORD) is selected; focus is on its key: the value shows as bullets.
        await wait_until(pilot, lambda: editor.key_input.has_focus, what="the key input focused")
        assert editor.pairs[editor.cursor][0] == "DB_PASSWORD"
        assert edit_line(editor) == "•" * len(PASSWORD)

        # Editing the value: in clear, and typing changes the exact value.
        editor.value_input.focus()
        await wait_until(pilot, lambda: edit_line(editor) == PASSWORD, what="the value in clear while edited")
        await pilot.press("end")
        await type_text(pilot, "X")
        await wait_until(pilot, lambda: app.editor.request["Environment"]["DB_PASSWORD"] == PASSWORD + "X")
        assert PASSWORD not in "\n".join(list_lines(editor))  # the list stays masked meanwhile

        # Leaving the value: masked again.
        editor.key_input.focus()
        await wait_until(pilot, lambda: edit_line(editor) == "•" * (len(PASSWORD) + 1), what="the value masked")

        # An ordinary entry is shown in its edit line.
        editor.select(next(i for i, (k, _) in enumerate(editor.pairs) if k == "OMP_NUM_THREADS"))
        await wait_until(pilot, lambda: edit_line(editor) == "4", what="OMP_NUM_THREADS in clear")


async def test_other_maps_are_not_masked():
    job = json.loads(json.dumps(JOB))
    job["HyperParameters"] = {"api_key_name": "not-a-secret", "lr": "0.1"}
    app = SmjobApp(job, autosave=False)
    async with app.run_test(size=(100, 30)) as pilot:
        editor = await open_map(pilot, "HyperParameters")
        lines = list_lines(editor)
        assert any("not-a-secret" in line for line in lines) and not any(MASK in line for line in lines), lines

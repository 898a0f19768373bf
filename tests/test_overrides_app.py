"""Rule overrides ("never block a valid job") in the app and on the submit path.

App (pilot): `i` on a rule's problem ignores that rule for this job: the problem leaves the list
(and comes back dimmed as "ignored"), the job is valid, the draft is autosaved with the override
and with every other smjob:meta key it had; a model error (schema.*) cannot be ignored; the
palette's "Ignore rule of the selected problem" and "Rule overrides…" (stop ignoring); the submit
dialog lists the ignored rules and the history records them. Headless: `smjob submit --ignore-rule`
against moto, an unknown id refused before anything is sent, `history resubmit` applies the
entry's overrides, `render -o` records them.
"""

from __future__ import annotations

import copy
import json

from textual.widgets import Button, Static

from smjob.aws import Target
from smjob.drafts import scan
from smjob.examples import load_example
from smjob.history import History
from smjob.overrides import META_KEY
from smjob.tui.app import SmjobApp
from smjob.tui.launch import main as smjob_main
from smjob.tui.screens.overrides import RuleOverridesScreen
from smjob.tui.screens.submit import SubmitScreen
from smjob.widgets.problems_panel import ProblemsPanel
from tests.support.keyboard import type_text
from tests.support.moto_server import raw_client
from tests.support.waiting import wait_until

RULE = "spot.max-wait-required"  # an error from a cross-field rule: spot without MaxWaitTimeInSeconds


def spot_job(name: str = "override-job") -> dict:
    return dict(load_example("pytorch-gpu"), TrainingJobName=name, EnableManagedSpotTraining=True)


def rules_of(app) -> list[str]:
    return [p.rule for p in app.editor.problems]


def notes(app) -> list[str]:
    return [n.message for n in app._notifications]


async def ready(pilot) -> None:
    app = pilot.app
    await wait_until(pilot, lambda: not app.editor.validation_pending and app.editor.problems, what="validation")


async def focus_problem(pilot, rule: str) -> ProblemsPanel:
    app = pilot.app
    await pilot.press("f3")
    panel = app.editor.query_one(ProblemsPanel)
    await wait_until(pilot, lambda: panel.has_focus, what="the problems list")
    panel.highlighted = [p.rule for p in panel.problems].index(rule)
    return panel


def draft_file_meta() -> dict:
    drafts, _ = scan()
    assert len(drafts) == 1
    return json.loads(drafts[0].path.read_text())[META_KEY]


async def test_i_on_a_rule_problem_ignores_it_and_the_draft_keeps_every_meta_key():
    # A draft written by a newer smjob: its unknown metadata key must survive our autosave.
    meta = {"future-key": {"kept": [1, 2]}}
    app = SmjobApp(spot_job(), source="draft", meta=meta, draft_id="abc123")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await ready(pilot)
        assert RULE in rules_of(app)
        await focus_problem(pilot, RULE)
        assert app.active_bindings["i"].binding.description == "Ignore rule"  # the footer offers it
        await pilot.press("i")
        await wait_until(pilot, lambda: RULE not in rules_of(app), what="the problem to go")
        assert app.ignore_rules == (RULE,)
        assert not [p for p in app.editor.problems if p.severity == "error"]  # the job is valid now
        panel = app.editor.query_one(ProblemsPanel)
        shown = [str(o.prompt) for o in panel.options]
        assert any(line.startswith(f"ignored {RULE}:") for line in shown), shown
        assert any("Ignoring spot.max-wait-required" in n for n in notes(app))
        assert "1 rule(s) ignored" in str(app.editor.query_one("#status", Static).render())
        # Autosaved (an override is an edit of the job), with the unknown key untouched.
        await wait_until(pilot, lambda: scan()[0] and not app._autosave_timer, what="the autosave")
        assert draft_file_meta() == {"future-key": {"kept": [1, 2]}, "ignore_rules": [RULE]}
        assert app.editor.request == spot_job()  # the request itself is unchanged


async def test_a_model_error_cannot_be_ignored():
    request = spot_job()
    request["ResourceConfig"]["InstanceCount"] = "2"  # schema.type
    app = SmjobApp(request, source="test", autosave=False)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await ready(pilot)
        await focus_problem(pilot, "schema.type")
        await pilot.press("i")
        await wait_until(pilot, lambda: any("cannot be ignored" in n for n in notes(app)), what="the refusal")
        assert app.ignore_rules == () and "schema.type" in rules_of(app)


async def test_palette_ignores_the_selected_problem_and_rule_overrides_stops_ignoring():
    app = SmjobApp(spot_job(), source="test", autosave=False)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await ready(pilot)
        await focus_problem(pilot, RULE)
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: app.screen.query("CommandInput"), what="the palette")
        await type_text(pilot, "Ignore rule of the selected", burst=True)
        await wait_until(pilot, lambda: app.screen.query_one("CommandList").option_count, what="the palette's hits")
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.ignore_rules == (RULE,), what="the override")
        assert RULE not in rules_of(app) and app.dirty

        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: app.screen.query("CommandInput"), what="the palette")
        await type_text(pilot, "Rule overrides", burst=True)
        await wait_until(pilot, lambda: app.screen.query_one("CommandList").option_count, what="the palette's hits")
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, RuleOverridesScreen) and app.screen.query("OptionList"),
            what="the list",
        )
        listed = [str(o.prompt) for o in app.screen.query_one("OptionList").options]
        assert len(listed) == 1 and listed[0].startswith(RULE)
        await pilot.press("delete")
        await wait_until(
            pilot, lambda: "No rule is ignored" in str(app.screen.query_one("OptionList").options[0].prompt)
        )
        await pilot.press("escape")
        await wait_until(pilot, lambda: RULE in rules_of(app), what="the rule to apply again")
        assert app.ignore_rules == ()


async def test_submit_lists_the_ignored_rules_and_the_history_records_them(moto, tmp_path):
    history = History(tmp_path / "history.sqlite3")
    request = spot_job("override-app")
    app = SmjobApp(copy.deepcopy(request), autosave=False, target=Target(None, "us-east-1", moto.url), history=history)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await ready(pilot)
        app.set_ignore_rules([RULE])
        await pilot.press("f5")
        await wait_until(pilot, lambda: isinstance(app.screen, SubmitScreen), what="the submit dialog")
        screen = app.screen
        assert f"Ignoring rules: {RULE}" in str(screen.query_one("#warnings", Static).render())
        assert not screen.query_one("#submit", Button).disabled and screen.warnings == []
        screen.query_one("#submit", Button).press()
        await wait_until(pilot, lambda: not isinstance(app.screen, SubmitScreen), what="the submission")
    [entry] = [history.get(e.id) for e in history.list()]
    assert (entry.action, entry.ignore_rules, entry.request) == ("submit", (RULE,), request)
    history.close()
    assert raw_client(moto).describe_training_job(TrainingJobName="override-app")["EnableManagedSpotTraining"]


def test_headless_submit_ignore_rule_and_resubmit_keep_it(moto, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("SMJOB_DATA_DIR", str(tmp_path / "data"))
    path = tmp_path / "job.json"
    path.write_text(json.dumps(spot_job("override-cli")))
    where = ["--endpoint-url", moto.url, "--region", "us-east-1"]
    assert smjob_main(["submit", str(path), *where]) == 1  # the rule blocks it
    assert "not submitted" in capsys.readouterr().err
    assert smjob_main(["submit", str(path), *where, "--ignore-rule", "spot.max-wait-requird"]) == 2
    assert "did you mean spot.max-wait-required" in capsys.readouterr().err  # a typo: nothing sent
    assert smjob_main(["submit", str(path), *where, "--ignore-rule", "schema.type"]) == 2
    assert "cannot be ignored" in capsys.readouterr().err
    assert smjob_main(["submit", str(path), *where, "--ignore-rule", RULE]) == 0
    said = capsys.readouterr().err
    assert "ignored error: StoppingCondition.MaxWaitTimeInSeconds is required for managed Spot" in said
    with History(tmp_path / "data" / "history.sqlite3") as h:
        [entry] = [h.get(e.id) for e in h.list()]
    assert entry.ignore_rules == (RULE,) and entry.request == spot_job("override-cli")
    # resubmit uses the entry's overrides: without them the rule would refuse it.
    assert smjob_main(["history", "resubmit", str(entry.id)]) == 0
    with History(tmp_path / "data" / "history.sqlite3") as h:
        newest = h.get(h.list()[0].id)
    assert newest.action == "submit" and newest.ignore_rules == (RULE,) and newest.id != entry.id
    names = {j["TrainingJobName"] for j in raw_client(moto).list_training_jobs()["TrainingJobSummaries"]}
    assert len(names) == 2 and "override-cli" in names


def test_render_export_records_the_overrides(monkeypatch, tmp_path):
    monkeypatch.setenv("SMJOB_DATA_DIR", str(tmp_path / "data"))
    path = tmp_path / "job.json"
    path.write_text(json.dumps(spot_job("override-export")))
    out = tmp_path / "out.yaml"
    assert smjob_main(["render", str(path), "--to", "yaml", "-o", str(out), "--ignore-rule", RULE]) == 0
    with History(tmp_path / "data" / "history.sqlite3") as h:
        [entry] = [h.get(e.id) for e in h.list()]
    assert (entry.action, entry.ignore_rules) == ("export", (RULE,))


async def test_a_hostile_override_from_a_draft_is_shown_escaped_and_can_be_removed():
    evil = "evil\x1b]52;c;aGk=\x07"
    app = SmjobApp(spot_job(), source="draft", meta={"ignore_rules": [evil]}, autosave=False)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await ready(pilot)
        assert "override.unknown-rule" in rules_of(app)  # not a rule id: an error that says so
        await app.run_action("rule_overrides")
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, RuleOverridesScreen) and app.screen.query("OptionList"),
            what="the list",
        )
        [line] = [str(o.prompt) for o in app.screen.query_one("OptionList").options]
        assert "\x1b" not in line and "\x07" not in line and "evil" in line
        await pilot.press("enter")  # Enter stops ignoring it too
        await pilot.press("escape")
        await wait_until(pilot, lambda: "override.unknown-rule" not in rules_of(app), what="the override gone")
        assert app.ignore_rules == ()

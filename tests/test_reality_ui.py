"""Issue 12 in the app: the instance picker's hardware columns, filters and sort; the facts line
under the InstanceType field; the estimated cost in the status line; the preflight in the submit
confirmation. Real parts: the app under Textual's pilot, moto over HTTP for AWS, and the Price
List documents served by tests/support/json_stub.py."""

from __future__ import annotations

import json

import pytest
from textual.widgets import OptionList, Static

from smjob.aws import Target
from smjob.drafts import data_dir
from smjob.pricing import CACHE_NAME
from smjob.tui.app import SmjobApp
from smjob.widgets.base import field_id
from smjob.widgets.instance_columns import layout
from smjob.widgets.instance_picker import InstancePickerScreen, InstanceTypeField
from tests.support.account import ACCOUNT, clean_job
from tests.support.json_stub import JsonStub
from tests.support.keyboard import owner_path
from tests.support.price_stub import price_list_handlers
from tests.support.screens import plain_lines
from tests.support.waiting import wait_until

JOB = {
    "TrainingJobName": "cost-1",
    "AlgorithmSpecification": {"TrainingImage": "123456789012.dkr.ecr.us-east-1.amazonaws.com/t:1"},
    "RoleArn": "arn:aws:iam::123456789012:role/SageMakerRole",
    "OutputDataConfig": {"S3OutputPath": "s3://bucket/out/"},
    "ResourceConfig": {"InstanceType": "ml.g5.2xlarge", "InstanceCount": 1, "VolumeSizeInGB": 50},
    "StoppingCondition": {"MaxRuntimeInSeconds": 7200},
}


@pytest.fixture
def price_cache():
    """The isolated data dir's price cache, emptied before and after."""
    path = data_dir() / CACHE_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    yield path
    path.unlink(missing_ok=True)


def status(app) -> str:
    return str(app.editor.query_one("#status", Static).render())


def visible_types(picker) -> list[str]:
    return [o.id for o in picker.query_one(OptionList).options if not o.disabled]


async def open_picker(pilot, app) -> InstancePickerScreen:
    await app.editor.go_to_section("ResourceConfig")
    field = app.editor.query_one(InstanceTypeField)
    field.input.focus()
    await pilot.press("f4")
    await wait_until(pilot, lambda: isinstance(app.screen, InstancePickerScreen), what="instance picker")
    return app.screen


# --- the picker ------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [(80, 24), (200, 50)])
async def test_picker_filters_by_hardware_and_sorts_by_any_column(size, price_cache):
    app = SmjobApp(JOB, autosave=False, target=Target(region="us-east-1"))
    async with app.run_test(size=size) as pilot:
        picker = await open_picker(pilot, app)
        header = str(picker.query_one("#picker-header", Static).render())
        assert header.startswith("TYPE ▲") and "GPU" in header and "MEM GiB" in header
        if size[0] == 80:  # the lowest-priority columns go; Trainium shares the GPU column
            assert "GPU/ACCEL" in header and "NET" not in header
        else:
            assert "ACCELERATORS" in header and "NETWORK" in header
        row = str(picker.query_one(OptionList).get_option("ml.p4d.24xlarge").prompt)
        assert row.split()[:4] == ["ml.p4d.24xlarge", "96", "1,152", "8×"] and "A100 40" in row
        assert max(len(str(o.prompt)) for o in picker.query_one(OptionList).options) <= size[0] - 4

        await pilot.press(*"gpu>=4 a10g")
        await wait_until(pilot, lambda: visible_types(picker) == ["ml.g5.12xlarge", "ml.g5.24xlarge", "ml.g5.48xlarge"])
        await pilot.press("ctrl+a", "ctrl+k", *"mem>=1000 efa")
        await wait_until(pilot, lambda: "ml.p4d.24xlarge" in visible_types(picker))
        from smjob.facts import facts_for

        shown = visible_types(picker)
        assert all(facts_for(t).memory_gib >= 1000 and facts_for(t).efa for t in shown)

        # A half-typed comparison says what is wrong and keeps the rows.
        await pilot.press(*" gpu")
        await pilot.pause()
        before = visible_types(picker)
        await pilot.press(">")
        await wait_until(pilot, lambda: picker.query_one("#picker-status").has_class("-error"))
        assert visible_types(picker) == before and "gpu>" in str(picker.query_one("#picker-status").render())
        await pilot.press("backspace", "backspace", "backspace", "backspace", "backspace")
        await wait_until(pilot, lambda: not picker.query_one("#picker-status").has_class("-error"))

        # Tab cycles the sort column (vCPU, then memory, ...): biggest first, marked in the header.
        await pilot.press("tab")
        await wait_until(pilot, lambda: "▼vCPU" in str(picker.query_one("#picker-header", Static).render()))
        vcpus = [facts_for(t).vcpus for t in visible_types(picker)]
        assert vcpus == sorted(vcpus, reverse=True) and len(set(vcpus)) > 1
        await pilot.press("tab")
        await wait_until(pilot, lambda: "▼MEM GiB" in str(picker.query_one("#picker-header", Static).render()))
        mems = [facts_for(t).memory_gib for t in visible_types(picker)]
        assert mems == sorted(mems, reverse=True)
        # A new sort shows its top, highlighted; Enter picks it: the type with the most memory.
        chosen = picker.query_one(OptionList).highlighted_option.id
        assert chosen == visible_types(picker)[0] and facts_for(chosen).memory_gib == max(mems)
        await pilot.press("enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, InstancePickerScreen))
        assert app.request["ResourceConfig"]["InstanceType"] == chosen


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (200, 50)])
async def test_the_scrollbar_never_touches_the_last_column(size, price_cache):
    """A blank cell between the rows and the list's scrollbar (at 80 columns it sat against the
    network column: `25▄`), and no column is given up for it."""
    app = SmjobApp(JOB, autosave=False, target=Target(region="us-east-1"))
    async with app.run_test(size=size) as pilot:
        picker = await open_picker(pilot, app)
        olist = picker.query_one(OptionList)

        def painted() -> list[str]:
            bar = olist.vertical_scrollbar.region
            return plain_lines(app)[bar.y : bar.bottom] if olist.show_vertical_scrollbar and bar.height else []

        await wait_until(
            pilot, lambda: sum("ml.g5." in line for line in painted()) >= 3, what="rows beside a scrollbar"
        )
        x = olist.vertical_scrollbar.region.x
        rows = [line for line in painted() if "ml." in line]
        assert all(line[x - 1] == " " for line in rows), "\n".join(line[x - 12 : x + 1] for line in rows)
        assert picker.columns[-1].key == "net"


def test_columns_are_dropped_by_priority_and_widened_with_room():
    narrow, wide = [c.key for c in layout(74)], [c.key for c in layout(190)]
    assert narrow[:4] == ["type", "vcpu", "mem", "gpu"] and "accel" not in narrow and "net" not in narrow
    assert wide == ["type", "vcpu", "mem", "gpu", "accel", "nvme", "efa", "net"]
    assert sum(c.width for c in layout(74)) + 2 * (len(narrow) - 1) <= 74
    assert {c.key: c.width for c in layout(190)}["gpu"] > {c.key: c.width for c in layout(74)}["gpu"]


async def test_facts_line_under_the_type_and_under_instance_groups(price_cache):
    job = dict(
        JOB,
        ResourceConfig={
            "InstanceGroups": [
                {"InstanceGroupName": "a", "InstanceType": "ml.trn1.32xlarge", "InstanceCount": 1},
            ],
            "VolumeSizeInGB": 50,
        },
    )
    app = SmjobApp(job, autosave=False, target=Target(region="us-east-1"))
    async with app.run_test(size=(120, 40)) as pilot:
        path = ("ResourceConfig", "InstanceGroups", 0, "InstanceType")
        await app.editor.jump_to(path)
        await pilot.pause()
        field = app.editor.query_one(f"#{field_id(path)}", InstanceTypeField)
        line = str(field.query_one(".instance-facts").render())
        assert line.startswith("128 vCPU · 512 GiB · 16× Trainium 32 GiB · NVMe 7,600 GB · EFA")
        # Typing another type updates the line; a half-typed one has none.
        field.input.focus()
        await pilot.press("end", *["backspace"] * 8)
        await wait_until(pilot, lambda: str(field.query_one(".instance-facts").render()) == "")
        await pilot.press(*"2xlarge")
        await wait_until(pilot, lambda: str(field.query_one(".instance-facts").render()).startswith("8 vCPU · 32 GiB"))


# --- the cost in the status line --------------------------------------------------------------


async def test_status_cost_from_the_cache_follows_edits(price_cache, monkeypatch):
    price_cache.write_text(json.dumps({"us-east-1|ml.g5.2xlarge": {"usd": 1.515, "fetched": "2026-12-01"}}))
    monkeypatch.setenv("AWS_ENDPOINT_URL_PRICING", "http://127.0.0.1:9")  # nothing may be fetched
    app = SmjobApp(JOB, autosave=False, target=Target(region="us-east-1"))
    async with app.run_test(size=(200, 50)) as pilot:
        await wait_until(pilot, lambda: "cost ≤ $3.03 (1 inst × 2 h)" in status(app), what="the status cost")
        await app.editor.jump_to(("ResourceConfig", "InstanceCount"))
        await pilot.press("ctrl+a", "ctrl+k", "3")
        await wait_until(pilot, lambda: "cost ≤ $9.09 (3 inst × 2 h)" in status(app), what="the status cost")


async def test_status_cost_follows_the_target_region(price_cache, monkeypatch):
    price_cache.write_text(
        json.dumps(
            {
                "us-east-1|ml.g5.2xlarge": {"usd": 1.515, "fetched": "2026-12-01"},
                "eu-west-1|ml.g5.2xlarge": {"usd": 1.7, "fetched": "2026-12-01"},
            }
        )
    )
    monkeypatch.setenv("AWS_ENDPOINT_URL_PRICING", "http://127.0.0.1:9")  # nothing may be fetched
    app = SmjobApp(JOB, autosave=False, target=Target(region="us-east-1"))
    async with app.run_test(size=(200, 50)) as pilot:
        await wait_until(pilot, lambda: "cost ≤ $3.03" in status(app), what="the us-east-1 cost")
        app.set_target(Target(region="eu-west-1"))
        await wait_until(pilot, lambda: "cost ≤ $3.40" in status(app), what="the eu-west-1 cost")


async def test_status_says_price_unknown_and_why_when_the_price_list_cannot_be_reached(price_cache, monkeypatch):
    from smjob.local_endpoint import free_port

    monkeypatch.setenv("AWS_ENDPOINT_URL_PRICING", f"http://127.0.0.1:{free_port()}")  # nobody listens
    app = SmjobApp(JOB, autosave=False, target=Target(region="us-east-1"))
    async with app.run_test(size=(200, 50)) as pilot:
        await wait_until(
            pilot, lambda: "price unknown: the Price List API cannot be reached" in status(app), what=status(app)
        )
        assert "$" not in status(app)  # never a guess


async def test_status_fetches_a_missing_price_once_in_a_worker(price_cache, monkeypatch):
    with JsonStub(price_list_handlers()) as stub:
        monkeypatch.setenv("AWS_ENDPOINT_URL_PRICING", stub.url)
        app = SmjobApp(JOB, autosave=False, target=Target(region="us-east-1"))
        async with app.run_test(size=(200, 50)) as pilot:
            await wait_until(pilot, lambda: "cost ≤ $3.03" in status(app), what="the status cost")
            cached = json.loads(price_cache.read_text())
            assert cached["us-east-1|ml.g5.2xlarge"]["usd"] == 1.515
            products = [c for c in stub.calls if c[0].endswith("GetProducts")]
            assert len(products) == 1
            # Typing an unknown type asks nothing: only the model's types are looked up.
            await app.editor.jump_to(("ResourceConfig", "InstanceType"))
            await pilot.press("end", *"zz")
            await wait_until(pilot, lambda: "is not a training instance type" in status(app), what="the status cost")
            assert len([c for c in stub.calls if c[0].endswith("GetProducts")]) == 1


# --- the submit confirmation ------------------------------------------------------------------


def panel_text(app) -> str:
    from smjob.tui.screens.preflight_panel import PreflightPanel

    panel = app.screen.query_one(PreflightPanel)
    lines = [str(w.render()) for w in panel.query(Static)]
    lines += [str(o.prompt) for o in panel.query_one(OptionList).options]
    return "\n".join(lines)


@pytest.mark.parametrize("size", [(80, 24), (200, 50)])
async def test_confirmation_runs_the_preflight_and_enter_on_the_failed_role_jumps_to_it(request, size, price_cache):
    from smjob.tui.screens.preflight_panel import PreflightPanel
    from smjob.tui.screens.submit import SubmitScreen

    target, ids = request.getfixturevalue("seeded")  # the account of tests/support/account.py
    job = clean_job(ids)
    job["RoleArn"] = f"arn:aws:iam::{ACCOUNT}:role/no-such-role"
    price_cache.write_text(json.dumps({"us-east-1|ml.m5.xlarge": {"usd": 0.23, "fetched": "2026-12-01"}}))
    app = SmjobApp(job, autosave=False, target=target)
    async with app.run_test(size=size) as pilot:
        await wait_until(pilot, lambda: app.editor.problems is not None and app.editor.validation_pending is False)
        await pilot.press("f5")
        await wait_until(pilot, lambda: isinstance(app.screen, SubmitScreen), what="the confirmation")
        panel = app.screen.query_one(PreflightPanel)
        # The cost bound and how it is worked out, from the cached price, at once.
        assert "≤ $0.46 = 2 × ml.m5.xlarge × $0.23/h × 1 h" in panel_text(app)
        await wait_until(pilot, lambda: panel.report is not None, what="the preflight's end")
        text = panel_text(app)
        assert "failed" in text and "passed" in text
        role = next(c for c in panel.checks if c.path == ("RoleArn",) and c.status == "failed")
        assert "no-such-role" in role.message
        olist = panel.query_one(OptionList)
        first = str(olist.options[0].prompt)
        assert first.startswith("✗") and "[RoleArn]" in first  # failures first, named at their field
        assert panel.has_warnings  # a failed check: start on Cancel (focus moves after the report)
        await wait_until(pilot, lambda: app.focused is not None and app.focused.id == "cancel", what="Cancel focused")
        # Nothing was sent.
        import boto3

        sm = boto3.client("sagemaker", endpoint_url=target.endpoint_url, region_name=target.region)
        assert sm.list_training_jobs()["TrainingJobSummaries"] == []
        # Enter on the failed check closes the dialog and goes to the field.
        olist.focus()
        olist.highlighted = 0
        await pilot.press("enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, SubmitScreen), what="the dialog to close")
        await wait_until(
            pilot, lambda: app.focused is not None and owner_path(app.focused) == ("RoleArn",), what="RoleArn focused"
        )


async def test_confirmation_shows_guard_rails_as_warnings_and_starts_on_cancel(moto, price_cache):
    from smjob.settings import set_value
    from smjob.tui.screens.preflight_panel import PreflightPanel
    from smjob.tui.screens.submit import SubmitScreen

    set_value("max_estimated_cost", "2")
    set_value("max_instance_count", "1")
    try:
        price_cache.write_text(json.dumps({"us-east-1|ml.g5.2xlarge": {"usd": 1.515, "fetched": "2026-12-01"}}))
        job = dict(JOB, ResourceConfig=dict(JOB["ResourceConfig"], InstanceCount=2))
        app = SmjobApp(job, autosave=False, target=moto.target())
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("f5")
            await wait_until(pilot, lambda: isinstance(app.screen, SubmitScreen), what="the confirmation")
            panel = app.screen.query_one(PreflightPanel)
            assert panel.has_warnings
            text = panel_text(app)
            assert "⚠ 2 instances, over your limit of 1 (max_instance_count)" in text
            assert "⚠ up to $6.06, over your limit of $2.00 (max_estimated_cost)" in text
            await wait_until(pilot, lambda: app.focused is not None and app.focused.id == "cancel", what="Cancel")
    finally:
        set_value("max_estimated_cost", "off")
        set_value("max_instance_count", "off")

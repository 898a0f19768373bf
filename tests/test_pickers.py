"""Account pickers in the real app against a moto server over HTTP, seeded here with other
resources than the demo's: roles, S3, images (ECR and the catalogue), VPC, KMS; the cache, a dead
endpoint, and the target in the status bar."""

from __future__ import annotations

import json

import pytest

from smjob.aws import Target
from smjob.local_endpoint import ACCOUNT
from smjob.resources import lookups
from smjob.tui.app import SmjobApp
from smjob.widgets.pickers.base import PickerScreen
from tests.support.keyboard import tab_to_input, type_text
from tests.support.moto_server import raw_client
from tests.support.waiting import wait_until

SIZE = (100, 30)
REGION = "us-east-1"
TRUST = {"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}


@pytest.fixture(autouse=True)
def _own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("SMJOB_CACHE_DIR", str(tmp_path / "cache"))
    lookups._ACCOUNTS.clear()
    lookups._RESOLVED.clear()
    lookups.forget_clients()
    yield
    lookups.forget_clients()


def _policy(*statements) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def app_for(target: Target, request: dict | None = None) -> SmjobApp:
    return SmjobApp(request or {"TrainingJobName": "pick-test"}, autosave=False, target=target)


def picker(app) -> PickerScreen:
    return app.screen


def option_texts(app) -> list[str]:
    olist = app.screen.option_list
    return [str(o.prompt) for o in olist.options]


async def open_picker(pilot, section: str, path) -> PickerScreen:
    await pilot.app.editor.go_to_section(section)
    await tab_to_input(pilot, path)
    await pilot.press("f4")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, PickerScreen), what="the picker")
    return pilot.app.screen


async def loaded(pilot, screen: PickerScreen):
    await wait_until(pilot, lambda: not screen.level.loading, what="the lookup")


async def test_role_picker_lists_trusting_roles_first_and_says_why_of_the_others(moto):
    iam = raw_client(moto, "iam")
    iam.create_role(RoleName="ml-train-prod", AssumeRolePolicyDocument=_policy(TRUST))
    iam.create_role(
        RoleName="etl-glue", AssumeRolePolicyDocument=_policy(dict(TRUST, Principal={"Service": "glue.amazonaws.com"}))
    )
    app = app_for(moto.target())
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_picker(pilot, "TrainingJobName", ("RoleArn",))
        await loaded(pilot, screen)
        texts = option_texts(app)
        assert texts.index(next(t for t in texts if "ml-train-prod" in t)) < texts.index(
            next(t for t in texts if "etl-glue" in t)
        )
        assert any("etl-glue" in t and "glue.amazonaws.com" in t for t in texts)
        await type_text(pilot, "ml-tr")
        await pilot.press("enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, PickerScreen))
        assert app.request["RoleArn"] == f"arn:aws:iam::{ACCOUNT}:role/ml-train-prod"
        assert app.focused.value == app.request["RoleArn"]

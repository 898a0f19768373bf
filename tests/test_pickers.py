"""Account pickers in the real app against a moto server over HTTP, seeded here with other
resources than the demo's (smjob.local_endpoint.seed_account makes the demo's): roles, S3, images
(ECR and the catalogue), VPC, KMS; the cache, a dead or hanging endpoint, the app's target, new
jobs from config.yaml, and the whole 2-node spot PyTorch job in at most 150 keys."""

from __future__ import annotations

import json

import pytest
from textual.widgets import Input

from smjob.aws import Target
from smjob.catalogue import image_uri, options
from smjob.local_endpoint import ACCOUNT, _manifest
from smjob.resources import lookup, lookups
from smjob.tui.app import SmjobApp
from smjob.widgets.base import field_id
from smjob.widgets.button_bar import ButtonBar
from smjob.widgets.choice import ChoiceBox
from smjob.widgets.pickers.base import PickerScreen
from tests.support.fault_proxy import FaultProxy, closed_port_url
from tests.support.keyboard import owner_path, tab_to_input, type_text
from tests.support.moto_server import raw_client
from tests.support.waiting import wait_until

SIZE = (100, 30)
TRUST = {"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}


@pytest.fixture(autouse=True)
def _own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("SMJOB_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("SMJOB_DATA_DIR", str(tmp_path / "data"))  # smjob defaults saved by a test stay there
    _forget()
    yield
    _forget()


def _forget():
    lookups._ACCOUNTS.clear()
    lookups._RESOLVED.clear()
    lookups.forget_clients()


def _policy(*statements) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def make_app(target: Target, request: dict | None = None) -> SmjobApp:
    return SmjobApp(request or {"TrainingJobName": "pick-test"}, autosave=False, target=target)


def texts(app) -> list[str]:
    return [str(o.prompt) for o in app.screen.option_list.options]


def line(app, word: str) -> str:
    return next(t for t in texts(app) if word in t)


async def open_picker(pilot, section: str, path) -> PickerScreen:
    await pilot.app.editor.go_to_section(section)
    await tab_to_input(pilot, path)
    await pilot.press("f4")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, PickerScreen), what="the picker")
    return pilot.app.screen


async def loaded(pilot, screen: PickerScreen) -> None:
    await wait_until(pilot, lambda: not screen.level.loading, what="the lookup")


async def closed(pilot) -> None:
    await wait_until(pilot, lambda: not isinstance(pilot.app.screen, PickerScreen), what="the picker to close")


# --- each picker ---------------------------------------------------------------------------------


async def test_roles_trusting_sagemaker_first_others_dimmed_with_the_reason(moto):
    iam = raw_client(moto, "iam")
    iam.create_role(RoleName="zz-ml-train", AssumeRolePolicyDocument=_policy(TRUST))
    glue = dict(TRUST, Principal={"Service": "glue.amazonaws.com"})
    iam.create_role(RoleName="aa-etl-glue", AssumeRolePolicyDocument=_policy(glue))
    app = make_app(moto.target())
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_picker(pilot, "TrainingJobName", ("RoleArn",))
        await loaded(pilot, screen)
        shown = texts(app)
        assert shown.index(line(app, "zz-ml-train")) < shown.index(line(app, "aa-etl-glue"))
        assert "glue.amazonaws.com" in line(app, "aa-etl-glue")
        dimmed = next(o for o in screen.option_list.options if "aa-etl-glue" in str(o.prompt))
        assert "dim" in str(dimmed.prompt.style)
        assert "from us-east-1, just now" in str(screen.query_one("#picker-status").render())
        await type_text(pilot, "ml-tr")
        await pilot.press("enter")
        await closed(pilot)
        assert app.request["RoleArn"] == f"arn:aws:iam::{ACCOUNT}:role/zz-ml-train"
        assert app.focused.value == app.request["RoleArn"]


async def test_s3_buckets_with_regions_default_first_then_prefixes_one_level_at_a_time(moto):
    s3 = raw_client(moto, "s3")
    for name, region in (("zz-features", None), ("sagemaker-us-east-1-" + ACCOUNT, None), ("aa-eu-logs", "eu-west-2")):
        s3.create_bucket(
            Bucket=name, **({"CreateBucketConfiguration": {"LocationConstraint": region}} if region else {})
        )
    for key in ("images/train/a.rec", "images/train/b.rec", "images/val/c.rec", "manifest.json"):
        s3.put_object(Bucket="zz-features", Key=key, Body=b"x" * 2048)
    app = make_app(moto.target())
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_picker(pilot, "OutputDataConfig", ("OutputDataConfig", "S3OutputPath"))
        await loaded(pilot, screen)
        buckets = [t for t in texts(app) if t.startswith("  ")]
        assert "sagemaker-us-east-1-" in buckets[0] and "SageMaker default bucket" in buckets[0]
        assert "eu-west-2" in line(app, "aa-eu-logs") and "other region" in line(app, "aa-eu-logs")
        assert "other region" not in line(app, "zz-features")
        await type_text(pilot, "zz")
        await pilot.press("enter")  # into the bucket
        await wait_until(pilot, lambda: any("images/" in t for t in texts(app)), what="the bucket's prefixes")
        assert "1 object here" in line(app, "object") and "manifest.json" in line(app, "manifest")
        await type_text(pilot, "images")
        await pilot.press("enter")  # into images/
        await wait_until(pilot, lambda: any("train/" in t for t in texts(app)), what="images/'s prefixes")
        assert screen.level.title == "s3://zz-features/images/"
        await pilot.press("backspace")  # back up, the filter as it was
        assert screen.level.title == "s3://zz-features/" and screen.filter.value == "images"
        await pilot.press("enter", "enter")  # images/ again, then "Use s3://zz-features/images/"
        await closed(pilot)
        assert app.request["OutputDataConfig"]["S3OutputPath"] == "s3://zz-features/images/"


async def test_images_ecr_tags_newest_first_and_the_catalogue_gives_the_regions_uri(moto):
    ecr = raw_client(moto, "ecr")
    ecr.create_repository(repositoryName="vision/detector")
    for tag in ("2024.1", "2024.2"):
        ecr.put_image(repositoryName="vision/detector", imageManifest=_manifest(tag), imageTag=tag)
    app = make_app(moto.target())
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_picker(pilot, "AlgorithmSpecification", ("AlgorithmSpecification", "TrainingImage"))
        await loaded(pilot, screen)
        await type_text(pilot, "vision")
        await pilot.press("enter")
        await wait_until(pilot, lambda: any("2024.1" in t for t in texts(app)), what="the tags")
        assert texts(app)[0].strip().startswith("2024.2")  # newest first
        await pilot.press("enter")
        await closed(pilot)
        assert app.request["AlgorithmSpecification"]["TrainingImage"].endswith("/vision/detector:2024.2")

        app.set_target(Target(None, "eu-west-1", moto.url))  # the catalogue's URI is for the job's region
        await pilot.press("f4")
        await wait_until(pilot, lambda: isinstance(app.screen, PickerScreen))
        await type_text(pilot, "pytorch")
        await pilot.press("enter", "enter")  # pytorch, its newest version
        version = app.screen.level.title.split()[1]
        newest = options("pytorch", version)
        assert "ecr.eu-west-1.amazonaws.com" in line(app, "registry")
        gpu = next(o for o in app.screen.option_list.options if o.id and "gpu" in str(o.prompt))
        app.screen.option_list.highlighted = app.screen.option_list.options.index(gpu)
        await pilot.press("enter")
        await closed(pilot)
        expected = image_uri("pytorch", "eu-west-1", version, newest.py_versions[0], "gpu")
        assert app.request["AlgorithmSpecification"]["TrainingImage"] == expected


async def test_vpc_subnets_and_groups_from_two_vpcs_are_refused_in_the_picker(moto):
    ec2 = raw_client(moto, "ec2")
    vpcs = [ec2.create_vpc(CidrBlock=f"10.{n}.0.0/16")["Vpc"]["VpcId"] for n in (31, 32)]
    subnet = ec2.create_subnet(VpcId=vpcs[0], CidrBlock="10.31.1.0/24", AvailabilityZone="us-east-1c")["Subnet"]
    other = ec2.create_security_group(GroupName="batch-other", Description="x", VpcId=vpcs[1])["GroupId"]
    mine = ec2.create_security_group(GroupName="train-nodes", Description="x", VpcId=vpcs[0])["GroupId"]
    app = make_app(moto.target(), {"TrainingJobName": "vpc", "VpcConfig": {"Subnets": [], "SecurityGroupIds": []}})
    async with app.run_test(size=SIZE) as pilot:
        await app.editor.go_to_section("VpcConfig")
        field = app.screen.query_one(f"#{field_id(('VpcConfig', 'Subnets'))}")
        field.focus_input()
        await pilot.press("f4")
        await wait_until(pilot, lambda: isinstance(app.screen, PickerScreen))
        screen = app.screen
        await loaded(pilot, screen)
        assert "us-east-1c" in line(app, subnet["SubnetId"]) and vpcs[0] in line(app, subnet["SubnetId"])
        assert f"{subnet['AvailableIpAddressCount']} IPs" in line(app, subnet["SubnetId"])
        for wanted in (subnet["SubnetId"], other):
            await type_text(pilot, wanted)
            await pilot.press("enter")
            await pilot.press(*["backspace"] * len(wanted))
        status = str(screen.query_one("#picker-status").render())
        assert "must be in one VPC" in status and vpcs[1] in status
        screen.option_list.highlighted = 0
        await pilot.press("enter")  # "Use": refused while two VPCs are marked
        assert app.screen is screen
        for wanted in (other, mine):  # unmark the other VPC's group, mark this one's
            await type_text(pilot, wanted)
            await pilot.press("enter")
            await pilot.press(*["backspace"] * len(wanted))
        assert "must be in one VPC" not in str(screen.query_one("#picker-status").render())
        screen.option_list.highlighted = 0
        await pilot.press("enter")
        await closed(pilot)
        assert app.request["VpcConfig"] == {"Subnets": [subnet["SubnetId"]], "SecurityGroupIds": [mine]}
        shown = app.screen.query_one(f"#{field_id(('VpcConfig', 'SecurityGroupIds'))}")
        assert shown._text == mine  # the other list shows the picked groups too


async def test_kms_keys_with_aliases_and_state(moto):
    kms = raw_client(moto, "kms")
    key = kms.create_key(Description="checkpoints")["KeyMetadata"]
    kms.create_alias(AliasName="alias/ckpt-volume", TargetKeyId=key["KeyId"])
    off = kms.create_key(Description="retired")["KeyMetadata"]
    kms.disable_key(KeyId=off["KeyId"])
    app = make_app(moto.target())
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_picker(pilot, "ResourceConfig", ("ResourceConfig", "VolumeKmsKeyId"))
        await loaded(pilot, screen)
        assert "Enabled" in line(app, "alias/ckpt-volume")
        assert "Disabled" in line(app, off["KeyId"][:20])
        await type_text(pilot, "ckpt")
        await pilot.press("enter")
        await closed(pilot)
        assert app.request["ResourceConfig"]["VolumeKmsKeyId"] == key["Arn"]


# --- cache, failures, cancelling -----------------------------------------------------------------


async def test_a_picker_opens_with_cached_data_without_calling_aws(moto):
    raw_client(moto, "iam").create_role(RoleName="cached-role", AssumeRolePolicyDocument=_policy(TRUST))
    lookup("roles", moto.target())  # on disk now
    app = make_app(moto.target())
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_picker(pilot, "TrainingJobName", ("RoleArn",))
        # In the first frame: the cached roles and their age, and no lookup started.
        assert not screen.level.loading and "cached-role" in line(app, "cached-role")
        assert " ago" in str(screen.query_one("#picker-status").render())
        assert not [w for w in app.workers if (w.group or "").startswith("lookup-")]
        await pilot.press("tab", "r")  # in the list, r refreshes: AWS is asked again
        await wait_until(pilot, lambda: screen.level.ages["roles"] == "just now", what="the refresh")
        assert screen.filter.value == ""


async def test_pick_from_the_palette_opens_the_focused_fields_picker(moto):
    app = make_app(moto.target())
    async with app.run_test(size=SIZE) as pilot:
        await tab_to_input(pilot, ("RoleArn",))
        await pilot.press("ctrl+p")
        await type_text(pilot, "pick")
        await wait_until(pilot, lambda: "Pick" in _palette_first(app), what="the palette's hit")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, PickerScreen), what="the role picker")
        assert app.screen.picker_title == "IAM role"


async def test_a_failed_lookup_says_why_and_typing_by_hand_still_works():
    app = make_app(Target(None, "us-east-1", closed_port_url()))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_picker(pilot, "TrainingJobName", ("RoleArn",))
        await wait_until(pilot, lambda: screen.level.errors, what="the failure")
        status = str(screen.query_one("#picker-status").render())
        assert "lookup failed:" in status and "endpoint" in status.lower()
        await pilot.press("escape")
        await closed(pilot)
        await pilot.press("ctrl+u")
        await type_text(pilot, "arn:aws:iam::111122223333:role/typed")
        assert app.request["RoleArn"] == "arn:aws:iam::111122223333:role/typed"


async def test_escape_abandons_a_hanging_lookup_and_the_form_keeps_typing(moto):
    with FaultProxy(moto.url, default="hang") as proxy:
        app = make_app(Target(None, "us-east-1", proxy.url))
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_picker(pilot, "TrainingJobName", ("RoleArn",))
            await wait_until(pilot, lambda: proxy.hanging >= 1, what="the lookup to hang")
            await type_text(pilot, "ml")  # the filter takes keys while the lookup hangs
            assert screen.filter.value == "ml" and screen.level.loading
            await pilot.press("escape")
            await closed(pilot)
            await pilot.press("ctrl+u")
            await type_text(pilot, "arn:aws:iam::111122223333:role/by-hand")
            assert app.request["RoleArn"] == "arn:aws:iam::111122223333:role/by-hand"
            proxy.release()


# --- the target, new jobs, defaults --------------------------------------------------------------


async def test_the_target_is_in_the_status_bar_and_changed_from_the_palette(moto):
    app = make_app(Target(None, "us-east-1", None))
    async with app.run_test(size=(160, 30)) as pilot:
        status = lambda: str(app.editor.query_one("#status").render())  # noqa: E731
        assert "us-east-1" in status()
        await app.run_action("change_target")
        await wait_until(pilot, lambda: app.screen.__class__.__name__ == "TargetScreen")
        await pilot.press("tab")  # profile -> region
        await pilot.press("ctrl+u")
        await type_text(pilot, "eu-central-1")
        await pilot.press("enter")  # -> endpoint
        await type_text(pilot, moto.url)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.target.region == "eu-central-1")
        assert app.target == Target(None, "eu-central-1", moto.url)
        assert "eu-central-1" in status() and moto.url.split("//")[1] in status()


async def test_new_job_fills_from_config_yaml_and_says_so_and_save_as_default(tmp_path, monkeypatch):
    config = tmp_path / "config.yaml"
    role = "arn:aws:iam::111122223333:role/team-default"
    config.write_text(f"SchemaVersion: '1.0'\nSageMaker:\n  TrainingJob:\n    RoleArn: {role}\n")
    monkeypatch.setenv("SAGEMAKER_USER_CONFIG_OVERRIDE", str(config))
    app = make_app(Target(None, "us-east-1", None))
    async with app.run_test(size=SIZE) as pilot:
        await app.run_action("new_job")
        await wait_until(pilot, lambda: app.request.get("RoleArn") == role, what="the new job")
        await app.editor.go_to_section("TrainingJobName")
        role_field = app.editor.query_one(f"#{field_id(('RoleArn',))}")
        assert "from config.yaml" in str(role_field.query_one(".field-label").render())
        name_field = app.editor.query_one(f"#{field_id(('TrainingJobName',))}")
        assert "from" not in str(name_field.query_one(".field-label").render())

        await tab_to_input(pilot, ("TrainingJobName",))
        await pilot.press("ctrl+u")
        await type_text(pilot, "team-job")
        from smjob.widgets.pickers import save_focused_as_default

        save_focused_as_default(app)
        from smjob.user_defaults import listing, new_job

        assert listing()["default"]["TrainingJobName"] == "team-job"
        job = new_job(None)
        assert job.request["TrainingJobName"] == "team-job" and job.request["RoleArn"] == role


# --- the check: a 2-node spot PyTorch job with two channels, by keyboard -----------------


class Keys:
    """Every key the test presses goes through here and is counted."""

    def __init__(self, pilot) -> None:
        self.pilot, self.count = pilot, 0

    tabs = 0

    async def press(self, *keys: str) -> None:
        self.count += len(keys)
        self.tabs += keys.count("tab")
        await self.pilot.press(*keys)

    async def type(self, text: str) -> None:
        self.count += len(text)
        await type_text(self.pilot, text, burst=True)

    async def tab_to(self, predicate, what: str, limit: int = 40) -> None:
        for _ in range(limit):
            focused = self.pilot.app.focused
            if focused is not None and predicate(focused):
                return
            await self.press("tab")
        raise AssertionError(f"Tab never reached {what}; focus on {self.pilot.app.focused!r}")

    async def to_input(self, path) -> None:
        await self.tab_to(lambda w: isinstance(w, Input) and owner_path(w) == path, str(path))

    async def pick(self, *keys: str) -> None:
        """F4, then keys in the picker once it has data (a picker is never waited on by a typist
        for long: cached or a local endpoint, well under a second)."""
        await self.press("f4")
        app = self.pilot.app
        await wait_until(self.pilot, lambda: isinstance(app.screen, PickerScreen))
        for key in keys:
            await wait_until(self.pilot, lambda: not app.screen.level.loading, what="the lookup")
            if len(key) > 1 and key not in ("enter", "down", "backspace"):
                await self.type(key)
            else:
                await self.press(key)
        await closed(self.pilot)


def _palette_first(app) -> str:
    from textual.command import CommandList

    found = app.screen.query(CommandList)
    if not found or not found.first().option_count:
        return ""
    olist = found.first()
    return str(olist.get_option_at_index(olist.highlighted or 0).prompt)


async def test_two_node_spot_pytorch_job_with_two_channels_in_at_most_150_keys(moto):
    from smjob.local_endpoint import seed_account

    seed_account(moto, "us-west-2")  # a role, buckets, a VPC..., in the job's region
    s3 = raw_client(moto, "s3")
    for key in ("cifar/train/0.rec", "cifar/test/0.rec"):
        s3.put_object(Bucket="acme-ml-datasets", Key=key, Body=b"rec")
    app = make_app(Target(None, "us-west-2", moto.url), {"TrainingJobName": "old"})
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await keys.press("ctrl+p")
        await keys.type("new job")
        await wait_until(pilot, lambda: "New job" in _palette_first(app), what="the palette's hit")
        await keys.press("enter")
        await wait_until(pilot, lambda: app.request.get("TrainingJobName") == "<job-name>", what="the new job")
        await pilot.pause()

        await keys.to_input(("TrainingJobName",))
        await keys.press("ctrl+u")
        await keys.type("cifar-spot-2n")
        await keys.to_input(("RoleArn",))
        await keys.pick("enter")  # the role SageMaker can assume comes first

        await keys.press("ctrl+n")  # Algorithm
        await keys.to_input(("AlgorithmSpecification", "TrainingImage"))
        await keys.pick("pytorch", "enter", "enter", "down", "enter")  # newest version, py, gpu

        await keys.press("ctrl+n", "ctrl+n")  # Code, Input data: the skeleton's "train" channel
        channel = ("InputDataConfig", 0, "DataSource", "S3DataSource", "S3Uri")
        await keys.to_input(channel)  # its DataSource is open: it has a value
        await keys.pick("datasets", "enter", "cifar", "enter", "train", "enter", "enter")  # bucket, prefixes, Use
        await keys.tab_to(lambda w: isinstance(w, ButtonBar) and owner_path(w) == ("InputDataConfig",), "its buttons")
        await keys.press("right", "enter")  # from "+ Add" to Duplicate
        second = ("InputDataConfig", 1)
        await wait_until(pilot, lambda: len(app.request["InputDataConfig"]) == 2, what="the copy")
        await keys.to_input((*second, "ChannelName"))
        await keys.press("ctrl+u")
        await keys.type("test")
        await keys.to_input((*second, *channel[2:]))
        await keys.pick("backspace", "test", "enter", "enter")  # opens in train/: up to cifar/, test/, Use

        await keys.press("ctrl+n")  # Output
        await keys.to_input(("OutputDataConfig", "S3OutputPath"))
        await keys.pick("enter", "enter")  # the default bucket (first), Use

        await keys.press("ctrl+n")  # Resources
        await keys.to_input(("ResourceConfig", "InstanceType"))
        await keys.press("f4")
        await keys.type("g5.2x")
        await keys.press("enter")
        await keys.to_input(("ResourceConfig", "InstanceCount"))
        await keys.press("ctrl+u")
        await keys.type("2")

        await keys.press("ctrl+n")  # Stopping
        await keys.to_input(("StoppingCondition", "MaxRuntimeInSeconds"))
        await keys.type("4h")
        await keys.to_input(("StoppingCondition", "MaxWaitTimeInSeconds"))
        await keys.type("8h")

        await keys.press("ctrl+n", "ctrl+n")  # Spot
        await keys.tab_to(
            lambda w: isinstance(w, ChoiceBox) and owner_path(w) == ("EnableManagedSpotTraining",), "spot"
        )
        await keys.press("enter")
        await keys.type("t")
        await keys.press("enter")
        await pilot.pause()
        app.editor.revalidate()

        request = app.request
        image = request["AlgorithmSpecification"]["TrainingImage"]
        assert image.startswith("763104351884.dkr.ecr.us-west-2.amazonaws.com/pytorch-training:") and "-gpu-" in image
        assert request["RoleArn"] == f"arn:aws:iam::{ACCOUNT}:role/SageMakerExecutionRole"
        uris = [c["DataSource"]["S3DataSource"]["S3Uri"] for c in request["InputDataConfig"]]
        assert uris == ["s3://acme-ml-datasets/cifar/train/", "s3://acme-ml-datasets/cifar/test/"]
        assert [c["ChannelName"] for c in request["InputDataConfig"]] == ["train", "test"]
        assert request["OutputDataConfig"]["S3OutputPath"] == f"s3://sagemaker-us-west-2-{ACCOUNT}/"
        assert request["ResourceConfig"]["InstanceType"] == "ml.g5.2xlarge"
        assert request["ResourceConfig"]["InstanceCount"] == 2 and request["EnableManagedSpotTraining"] is True
        assert request["StoppingCondition"] == {"MaxRuntimeInSeconds": 14400, "MaxWaitTimeInSeconds": 28800}
        assert [p.message for p in app.editor.problems if p.severity == "error"] == []
        print(f"keys pressed: {keys.count} ({keys.tabs} of them Tab)")
        assert keys.count <= 150


def test_plain_smjob_with_no_draft_opens_a_new_job_from_config_yaml(tmp_path, monkeypatch):
    from smjob.cli.main import main

    config = tmp_path / "config.yaml"
    config.write_text(
        "SchemaVersion: '1.0'\nSageMaker:\n  TrainingJob:\n    RoleArn: arn:aws:iam::111122223333:role/t\n"
    )
    monkeypatch.setenv("SAGEMAKER_USER_CONFIG_OVERRIDE", str(config))
    opened = []
    main([], open_app=lambda request, source, notes, args: opened.append((request, source, args)) or 0)
    request, source, args = opened.pop()
    assert source == "new job" and request["RoleArn"] == "arn:aws:iam::111122223333:role/t"
    assert args.field_sources[("RoleArn",)] == str(config)


@pytest.mark.parametrize(
    ("section", "path"),
    [("TrainingJobName", ("RoleArn",)), ("VpcConfig", ("VpcConfig", "Subnets"))],
    ids=["a text field", "the VPC lists"],
)
async def test_a_click_on_a_picker_field_s_label_opens_its_picker(moto, section, path):
    request = {"TrainingJobName": "pick-test", "VpcConfig": {"Subnets": [], "SecurityGroupIds": []}}
    app = make_app(moto.target(), request)
    async with app.run_test(size=SIZE) as pilot:
        await app.editor.go_to_section(section)
        field = app.screen.query_one(f"#{field_id(path)}")
        field.focus_input()  # opens the structure holding it (VpcConfig starts closed)
        label = field.query_one(".field-label")

        def under_the_mouse() -> bool:  # laid out and scrolled into view (the focus scrolls the form after a frame)
            region = label.region
            seen = app.screen.can_view_entire(field)  # FieldEditor.show_whole has scrolled it in, if it was to
            return bool(region) and seen and app.screen.get_widget_at(region.x, region.y)[0] is label

        await wait_until(pilot, under_the_mouse, what="the label on screen")
        # Still there once the app is idle: the first validation's error lines can move it once more.
        await wait_until(pilot, lambda: not app.editor.validation_pending, what="the validation")
        settled = None
        for _ in range(50):  # until a frame leaves it where it was
            if settled == label.region:
                break
            settled = label.region
            await pilot.pause()
        await wait_until(pilot, under_the_mouse, what="the label on screen, settled")
        assert "F4 pick" in str(label.render())
        assert await pilot.click(label)
        await wait_until(pilot, lambda: isinstance(app.screen, PickerScreen), what="the picker")

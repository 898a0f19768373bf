"""smjob.resources against a real moto server over HTTP, seeded here with other resources than the
demo's (smjob.local_endpoint.seed_account), and through a fault proxy for the failures."""

from __future__ import annotations

import json
import os
import stat
import time

import pytest

from smjob.aws import AwsError
from smjob.catalogue import version_key
from smjob.local_endpoint import ACCOUNT
from smjob.resources import cached, lookup, lookups, sagemaker_trust, vpc_conflict
from tests.support.fault_proxy import FaultProxy, closed_port_url
from tests.support.moto_server import raw_client

TRUST = {"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}


@pytest.fixture(autouse=True)
def _own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("SMJOB_CACHE_DIR", str(tmp_path / "cache"))
    _forget_process_state()
    yield
    _forget_process_state()


def _forget_process_state():
    # What a new process would not know: the account per target, resolved targets, made clients.
    lookups._ACCOUNTS.clear()
    lookups._RESOLVED.clear()
    lookups.forget_clients()


def _policy(*statements) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def test_roles_that_sagemaker_can_assume_come_first_and_the_others_say_why(moto):
    iam = raw_client(moto, "iam")
    both = dict(TRUST, Principal={"Service": ["ec2.amazonaws.com", "sagemaker.amazonaws.com"]})
    iam.create_role(RoleName="zz-training", AssumeRolePolicyDocument=_policy(both))
    iam.create_role(
        RoleName="aa-batch", AssumeRolePolicyDocument=_policy(dict(TRUST, Principal={"Service": "batch.amazonaws.com"}))
    )
    iam.create_role(
        RoleName="mm-guarded",
        AssumeRolePolicyDocument=_policy(dict(TRUST, Condition={"StringEquals": {"aws:SourceAccount": ACCOUNT}})),
    )
    iam.create_role(RoleName="bb-denied", AssumeRolePolicyDocument=_policy(TRUST, dict(TRUST, Effect="Deny")))
    roles = lookup("roles", moto.target()).items
    assert [r.name for r in roles] == ["mm-guarded", "zz-training", "aa-batch", "bb-denied"]
    assert [r.trusts_sagemaker for r in roles] == [True, True, False, False]
    assert roles[0].reason == "with conditions" and roles[1].arn == f"arn:aws:iam::{ACCOUNT}:role/zz-training"
    assert roles[2].reason == "it trusts batch.amazonaws.com, not sagemaker.amazonaws.com"
    assert "Deny" in roles[3].reason


@pytest.mark.parametrize(
    ("statement", "ok", "reason"),
    [
        ({**TRUST, "Action": ["sts:TagSession", "sts:AssumeRole"]}, True, ""),
        ({**TRUST, "Action": "sts:AssumeRoleWithWebIdentity"}, False, "not for sts:AssumeRole"),
        ({**TRUST, "Principal": {"AWS": "arn:aws:iam::111122223333:root"}}, False, "trusts account arn:aws:iam"),
        ({**TRUST, "Principal": "*"}, True, ""),
    ],
)
def test_trust_policy_reading(statement, ok, reason):
    found_ok, found_reason = sagemaker_trust({"Statement": [statement]})
    assert found_ok is ok and reason in found_reason
    assert sagemaker_trust("%7B%22Statement%22%3A%5B%5D%7D") == (False, "it has no trust policy statements")


def test_buckets_have_regions_with_the_sdk_default_first_and_other_regions_marked(moto):
    s3 = raw_client(moto, "s3")
    s3.create_bucket(Bucket="zeta-features")
    s3.create_bucket(Bucket="alpha-eu-archive", CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
    s3.create_bucket(Bucket=f"sagemaker-us-east-1-{ACCOUNT}")
    buckets = lookup("buckets", moto.target()).items
    assert [(b.name, b.region, b.is_default, b.other_region) for b in buckets] == [
        (f"sagemaker-us-east-1-{ACCOUNT}", "us-east-1", True, False),
        ("zeta-features", "us-east-1", False, False),
        ("alpha-eu-archive", "eu-west-2", False, True),
    ]


def test_one_prefix_level_with_a_few_objects_and_counts(moto):
    s3 = raw_client(moto, "s3")
    s3.create_bucket(Bucket="images-raw")
    for i in range(11):
        s3.put_object(Bucket="images-raw", Key=f"2024/cats/{i:03}.jpg", Body=b"x" * i)
    s3.put_object(Bucket="images-raw", Key="2024/dogs/0.jpg", Body=b"")
    s3.put_object(Bucket="images-raw", Key="2024/manifest.json", Body=b"{}")
    (top,) = lookup("objects", moto.target(), uri="s3://images-raw/").items
    assert top.prefixes == ["2024/"] and top.object_count == 0
    (level,) = lookup("objects", moto.target(), uri="s3://images-raw/2024/").items
    assert level.prefixes == ["2024/cats/", "2024/dogs/"] and [o.key for o in level.objects] == ["2024/manifest.json"]
    (cats,) = lookup("objects", moto.target(), uri="s3://images-raw/2024/cats/").items
    assert cats.object_count == 11 and len(cats.objects) == lookups.SHOWN_OBJECTS and cats.objects[3].size == 3
    with pytest.raises(AwsError) as err:
        lookup("objects", moto.target(), uri="s3://no-such-bucket-here/")
    assert err.value.kind == "not-found"


def test_ecr_repositories_and_their_tags_newest_first(moto):
    ecr = raw_client(moto, "ecr")
    ecr.create_repository(repositoryName="vision/detector")
    ecr.create_repository(repositoryName="nlp")
    from smjob.local_endpoint import _manifest

    for tag in ("2.0.0", "2.1.0", "1.9.3"):
        ecr.put_image(repositoryName="vision/detector", imageManifest=_manifest(tag), imageTag=tag)
    repos = lookup("repositories", moto.target()).items
    assert [r.name for r in repos] == ["nlp", "vision/detector"]
    assert repos[1].uri == f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/vision/detector"
    tags = lookup("images", moto.target(), repository="vision/detector").items
    assert {t.tag for t in tags} == {"2.0.0", "2.1.0", "1.9.3"}
    # ECR times have one-second resolution: newest push first, and within a second the highest tag.
    assert [(t.pushed, version_key(t.tag)) for t in tags] == sorted(
        ((t.pushed, version_key(t.tag)) for t in tags), reverse=True
    )
    assert tags[0].uri == f"{repos[1].uri}:{tags[0].tag}" and tags[0].digest.startswith("sha256:")
    assert lookup("images", moto.target(), repository="nlp").items == []


def test_subnets_with_vpc_zone_and_free_ips_and_security_groups(moto):
    ec2 = raw_client(moto, "ec2")
    vpc = ec2.create_vpc(CidrBlock="10.99.0.0/16")["Vpc"]["VpcId"]
    a = ec2.create_subnet(VpcId=vpc, CidrBlock="10.99.8.0/22", AvailabilityZone="us-east-1c")["Subnet"]["SubnetId"]
    b = ec2.create_subnet(VpcId=vpc, CidrBlock="10.99.12.0/28", AvailabilityZone="us-east-1d")["Subnet"]["SubnetId"]
    group = ec2.create_security_group(GroupName="trainers", Description="t", VpcId=vpc)["GroupId"]
    subnets = {s.id: s for s in lookup("subnets", moto.target()).items}
    assert (subnets[a].vpc_id, subnets[a].availability_zone, subnets[a].free_ips) == (vpc, "us-east-1c", 1019)
    assert (subnets[b].availability_zone, subnets[b].free_ips) == ("us-east-1d", 11)
    other = next(s for s in subnets.values() if s.vpc_id != vpc)  # moto's default VPC
    groups = {g.id: g for g in lookup("security-groups", moto.target()).items}
    assert (groups[group].name, groups[group].vpc_id) == ("trainers", vpc)
    assert vpc_conflict([subnets[a], subnets[b]], [groups[group]]) is None
    assert vpc and vpc in vpc_conflict([other], [groups[group]])


def test_kms_keys_with_aliases_and_state(moto):
    kms = raw_client(moto, "kms")
    on = kms.create_key(Description="checkpoints")["KeyMetadata"]["KeyId"]
    off = kms.create_key(Description="old")["KeyMetadata"]["KeyId"]
    kms.create_alias(AliasName="alias/ckpt", TargetKeyId=on)
    kms.create_alias(AliasName="alias/ckpt-v2", TargetKeyId=on)
    kms.disable_key(KeyId=off)
    keys = lookup("kms-keys", moto.target()).items
    assert [(k.id, k.aliases, k.state) for k in keys] == [
        (on, ["alias/ckpt", "alias/ckpt-v2"], "Enabled"),
        (off, [], "Disabled"),
    ]
    assert keys[0].arn.endswith(f":key/{on}") and keys[0].manager == "CUSTOMER"


def test_cache_per_account_and_region_with_age_and_refresh(moto, tmp_path):
    iam = raw_client(moto, "iam")
    iam.create_role(RoleName="first", AssumeRolePolicyDocument=_policy(TRUST))
    assert cached("roles", moto.target()) is None
    live = lookup("roles", moto.target())
    assert not live.from_cache and live.account == ACCOUNT and live.region == "us-east-1"
    iam.create_role(RoleName="second", AssumeRolePolicyDocument=_policy(TRUST))
    again = lookup("roles", moto.target())
    assert again.from_cache and [r.name for r in again.items] == ["first"] and again.age.endswith("s ago")
    assert [r.name for r in lookup("roles", moto.target(), refresh=True).items] == ["first", "second"]
    _forget_process_state()  # a new process: the account comes from disk, no network
    assert [r.name for r in cached("roles", moto.target()).items] == ["first", "second"]
    files = list((tmp_path / "cache" / "resources").glob(f"{ACCOUNT}-us-east-1-*.json"))
    assert len(files) == 1 and stat.S_IMODE(os.stat(files[0]).st_mode) == 0o600
    assert cached("roles", moto.target().__class__(None, "eu-west-1", moto.url)) is None  # per region
    files[0].write_text("{not json")
    assert cached("roles", moto.target()) is None  # a broken cache is a miss, never an error


def test_unreachable_endpoint_says_so():
    from smjob.aws import Target

    with pytest.raises(AwsError) as err:
        lookup("roles", Target(None, "us-east-1", closed_port_url()))
    assert err.value.kind == "endpoint-unreachable" and "cannot reach" in err.value.message


def test_no_credentials_says_how_to_get_them(moto, monkeypatch):
    for var in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.delenv(var)
    with pytest.raises(AwsError) as err:
        lookup("buckets", moto.target())
    assert err.value.kind == "no-credentials" and "aws configure" in err.value.message


@pytest.mark.parametrize(
    ("fault", "kind", "words"),
    [("access-denied", "access-denied", "kms:ListKeys"), ("throttle", "throttled", "throttling")],
)
def test_denied_and_throttled_are_told_apart(moto, fast_backoff, fault, kind, words):
    with FaultProxy(moto.url, default=fault, only={"ListKeys"}) as proxy, pytest.raises(AwsError) as err:
        lookup("kms-keys", moto.target().__class__(None, "us-east-1", proxy.url))
    assert err.value.kind == kind and words in err.value.message


def test_a_hung_server_ends_the_lookup_at_its_time_limit(moto):
    with FaultProxy(moto.url, default="hang", only={"ListKeys"}) as proxy:
        start = time.monotonic()
        with pytest.raises(AwsError) as err:
            lookup("kms-keys", moto.target().__class__(None, "us-east-1", proxy.url), timeout=1.0)
        took = time.monotonic() - start
        proxy.release()
    assert err.value.kind == "timeout" and "within 1 s" in err.value.message
    assert took < 2.0


def test_the_demo_account_has_what_the_pickers_need(moto):
    from smjob.local_endpoint import DATA_BUCKET, ECR_REPOSITORY, seed_account

    made = seed_account(moto)
    target = moto.target()
    roles = lookup("roles", target).items
    assert {r.name: r.trusts_sagemaker for r in roles} == {
        "SageMakerExecutionRole": True,
        "DataPipelineLambdaRole": False,
    }
    assert next(b.name for b in lookup("buckets", target).items) == f"sagemaker-us-east-1-{ACCOUNT}"
    assert lookup("objects", target, uri=f"s3://{DATA_BUCKET}/").items[0].prefixes == ["train/", "validation/"]
    subnets = [s for s in lookup("subnets", target).items if s.vpc_id == made["vpc"]]
    assert len({s.availability_zone for s in subnets}) == 2
    assert (
        len([g for g in lookup("security-groups", target).items if g.vpc_id == made["vpc"] and g.name != "default"])
        == 2
    )
    assert lookup("kms-keys", target).items[0].aliases == ["alias/sagemaker-training"]
    assert [t.tag for t in lookup("images", target, repository=ECR_REPOSITORY).items] == ["v1.1", "v1.0"]


def test_the_local_endpoint_child_process_is_seeded():
    from smjob.local_endpoint import start_subprocess
    from tests.support.waiting import wait_until_sync

    endpoint = start_subprocess()
    try:
        s3 = raw_client(endpoint, "s3")
        wait_until_sync(lambda: len(s3.list_buckets()["Buckets"]) == 2, timeout=30, what="the seeded buckets")
    finally:
        endpoint.stop()


def test_lookups_refuse_unknown_kinds():
    with pytest.raises(ValueError, match="unknown lookup"):
        lookup("queues")

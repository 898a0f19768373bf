"""smjob.aws against a real moto server on loopback (and botocore's Stubber where moto falls short)."""

from __future__ import annotations

import copy
import os
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from botocore.exceptions import (
    ClientError,
    EndpointConnectionError,
    NoRegionError,
    ProfileNotFound,
    TokenRetrievalError,
    UnauthorizedSSOTokenError,
)
from botocore.stub import Stubber

from smjob import aws
from smjob.aws import AwsError, Target
from smjob.examples import load_example, names
from smjob.local_endpoint import LocalEndpointError, free_port, start_subprocess
from tests.support.moto_server import raw_client

ROOT = Path(__file__).resolve().parent.parent
ARN_PREFIX = "arn:aws:sagemaker:us-east-1:123456789012:training-job/"


def _stubbed(**kw):
    """A real client that never leaves the process: the Stubber answers."""
    sm = aws.client(Target(region="us-east-1", endpoint_url="http://127.0.0.1:9"), retries=0, **kw)
    return sm, Stubber(sm)


def test_aws_modules_do_not_import_boto3_at_import():
    code = (
        "import sys, smjob.aws, smjob.history, smjob.local_endpoint, smjob.naming, smjob.diff\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('boto3', 'botocore', 'moto')))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --- submit -------------------------------------------------------------------------------------


def test_every_example_submits(moto):
    target = moto.target()
    for name in names():
        request = load_example(name)
        result = aws.submit(request, target)
        assert result.arn == ARN_PREFIX + request["TrainingJobName"]
        assert result.job_name == request["TrainingJobName"]
        assert result.target == Target(None, "us-east-1", moto.url)
    listed = raw_client(moto).list_training_jobs(MaxResults=100)["TrainingJobSummaries"]
    assert sorted(s["TrainingJobName"] for s in listed) == sorted(load_example(n)["TrainingJobName"] for n in names())


def test_duplicate_name_is_refused_before_create(moto):
    target = moto.target()
    first = load_example("pytorch-gpu")
    aws.submit(first, target)

    second = copy.deepcopy(first)
    second["ResourceConfig"]["InstanceType"] = "ml.g5.2xlarge"
    second["RoleArn"] = "arn:aws:iam::123456789012:role/SomeoneElse"
    with pytest.raises(AwsError) as info:
        aws.submit(second, target)
    assert info.value.kind == "name-in-use"
    assert "already exists (status Completed)" in info.value.message
    assert "choose a new name" in info.value.message

    sm = raw_client(moto)
    kept = sm.describe_training_job(TrainingJobName=first["TrainingJobName"])
    assert kept["ResourceConfig"]["InstanceType"] == first["ResourceConfig"]["InstanceType"]
    assert kept["RoleArn"] == first["RoleArn"]
    # The moto gap smjob's check closes: a plain second create silently overwrites the job.
    sm.create_training_job(**second)
    overwritten = sm.describe_training_job(TrainingJobName=first["TrainingJobName"])
    assert overwritten["RoleArn"] == second["RoleArn"]


def test_invalid_request_is_not_sent(moto):
    from smjob.workflows import submit  # the one place smjob refuses a request it finds invalid

    request = load_example("pytorch-gpu")
    request["ResourceConfig"]["InstanceType"] = "ml.nope"
    submission = submit(request, moto.target())
    assert submission.error.kind == "validation" and not submission.sent
    assert ("ResourceConfig", "InstanceType") in [p.path for p in submission.error.problems]
    assert raw_client(moto).list_training_jobs()["TrainingJobSummaries"] == []


def test_not_found_with_real_aws_wording_then_server_validation_errors():
    request = load_example("xgboost-distributed")
    sm, stub = _stubbed()
    stub.add_client_error(
        "describe_training_job",
        "ValidationException",
        "Requested resource not found.",
        expected_params={"TrainingJobName": request["TrainingJobName"]},
    )
    stub.add_client_error(
        "create_training_job",
        "ValidationException",
        "2 validation errors detected: Value 'ml.m5.huge' at 'resourceConfig.instanceType' failed to satisfy "
        "constraint: Member must satisfy enum value set: [ml.m5.large, ml.m5.xlarge]; Value null at "
        "'inputDataConfig.2.member.dataSource.s3DataSource.s3Uri' failed to satisfy constraint: "
        "Member must not be null",
    )
    with stub, pytest.raises(AwsError) as info:
        aws.submit(request, client=sm)
    err = info.value
    assert err.kind == "validation" and err.code == "ValidationException"
    assert [p.path for p in err.problems] == [
        ("ResourceConfig", "InstanceType"),
        ("InputDataConfig", 1, "DataSource", "S3DataSource", "S3Uri"),
    ]
    assert err.problems[0].message.endswith("(value 'ml.m5.huge')")
    assert err.problems[1].message == "rejected by AWS: Member must not be null"
    stub.assert_no_pending_responses()


def test_a_failed_name_check_propagates_and_nothing_is_created():
    sm, stub = _stubbed()
    stub.add_client_error(
        "describe_training_job",
        "AccessDeniedException",
        "User: arn:aws:iam::1:user/x is not authorized to perform: sagemaker:DescribeTrainingJob",
        http_status_code=400,
    )
    with stub, pytest.raises(AwsError) as info:
        aws.submit(load_example("pytorch-gpu"), client=sm)
    assert info.value.kind == "access-denied"
    assert "sagemaker:DescribeTrainingJob" in info.value.message
    stub.assert_no_pending_responses()  # and no create was stubbed: calling it would have failed


def test_a_retried_create_that_reached_aws_counts_as_ours():
    request = load_example("pytorch-gpu")
    name = request["TrainingJobName"]
    sm, stub = _stubbed()
    stub.add_client_error("describe_training_job", "ValidationException", "Requested resource not found.")
    stub.add_client_error(
        "create_training_job",
        "ResourceInUse",
        "Training job names must be unique within an "
        "AWS account and region, and a training job with this name already exists",
        response_meta={"RetryAttempts": 1},
    )
    described = {
        "TrainingJobName": name,
        "TrainingJobArn": ARN_PREFIX + name,
        "TrainingJobStatus": "InProgress",
        "SecondaryStatus": "Starting",
        "CreationTime": datetime(2024, 6, 1, tzinfo=UTC),
        "ModelArtifacts": {"S3ModelArtifacts": ""},
        "RoleArn": request["RoleArn"],
        "AlgorithmSpecification": request["AlgorithmSpecification"],
        "OutputDataConfig": request["OutputDataConfig"],
        "ResourceConfig": request["ResourceConfig"],
        "StoppingCondition": request["StoppingCondition"],
    }
    stub.add_response("describe_training_job", described)
    with stub:
        result = aws.submit(request, client=sm)
    assert result.arn == ARN_PREFIX + name and "retried" in result.note


# --- describe, clone, list, stop, status ----------------------------------------------------------


def test_clone_round_trip(moto):
    target = moto.target()
    example = load_example("spot-checkpoints")
    aws.submit(example, target)
    result = aws.clone(example["TrainingJobName"], target)
    clone = result.request
    assert result.kind == "describe-response"
    for key in (
        "TrainingJobName",
        "RoleArn",
        "HyperParameters",
        "InputDataConfig",
        "OutputDataConfig",
        "ResourceConfig",
        "StoppingCondition",
        "CheckpointConfig",
        "Tags",
        "EnableManagedSpotTraining",
    ):
        assert clone.get(key) == example.get(key), key
    assert "load.clone-name" in {n.rule for n in result.notes}
    assert aws.tags(ARN_PREFIX + example["TrainingJobName"], target) == example["Tags"]


def test_describe_unknown_job_is_not_found(moto):
    with pytest.raises(AwsError) as info:
        aws.describe("no-such-job", moto.target())
    assert info.value.kind == "not-found" and "no-such-job" in info.value.message


def test_list_follows_tokens_across_pages_cut_before_filtering(moto):
    sm = raw_client(moto)
    request = load_example("pytorch-gpu")
    for i in range(7):
        sm.create_training_job(**{**request, "TrainingJobName": f"job-{i}"})
    # moto: MaxResults=2 with NameContains=job-4 gives [] + token, [] + token, then job-4.
    first_page = sm.list_training_jobs(MaxResults=2, NameContains="job-4")
    assert first_page["TrainingJobSummaries"] == [] and first_page.get("NextToken")

    target = moto.target()
    found = aws.list_jobs(target, name_contains="job-4", page_size=2)
    assert [j.name for j in found] == ["job-4"]
    assert found[0].status == "Completed" and found[0].arn == ARN_PREFIX + "job-4"
    assert len(aws.list_jobs(target, name_contains="job-", page_size=2)) == 7
    assert len(aws.list_jobs(target, max_items=3, page_size=2)) == 3
    assert aws.list_jobs(target, name_contains="nothing-like-this", page_size=2) == []


def test_stop_with_stubber():
    sm, stub = _stubbed()
    stub.add_response("stop_training_job", {}, {"TrainingJobName": "job-1"})
    with stub:
        aws.stop("job-1", client=sm)
    stub.assert_no_pending_responses()


def test_stop_on_moto_is_a_server_error_quickly(moto, capfd):
    aws.submit(load_example("pytorch-gpu"), moto.target())
    sm = aws.client(moto.target(), retries=0)
    started = time.monotonic()
    with pytest.raises(AwsError) as info:
        aws.stop(load_example("pytorch-gpu")["TrainingJobName"], moto.target(), client=sm)
    assert info.value.kind == "server-error" and info.value.http_status == 500
    assert "may not implement StopTrainingJob" in info.value.message
    assert "<" not in info.value.message  # moto's HTML body is not shown
    assert time.monotonic() - started < 5
    assert "Traceback" not in capfd.readouterr().err  # the in-process server stays quiet (werkzeug silenced)


def _describe(status, secondary, transitions, **extra):
    t0 = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
    return {
        "TrainingJobName": "job-1",
        "TrainingJobArn": ARN_PREFIX + "job-1",
        "TrainingJobStatus": status,
        "SecondaryStatus": secondary,
        "CreationTime": t0,
        "ModelArtifacts": {"S3ModelArtifacts": ""},
        "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
        "SecondaryStatusTransitions": [
            {"Status": s, "StartTime": t0 + timedelta(minutes=i), "StatusMessage": m}
            for i, (s, m) in enumerate(transitions)
        ],
        **extra,
    }


def test_watch_reports_progress_until_completed():
    t0 = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
    sm, stub = _stubbed()
    starting = [("Starting", "Launching requested ML instances")]
    training = starting + [("Training", "Training image download completed")]
    stub.add_response("describe_training_job", _describe("InProgress", "Starting", starting))
    stub.add_response("describe_training_job", _describe("InProgress", "Starting", starting))  # unchanged
    stub.add_response(
        "describe_training_job",
        _describe("InProgress", "Training", training, TrainingStartTime=t0 + timedelta(minutes=1)),
    )
    stub.add_response(
        "describe_training_job",
        _describe(
            "Completed",
            "Completed",
            training + [("Completed", "Training job completed")],
            TrainingStartTime=t0 + timedelta(minutes=1),
            TrainingEndTime=t0 + timedelta(minutes=31),
            ModelArtifacts={"S3ModelArtifacts": "s3://b/job-1/output/model.tar.gz"},
        ),
    )
    updates, sleeps = [], []
    clock = iter(t0 + timedelta(minutes=m) for m in (2, 5, 10, 40))
    with stub:
        final = aws.watch(
            "job-1",
            client=sm,
            poll_seconds=7,
            sleep=sleeps.append,
            clock=lambda: next(clock),
            on_update=lambda s, fresh: updates.append((s.status, s.secondary_status, [t.status for t in fresh])),
        )
    assert updates == [
        ("InProgress", "Starting", ["Starting"]),
        ("InProgress", "Training", ["Training"]),
        ("Completed", "Completed", ["Completed"]),
    ]
    assert sleeps == [7, 7, 7]
    assert final.terminal and final.model_artifacts == "s3://b/job-1/output/model.tar.gz"
    assert final.elapsed_seconds == 30 * 60  # TrainingStartTime -> TrainingEndTime, not the clock
    assert final.remaining_seconds is None
    stub.assert_no_pending_responses()


def test_watch_rides_out_transient_errors_but_not_others():
    sm, stub = _stubbed()
    stub.add_client_error("describe_training_job", "ThrottlingException", "Rate exceeded", http_status_code=400)
    stub.add_response(
        "describe_training_job",
        _describe("Failed", "Failed", [("Failed", "boom")], FailureReason="AlgorithmError: boom"),
    )
    with stub:
        final = aws.watch("job-1", client=sm, sleep=lambda s: None)
    assert final.status == "Failed" and final.failure_reason == "AlgorithmError: boom"

    sm, stub = _stubbed()
    stub.add_client_error("describe_training_job", "ValidationException", "Requested resource not found.")
    with stub, pytest.raises(AwsError) as info:
        aws.watch("job-1", client=sm, sleep=lambda s: None)
    assert info.value.kind == "not-found"


def test_status_of_a_running_job_uses_now():
    t0 = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
    status = aws.status_from_describe(
        _describe("InProgress", "Training", [("Starting", ""), ("Training", "")], TrainingStartTime=t0),
        now=t0 + timedelta(minutes=10),
    )
    assert status.elapsed_seconds == 600 and status.remaining_seconds == 3000
    assert status.max_runtime_seconds == 3600 and not status.terminal
    assert status.summary() == "job-1: InProgress / Training after 10m00s (max 1h00m00s)"


def test_job_status_on_moto(moto):
    request = load_example("pytorch-gpu")
    aws.submit(request, moto.target())
    status = aws.job_status(request["TrainingJobName"], moto.target())
    assert status.status == "Completed" and status.terminal
    assert status.max_runtime_seconds == request["StoppingCondition"]["MaxRuntimeInSeconds"]
    assert status.model_artifacts.endswith(f"/{request['TrainingJobName']}/output/model.tar.gz")
    assert status.elapsed_seconds == 0  # moto: start == end


# --- server messages -> paths -------------------------------------------------------------------


@pytest.mark.parametrize(
    "message, paths",
    [
        (
            "1 validation error detected: Value 'ml.t2.medium' at 'resourceConfig.instanceType' failed to satisfy "
            "constraint: Member must satisfy enum value set: [ml.p2.xlarge, ml.m5.4xlarge]",
            [("ResourceConfig", "InstanceType")],
        ),
        (
            "2 validation errors detected: Value 'bad name!' at 'trainingJobName' failed to satisfy constraint: Member "
            "must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}; Value '0' at "
            "'resourceConfig.instanceCount' failed to satisfy constraint: Member must have value greater than or equal "
            "to 1",
            [("TrainingJobName",), ("ResourceConfig", "InstanceCount")],
        ),
        (
            "1 validation error detected: Value null at 'inputDataConfig.1.member.channelName' failed to satisfy "
            "constraint: Member must not be null",
            [("InputDataConfig", 0, "ChannelName")],
        ),
        (
            "3 validation errors detected: Value at 'tags.3.member.value' failed to satisfy constraint: "
            "Member must have length less than or equal to 256; "
            "Value '[sg-1]' at 'vpcConfig.securityGroupIds.1.member' failed to satisfy constraint: "
            "Member must satisfy regular expression pattern: [-0-9a-zA-Z]+; Value 'x' at "
            "'resourceConfig.instanceGroups.2.member.instanceType' failed to satisfy constraint: Member must satisfy "
            "enum value set: [ml.m5.large]",
            [
                ("Tags", 2, "Value"),
                ("VpcConfig", "SecurityGroupIds", 0),
                ("ResourceConfig", "InstanceGroups", 1, "InstanceType"),
            ],
        ),
        (
            "Value '{lr=1}' at 'hyperParameters' failed to satisfy constraint: Map value must satisfy constraint: "
            "[Member must have length less than or equal to 2500]",
            [("HyperParameters",)],
        ),
        # Query-protocol order (member.N) and a segment the schema does not have: the matched prefix stays.
        (
            "Value 'x' at 'tags.member.2.key' failed to satisfy constraint: Member must have length less than or "
            "equal to 128; Value 'y' at 'outputDataConfig.someNewThing' failed to satisfy constraint: whatever",
            [("Tags", 1, "Key"), ("OutputDataConfig",)],
        ),
        ("Requested resource not found.", []),
        ("The role ARN is not valid for this account", []),
    ],
)
def test_server_messages_map_to_request_paths(message, paths):
    problems = aws.server_problems(message)
    assert [p.path for p in problems] == paths
    assert all(p.rule == "aws.validation" and p.severity == "error" for p in problems)


def test_server_message_details():
    enum = ", ".join(f"ml.x{i}.large" for i in range(200))
    [p] = aws.server_problems(
        f"1 validation error detected: Value 'ml.nope' at 'resourceConfig.instanceType' "
        f"failed to satisfy constraint: Member must satisfy enum value set: [{enum}]"
    )
    assert p.message.startswith("rejected by AWS: Member must satisfy enum value set: [ml.x0.large, ")
    assert "more]" in p.message and len(p.message) < 400 and p.message.endswith("(value 'ml.nope')")
    first, second = aws.server_problems(
        "Value 'a;b' at 'trainingJobName' failed to satisfy constraint: Member must satisfy regular expression "
        "pattern: [a-z]+; Value null at 'roleArn' failed to satisfy constraint: Member must not be null"
    )
    assert first.message == "rejected by AWS: Member must satisfy regular expression pattern: [a-z]+ (value 'a;b')"
    assert second.path == ("RoleArn",) and second.message == "rejected by AWS: Member must not be null"
    # "Value" inside a constraint is not the start of a clause.
    first, second = aws.server_problems(
        "2 validation errors detected: Value 'x' at 'trainingJobName' failed to satisfy constraint: Member must "
        "satisfy regular expression pattern: ^[a-z]+Value$; Value at 'roleArn' failed to satisfy constraint: "
        "Member must have length greater than or equal to 20"
    )
    assert first.message == (
        "rejected by AWS: Member must satisfy regular expression pattern: ^[a-z]+Value$ (value 'x')"
    )
    assert second.message == "rejected by AWS: Member must have length greater than or equal to 20"


# --- error translation -----------------------------------------------------------------------------


def _client_error(code, message="", status=400, attempts=0, op="CreateTrainingJob"):
    return ClientError(
        {
            "Error": {"Code": code, "Message": message},
            "ResponseMetadata": {"HTTPStatusCode": status, "RetryAttempts": attempts},
        },
        op,
    )


@pytest.mark.parametrize(
    "exc, kind, words",
    [
        (
            _client_error("ExpiredTokenException", "The security token included in the request is expired"),
            "expired-token",
            ["aws sso login --profile dev"],
        ),
        (_client_error("ExpiredToken"), "expired-token", ["expired"]),
        (
            TokenRetrievalError(provider="sso", error_msg="token expired"),
            "expired-token",
            ["aws sso login --profile dev"],
        ),
        (UnauthorizedSSOTokenError(), "expired-token", ["aws sso login --profile dev"]),
        (
            _client_error("AccessDeniedException", "User x is not authorized to perform: iam:PassRole"),
            "access-denied",
            ["iam:PassRole", "--profile"],
        ),
        (
            _client_error("UnrecognizedClientException", "The security token included in the request is invalid."),
            "access-denied",
            ["aws configure --profile dev"],
        ),
        (_client_error("ThrottlingException", "Rate exceeded", attempts=5), "throttled", ["6 attempts", "wait"]),
        (_client_error("InternalFailure", "", status=503), "server-error", ["AWS had", "HTTP 503", "try again"]),
        (
            _client_error("ResourceLimitExceeded", "The account-level service limit is 0 Instances"),
            "other",
            ["Service Quotas"],
        ),
        (_client_error("ResourceInUse", "Training job names must be unique"), "name-in-use", ["new name"]),
        (_client_error("ResourceNotFound", "not here", op="DescribeTrainingJob"), "not-found", ["--region"]),
        (_client_error("SomethingNew", "surprise"), "other", ["SomethingNew: surprise"]),
        (ProfileNotFound(profile="dev"), "no-credentials", ["'dev'", "aws configure --profile dev"]),
        (NoRegionError(), "unknown-region", ["--region", "AWS_REGION"]),
        (
            EndpointConnectionError(endpoint_url="https://sagemaker.xx-nowhere-9.amazonaws.com/"),
            "unknown-region",
            ["'xx-nowhere-9'"],
        ),
    ],
)
def test_translate(exc, kind, words):
    target = Target(profile="dev", region="xx-nowhere-9" if isinstance(exc, EndpointConnectionError) else "us-east-1")
    err = aws.translate(exc, target=target, operation="CreateTrainingJob")
    assert err.kind == kind
    for word in words:
        assert word in err.message, (word, err.message)


# An endpoint's HTML error page where an AWS error was expected: moto's own 500 page, verbatim.
PAGE = (
    "<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n<h1>Internal Server Error</h1>\n"
    "<p>The server encountered an internal error and was unable to complete your request. Either the server is "
    "overloaded or there is an error in the application.</p>\n"
)
SENTENCE = "the endpoint answered HTTP 500 Internal Server Error (an HTML page, not an AWS error)"


@pytest.mark.parametrize(
    "text, status",
    [
        (PAGE, None),  # as str
        (PAGE.encode(), 500),  # as bytes
        # botocore's ResponseParserError for an XML service: the page as a bytes repr inside the message
        (
            "Unable to parse response (syntax error: line 1, column 0), invalid XML received. "
            f"Further retries may succeed:\n{PAGE.encode()!r}",
            None,
        ),
        # a JSON service's ClientError: the page as its message
        (f"An error occurred (500) when calling the ListServiceQuotas operation: {PAGE}", 500),
    ],
)
def test_an_html_page_is_said_in_a_sentence(text, status):
    from smjob.aws.errors import html_page

    assert html_page(text, status) == SENTENCE


def test_an_html_page_keeps_only_a_plain_title_or_the_status():
    from smjob.aws.errors import html_page

    nginx = b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body><center><h1>502</h1></center></body>"
    assert html_page(nginx) == "the endpoint answered HTTP 502 Bad Gateway (an HTML page, not an AWS error)"
    assert html_page("<HTML><body>Service down</body></HTML>", 503) == (
        "the endpoint answered HTTP 503 (an HTML page, not an AWS error)"
    )
    sign_in = "<!DOCTYPE html><html><title>Sign in &amp; \x1b[2Jgo</title></html>"
    assert html_page(sign_in, 403) == (
        "the endpoint answered HTTP 403 (Sign in & \\x1b[2Jgo) (an HTML page, not an AWS error)"
    )
    assert html_page("<html><p>hi</p></html>") == "the endpoint answered with an HTML page, not an AWS error"
    long = html_page(f"<html><title>{'x' * 500}</title></html>")
    assert "…" in long and len(long) < 140


@pytest.mark.parametrize(
    "text",
    [
        "1 validation error detected: Value 'ml.x' at 'resourceConfig.instanceType' failed to satisfy constraint",
        "Value '<html>' at 'hyperParameters' failed to satisfy constraint: Member must match pattern",
        "User: arn:aws:iam::123456789012:user/x is not authorized to perform: iam:PassRole",
        "",
        None,
    ],
)
def test_an_aws_error_message_is_not_a_page(text):
    from smjob.aws.errors import html_page

    assert html_page(text, 400) is None
    if text:
        err = aws.translate(_client_error("ValidationException", text), operation="CreateTrainingJob")
        assert text in err.message


def test_translate_says_an_html_page_in_a_sentence():
    from botocore.parsers import ResponseParserError

    from smjob.aws.errors import exception_text

    for exc in (
        _client_error("500", PAGE, status=500, op="ListServiceQuotas"),
        _client_error("404", PAGE.replace("500 Internal Server Error", "404 Not Found"), status=404),
        ResponseParserError(f"Unable to parse response, invalid XML received:\n{PAGE.encode()!r}"),
    ):
        err = aws.translate(exc, target=Target(region="us-east-1"), operation="CreateTrainingJob")
        assert "<" not in err.message and "b'" not in err.message, err.message
        assert "HTTP 500" in err.message or "HTTP 404 Not Found (an HTML page" in err.message, err.message
        assert exception_text(exc).startswith("the endpoint answered HTTP"), exc
    assert exception_text(_client_error("Nope", "plain words")) == (
        "An error occurred (Nope) when calling the CreateTrainingJob operation: plain words"
    )


def test_an_html_page_from_moto_through_call_is_an_aws_error(moto):
    """moto answers iam:SimulatePrincipalPolicy with its HTML 500 page: botocore's ResponseParserError
    (not a BotoCoreError) must become an AwsError in the same words as any other."""
    from smjob.aws.clients import call

    iam = raw_client(moto, "iam")
    with pytest.raises(AwsError) as caught:
        call(
            iam,
            "SimulatePrincipalPolicy",
            moto.target(),
            PolicySourceArn="arn:aws:iam::123456789012:user/moto",
            ActionNames=["iam:PassRole"],
            ResourceArns=["arn:aws:iam::123456789012:role/r"],
        )
    assert caught.value.message == f"SimulatePrincipalPolicy failed: {SENTENCE}"


def test_no_credentials(moto, monkeypatch, tmp_path):
    for var in (
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
    ):
        monkeypatch.delenv(var, raising=False)
    for var, name in (("AWS_CONFIG_FILE", "config"), ("AWS_SHARED_CREDENTIALS_FILE", "credentials")):
        (tmp_path / name).write_text("")
        monkeypatch.setenv(var, str(tmp_path / name))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    started = time.monotonic()
    with pytest.raises(AwsError) as info:
        aws.submit(load_example("pytorch-gpu"), moto.target())
    assert info.value.kind == "no-credentials"
    assert "aws configure" in info.value.message and "AWS_PROFILE" in info.value.message
    assert time.monotonic() - started < 5
    assert raw_client(moto).list_training_jobs()["TrainingJobSummaries"] == []
    with pytest.raises(AwsError) as info:
        aws.describe("x", Target(profile="nobody", region="us-east-1", endpoint_url=moto.url))
    assert info.value.kind == "no-credentials" and "aws configure --profile nobody" in info.value.message


def test_no_region(monkeypatch, tmp_path):
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    monkeypatch.delenv("AWS_REGION", raising=False)
    with pytest.raises(AwsError) as info:
        aws.client(Target())
    assert info.value.kind == "unknown-region"


def test_endpoint_unreachable_is_quick_with_low_retries():
    port = free_port()  # nothing listens there
    target = Target(region="us-east-1", endpoint_url=f"http://127.0.0.1:{port}")
    sm = aws.client(target, retries=0, connect_timeout=1, read_timeout=1)
    started = time.monotonic()
    with pytest.raises(AwsError) as info:
        aws.describe("job", target, client=sm)
    assert info.value.kind == "endpoint-unreachable"
    assert f"127.0.0.1:{port}" in info.value.message and "local endpoint" in info.value.message
    assert time.monotonic() - started < 3


def test_silent_server_is_a_timeout():
    with socket.socket() as server:  # listens (the kernel accepts) but never answers
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        target = Target(region="us-east-1", endpoint_url=f"http://127.0.0.1:{server.getsockname()[1]}")
        sm = aws.client(target, retries=0, connect_timeout=0.5, read_timeout=0.5)
        started = time.monotonic()
        with pytest.raises(AwsError) as info:
            aws.describe("job", target, client=sm)
    assert info.value.kind == "timeout"
    assert time.monotonic() - started < 3


def test_whoami(moto):
    me = aws.whoami(moto.target())
    assert me.account == "123456789012" and me.error is None
    assert me.credential_source == "env" and "account 123456789012" in me.describe()
    lost = aws.whoami(Target(region="us-east-1", endpoint_url=f"http://127.0.0.1:{free_port()}"), timeout=1)
    assert lost.account is None and lost.error and "identity unknown" in lost.describe()


# --- local endpoint ---------------------------------------------------------------------------------


def test_local_endpoint_in_a_subprocess():
    endpoint = start_subprocess()
    try:
        assert endpoint.pid
        env = endpoint.env()
        assert env["AWS_ACCESS_KEY_ID"] == "testing" and env["AWS_ENDPOINT_URL"] == endpoint.url
        result = aws.submit(load_example("byoc-vpc"), endpoint.target())
        assert result.arn.startswith(ARN_PREFIX)
        endpoint.reset()
        assert aws.list_jobs(endpoint.target()) == []
        pid = endpoint.pid
    finally:
        endpoint.stop()
    assert endpoint.pid is None
    with pytest.raises(LocalEndpointError, match="not running"):
        endpoint.url  # noqa: B018 - the property raises once stopped
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # reaped: gone
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", int(env["AWS_ENDPOINT_URL"].rsplit(":", 1)[1]))) != 0


def test_target_short_label_for_the_status_line():
    from smjob.aws import Target

    assert Target().short_label == "default region"
    assert Target("ml-prod", "eu-west-1", "http://user:pw@127.0.0.1:5000/x").short_label == (
        "eu-west-1 · ml-prod · 127.0.0.1:5000"
    )

"""A real moto server on loopback for tests that talk HTTP to SageMaker.

The fixtures are in tests/conftest.py: `moto_endpoint` is one server per test session (per xdist
worker); `moto` resets its state (POST /moto-api/reset) before each test and yields the same
LocalEndpoint. `raw_client(moto)` looks behind smjob's back.
"""

from __future__ import annotations


def raw_client(endpoint, service: str = "sagemaker"):
    """A plain boto3 client (one attempt, short timeouts), to look behind smjob's back."""
    import boto3
    from botocore.config import Config

    return boto3.client(
        service,
        endpoint_url=endpoint.url,
        region_name=endpoint.region,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(retries={"total_max_attempts": 1}, connect_timeout=2, read_timeout=10),
    )


def write_log_events(logs, stream: str, events) -> None:
    """Put (timestamp ms, message) events into a training job's log stream, creating it as needed."""
    import contextlib

    from smjob.logs import LOG_GROUP

    with contextlib.suppress(logs.exceptions.ResourceAlreadyExistsException):
        logs.create_log_group(logGroupName=LOG_GROUP)
    with contextlib.suppress(logs.exceptions.ResourceAlreadyExistsException):
        logs.create_log_stream(logGroupName=LOG_GROUP, logStreamName=stream)
    logs.put_log_events(
        logGroupName=LOG_GROUP, logStreamName=stream, logEvents=[{"timestamp": t, "message": m} for t, m in events]
    )

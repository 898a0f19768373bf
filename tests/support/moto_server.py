"""A real moto server on loopback for tests that talk HTTP to SageMaker.

Import the fixtures into a test module (no conftest needed):

    from tests.moto_server import moto, moto_endpoint  # noqa: F401

`moto_endpoint` is one server per test session (per xdist worker); `moto` resets its state
(POST /moto-api/reset) before each test and yields the same LocalEndpoint.
"""

from __future__ import annotations

import pytest

from smjob.local_endpoint import LocalEndpoint


@pytest.fixture(scope="session")
def moto_endpoint():
    endpoint = LocalEndpoint().start()
    try:
        yield endpoint
    finally:
        endpoint.stop()


@pytest.fixture
def moto(moto_endpoint):
    moto_endpoint.reset()
    yield moto_endpoint


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

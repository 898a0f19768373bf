"""Fixtures shared by the test modules (helpers they use are in tests/support/).

- every test: its own data directory and dummy AWS credentials (`_isolated_dirs`)
- `moto_endpoint` / `moto`: a real moto server on loopback, reset before each test
- `fast_backoff`: botocore's retry backoff cut to 10 ms
- `seeded`: an AWS account in moto with good and bad resources, and Service Quotas answers
- `workdir` / `aws`: the AWS CLI v1 parser in-process (tests/support/awscli.py)
- `terminal`: a private tmux server for the installed `smjob` (tests/support/terminal.py)

With the environment variable CI set, a skipped snapshot test fails instead: CI must never pass
without comparing the screens.
"""

import os
import sys
import tempfile
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# Set before test modules import: some build hypothesis strategies from the schema at import.
os.environ["SMJOB_CACHE_DIR"] = tempfile.mkdtemp(prefix="smjob-cache-")


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path_factory, monkeypatch):
    # Never touch the developer's real cache, drafts or history; and a data directory per test, so
    # drafts, history and settings one test leaves cannot change another (they did, in one process).
    monkeypatch.setenv("SMJOB_DATA_DIR", str(tmp_path_factory.mktemp("data")))
    for var in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)


# --- order: the long suites first ---------------------------------------------------------------


def pytest_collection_modifyitems(config, items):
    # The slow suites (fuzzing shards, tmux, snapshots) start first; with xdist's worksteal the short
    # tests then fill in around them, so no worker is left running one long test at the end.
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


# --- snapshots must run in CI -----------------------------------------------------------------


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") and report.skipped and "snap_compare" in getattr(item, "fixturenames", ()):
        report.outcome = "failed"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.longrepr = f"CI is set and this snapshot test was skipped: {reason}"


# --- AWS over HTTP --------------------------------------------------------------------------


@pytest.fixture(scope="session")
def moto_endpoint():
    from smjob.local_endpoint import LocalEndpoint

    endpoint = LocalEndpoint().start()
    try:
        yield endpoint
    finally:
        endpoint.stop()


@pytest.fixture
def moto(moto_endpoint):
    moto_endpoint.reset()
    return moto_endpoint


@pytest.fixture
def fast_backoff(monkeypatch):
    """botocore's standard-mode backoff (up to 1, 2, 4, 8, 16 s with jitter) becomes 10 ms."""
    from botocore.retries import standard

    monkeypatch.setattr(standard.ExponentialBackoff, "delay_amount", lambda self, context: 0.01)


@pytest.fixture
def seeded(moto, monkeypatch):
    """An account in moto with good and bad things (tests/support/account.py), and Service Quotas
    answers from a local stub; returns (target, ids)."""
    from tests.support.account import seed
    from tests.support.json_stub import JsonStub
    from tests.support.quota_stub import QUOTAS, quota, quota_handlers

    ids = seed(moto)
    quotas = [*QUOTAS, quota("L-0000TEST", "ml.m5.xlarge for training job usage", 8.0)]
    with JsonStub(quota_handlers(pages=quotas)) as stub:
        monkeypatch.setenv("AWS_ENDPOINT_URL_SERVICE_QUOTAS", stub.url)
        yield moto.target(), ids


# --- the AWS CLI in-process ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def workdir():
    with tempfile.TemporaryDirectory(prefix="smjob-render-cli-") as d:
        yield Path(d)


@pytest.fixture(scope="module")
def aws(workdir):
    from tests.support.awscli import AwsCli

    with pytest.MonkeyPatch.context() as mp:
        for k, v in {
            "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE",
            "AWS_SECRET_ACCESS_KEY": "secret",
            "AWS_SESSION_TOKEN": "token",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_CONFIG_FILE": str(workdir / "no-config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(workdir / "no-credentials"),
            "AWS_PAGER": "",
        }.items():
            mp.setenv(k, v)
        for k in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_SAGEMAKER", "AWS_CA_BUNDLE"):
            mp.delenv(k, raising=False)
        cli = AwsCli(allowed_files=set())
        try:
            yield cli
        finally:
            cli.close()


# --- the installed smjob under tmux -------------------------------------------------------------


@pytest.fixture
def terminal():
    from tests.support.terminal import Terminal

    term = Terminal(socket=f"smjob-e2e-{os.getpid()}-{uuid.uuid4().hex[:8]}", session="smjob")
    try:
        yield term
    finally:
        term.kill()

"""`make run`: the example job's own resources exist in the local account, so its preflight passes."""

import json

from smjob.examples import load_example, names
from smjob.local_endpoint import seed_for_request
from smjob.preflight import run_preflight


def test_every_example_passes_preflight_once_its_resources_are_seeded(moto):
    for name in names():
        moto.reset()
        request = load_example(name)
        before = run_preflight(request, moto.target())
        made = seed_for_request(moto, request)
        after = run_preflight(request, moto.target())
        failed = [c for c in after.checks if c.status == "failed"]
        # Only what a local account cannot hold may still fail: ids it cannot choose (subnets, groups, KMS keys).
        assert all(c.path and c.path[0] in ("VpcConfig", "OutputDataConfig", "ResourceConfig") for c in failed), (
            name,
            [(c.title, c.message) for c in failed],
        )
        assert any(c.status == "failed" for c in before.checks), name  # the seed is what made the difference
        assert made, name
        assert json.dumps(request) == json.dumps(load_example(name))  # the request itself is untouched


def test_the_seeded_endpoint_is_ready_and_dies_with_its_app(tmp_path):
    """`smjob demo --local` killed with its terminal (SIGKILL/SIGHUP: no cleanup runs) leaves no server."""
    import os
    import signal
    import subprocess
    import sys
    import time

    import boto3

    code = (
        "import sys, time\n"
        "from smjob.local_endpoint import start_subprocess\n"
        "ep = start_subprocess()\n"
        "print(ep.url, ep._proc.pid, flush=True)\n"
        "time.sleep(60)\n"
    )
    app = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        url, pid = app.stdout.readline().split()
        ecr = boto3.client("ecr", endpoint_url=url, region_name="us-east-1")
        # start_subprocess returned only once seeded: the first lookup already sees the account
        assert ecr.describe_repositories()["repositories"]
    finally:
        app.send_signal(signal.SIGKILL)
        app.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        os.kill(int(pid), signal.SIGKILL)
        raise AssertionError("the local endpoint outlived the app that started it")

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

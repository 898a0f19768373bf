"""Service Quotas for SageMaker against the request and the running jobs.

moto's service-quotas answers only for service code `vpc` and has no ListServiceQuotas, and its
training jobs are Completed at once (never InProgress), so these tests serve the documented
ListServiceQuotas, ListTrainingJobs and DescribeTrainingJob answers from a local HTTP server
(tests/support/json_stub.py): botocore sends, paginates and parses them for real.
"""

import pytest

from smjob import quotas
from smjob.aws.clients import client
from smjob.aws.target import Target
from tests.support.json_stub import JsonStub
from tests.support.quota_stub import QUOTAS, quota, quota_handlers

REGION = "us-east-1"


def job(instance_type="ml.g4dn.xlarge", count=1, *, spot=False, runtime=3600, keep_alive=None):
    rc = {"InstanceType": instance_type, "InstanceCount": count, "VolumeSizeInGB": 50}
    if keep_alive:
        rc["KeepAlivePeriodInSeconds"] = keep_alive
    return {
        "TrainingJobName": "new-job",
        "ResourceConfig": rc,
        "EnableManagedSpotTraining": spot,
        "StoppingCondition": {"MaxRuntimeInSeconds": runtime},
    }


@pytest.fixture
def served():
    running = [("busy-1", "ml.g4dn.xlarge", 2, False), ("busy-2", "ml.c5.xlarge", 5, False)]
    with JsonStub(quota_handlers(running=running)) as stub:
        target = Target(None, REGION, stub.url)
        yield quotas.list_quotas(client(target, service="service-quotas")), client(target, retries=0), stub


def test_quotas_are_read_over_pages(served):
    found, _sm, stub = served
    assert len(found) == len(QUOTAS) and stub.count("ServiceQuotasV20190624.ListServiceQuotas") == 2
    assert found["ml.g4dn.xlarge for training job usage"].value == 4.0


def test_running_jobs_count_against_the_quota(served):
    found, sm, _stub = served
    usage = quotas.running_usage(sm)
    assert usage.by_type[("ml.g4dn.xlarge", False)] == 2 and usage.total == 7
    # 2 running + 3 asked = 5 > 4: an error naming the quota, its value, the region and where to ask
    (over,) = [f for f in quotas.check(job(count=3), found, usage, REGION) if f.severity == "error"]
    assert over.path == ("ResourceConfig", "InstanceType")
    assert "'ml.g4dn.xlarge for training job usage' of 4 in us-east-1" in over.message
    assert "2 already in use" in over.message
    assert "servicequotas/home/services/sagemaker/quotas/L-3F53BF0F" in over.message
    assert "--quota-code L-3F53BF0F" in over.message
    # 2 + 2 = 4 of 4: within, but near (and the total 7 + 2 = 9 of 10 is near too)
    near = quotas.check(job(count=2), found, usage, REGION)
    assert [f.severity for f in near] == ["warning", "warning"]
    assert quotas.check(job(count=1), found, quotas.Usage(quotas.Counter()), REGION) == []


def test_spot_warm_pool_total_and_runtime_quotas(served):
    found, _sm, _stub = served
    empty = quotas.Usage(quotas.Counter())
    (spot,) = quotas.check(job(count=2, spot=True), found, empty, REGION)
    assert "'ml.g4dn.xlarge for spot training job usage' of 1" in spot.message and spot.severity == "error"
    (zero,) = quotas.check(job("ml.p4d.24xlarge"), found, empty, REGION)
    assert "of 0 in us-east-1" in zero.message
    warm = quotas.check(job("ml.c5.xlarge", 3, keep_alive=600), found, empty, REGION)
    assert [f.quota.name for f in warm] == ["ml.c5.xlarge for training warm pool usage"]
    total = quotas.check(job("ml.c5.xlarge", 11), found, empty, REGION)
    assert [f.quota.name for f in total] == ["Number of instances across all training jobs"]
    (runtime,) = quotas.check(job(runtime=500000), found, empty, REGION)
    assert runtime.path == ("StoppingCondition", "MaxRuntimeInSeconds") and "432000 Seconds" in runtime.message
    assert quotas.missing_type_quotas(job("ml.m5.large"), found) == [
        (("ResourceConfig", "InstanceType"), "ml.m5.large")
    ]


def test_defaults_fill_quotas_without_an_applied_value():
    """ListServiceQuotas leaves out quotas with no applied value; ListAWSDefaultServiceQuotas fills them."""
    handlers = quota_handlers()
    handlers["ServiceQuotasV20190624.ListAWSDefaultServiceQuotas"] = lambda body: {
        "Quotas": [
            quota("L-3F53BF0F", "ml.g4dn.xlarge for training job usage", 0.0),  # the applied 4 wins
            quota("L-DEFAULT1", "ml.g6.xlarge for training job usage", 2.0),
        ]
    }
    with JsonStub(handlers) as stub:
        found = quotas.list_quotas(client(Target(None, REGION, stub.url), service="service-quotas"))
    assert found["ml.g4dn.xlarge for training job usage"].value == 4.0
    assert found["ml.g6.xlarge for training job usage"].value == 2.0
    assert len(found) == len(QUOTAS) + 1

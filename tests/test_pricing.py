"""Prices and the cost bound.

moto has no `pricing` service, so these tests serve the Price List API's documented answers
(DescribeServices, GetAttributeValues, GetProducts: PriceList is a list of JSON strings holding
product.attributes and terms.OnDemand.<sku.term>.priceDimensions.<rate>.pricePerUnit.USD) from a
local HTTP server (tests/support/json_stub.py); botocore sends, signs, paginates and parses for real.
"""

import json

import pytest

from smjob.cli.main import main
from smjob.pricing import Price, PriceBook, estimate
from tests.support.json_stub import JsonStub, StubError
from tests.support.price_stub import price_list_handlers


@pytest.fixture(autouse=True)
def own_price_cache(tmp_path, monkeypatch):
    # conftest's data directory lives for the session; each test here starts with no cached prices
    monkeypatch.setenv("SMJOB_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture
def price_list(monkeypatch):
    with JsonStub(price_list_handlers()) as stub:
        monkeypatch.setenv("AWS_ENDPOINT_URL_PRICING", stub.url)
        yield stub


def test_price_found_by_discovered_attributes_and_cached_with_its_date(price_list):
    price = PriceBook().price("ml.c5.xlarge", "us-east-1")
    assert price.usd_per_hour == 0.23 and price.fetched and not price.cached
    sent = next(body for t, body in price_list.calls if t == "AWSPriceListService.GetProducts")
    assert {f["Field"]: f["Value"] for f in sent["Filters"]} == {
        "regionCode": "us-east-1",
        "instanceName": "ml.c5.xlarge",
        "component": "Training",  # found on GetAttributeValues' second page
    }
    assert price_list.count("AWSPriceListService.GetAttributeValues") == 2
    calls = len(price_list.calls)
    again = PriceBook().price("ml.c5.xlarge", "us-east-1")
    assert again.cached and again.usd_per_hour == 0.23 and again.fetched == price.fetched
    assert len(price_list.calls) == calls  # from the disk cache
    PriceBook(refresh=True).price("ml.c5.xlarge", "us-east-1")
    assert price_list.count("AWSPriceListService.GetProducts") == 2


def test_heterogeneous_spot_job_worked_by_hand(price_list, tmp_path, capsys):
    job = {
        "TrainingJobName": "hetero-spot",
        "RoleArn": "arn:aws:iam::123456789012:role/sm",
        "AlgorithmSpecification": {
            "TrainingImage": "123456789012.dkr.ecr.us-east-1.amazonaws.com/x:1",
            "TrainingInputMode": "File",
        },
        "OutputDataConfig": {"S3OutputPath": "s3://b/out"},
        "ResourceConfig": {
            "InstanceGroups": [
                {"InstanceGroupName": "gpu", "InstanceType": "ml.p4d.24xlarge", "InstanceCount": 2},
                {"InstanceGroupName": "cpu", "InstanceType": "ml.c5.xlarge", "InstanceCount": 4},
            ],
            "VolumeSizeInGB": 100,
        },
        "EnableManagedSpotTraining": True,
        "StoppingCondition": {"MaxRuntimeInSeconds": 7200, "MaxWaitTimeInSeconds": 10800},
    }
    path = tmp_path / "job.json"
    path.write_text(json.dumps(job))
    # By hand: 2 h bound (MaxRuntime 7,200 s; spot waiting is not billed), on-demand prices:
    #   2 x $37.688/h x 2 h = $150.752
    #   4 x  $0.23/h  x 2 h =   $1.84
    #   total                 $152.592 (an upper bound: spot bills the spot price)
    assert main(["cost", str(path), "--json", "--region", "us-east-1"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["total_usd_upper_bound"] == pytest.approx(152.592)
    assert [line["usd"] for line in out["lines"]] == [pytest.approx(150.752), pytest.approx(1.84)]
    assert out["lines"][0]["path"] == ["ResourceConfig", "InstanceGroups", 0, "InstanceType"]
    assert out["managed_spot"] is True and any("spot price" in n for n in out["notes"])
    assert main(["cost", str(path), "--region", "us-east-1"]) == 0
    text = capsys.readouterr().out
    assert "≤ $152.59 (6 instance(s), 2 h, on-demand bound; spot bills the spot price)" in text


def test_warm_pool_adds_keep_alive_and_default_runtime_is_one_day(price_list):
    book = PriceBook()
    warm = {
        "ResourceConfig": {"InstanceType": "ml.c5.xlarge", "InstanceCount": 1, "KeepAlivePeriodInSeconds": 1800},
        "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
    }
    assert estimate(warm, "us-east-1", book.price).total_usd == pytest.approx(0.23 * 1.5)
    bare = {"ResourceConfig": {"InstanceType": "ml.c5.xlarge", "InstanceCount": 2}}
    est = estimate(bare, "us-east-1", book.price)
    assert est.total_usd == pytest.approx(2 * 0.23 * 24) and "1 day" in est.notes[0]


def test_access_denied_is_price_unknown_never_a_guess(monkeypatch, tmp_path, capsys):
    def denied(body):
        raise StubError("AccessDeniedException", "User is not authorized to perform: pricing:DescribeServices")

    handlers = dict.fromkeys(price_list_handlers(), denied)
    with JsonStub(handlers) as stub:
        monkeypatch.setenv("AWS_ENDPOINT_URL_PRICING", stub.url)
        path = tmp_path / "job.json"
        path.write_text(json.dumps({"ResourceConfig": {"InstanceType": "ml.c5.xlarge", "InstanceCount": 3}}))
        assert main(["cost", str(path), "--region", "us-east-1"]) == 2
        out = capsys.readouterr().out
        assert "price unknown (no permission to read the Price List API" in out and "$" not in out.split("total")[0]
        assert stub.count("AWSPriceListService.DescribeServices") == 1


def test_unreachable_and_ambiguous_prices_are_unknown_with_why(monkeypatch):
    from smjob.local_endpoint import free_port

    monkeypatch.setenv("AWS_ENDPOINT_URL_PRICING", f"http://127.0.0.1:{free_port()}")
    price = PriceBook(timeout=1.0).price("ml.c5.xlarge", "us-east-1")
    assert price.usd_per_hour is None and "cannot be reached" in price.why_unknown
    with JsonStub(price_list_handlers(extra=[("ml.g5.2xlarge", "1.9000000000")])) as stub:
        book = PriceBook(client=_client(stub.url))
        price = book.price("ml.g5.2xlarge", "us-east-1")
        assert price.usd_per_hour is None and "2 training prices" in price.why_unknown
        missing = book.price("ml.nope.xlarge", "us-east-1")
        assert missing.usd_per_hour is None and "no on-demand training price" in missing.why_unknown


def _client(url):
    from smjob.aws.clients import client
    from smjob.aws.target import Target

    return client(Target(None, "us-east-1", url), service="pricing", retries=0)


# --- guard rails ---------------------------------------------------------------------------


def test_settings_get_set_and_refuse_bad_values(capsys):
    from smjob import settings

    assert main(["settings", "set", "max_estimated_cost", "250.5"]) == 0
    assert main(["settings", "set", "max_instance_count", "4"]) == 0
    assert settings.load() == {"max_estimated_cost": 250.5, "max_instance_count": 4}
    assert oct(settings.settings_path().stat().st_mode & 0o777) == "0o600"
    capsys.readouterr()
    assert main(["settings", "get", "max_instance_count"]) == 0
    assert capsys.readouterr().out.startswith("max_instance_count = 4")
    for bad in (["max_instance_count", "-1"], ["max_instance_count", "nan"], ["nope", "1"], ["max_estimated_cost"]):
        assert main(["settings", "set", *bad]) == 2
    assert main(["settings", "set", "max_estimated_cost", "off"]) == 0
    assert settings.load() == {"max_instance_count": 4}


def test_guard_rail_warnings():
    from smjob.settings import guard_rail_warnings

    est = estimate(
        {"ResourceConfig": {"InstanceType": "ml.c5.xlarge", "InstanceCount": 6}},
        "us-east-1",
        lambda t, r: Price(t, r, 1.0),
    )
    assert est.total_usd == 144.0
    warnings = guard_rail_warnings(est, {"max_estimated_cost": 100, "max_instance_count": 5})
    assert warnings == [
        "6 instances, over your limit of 5 (max_instance_count)",
        "up to $144.00, over your limit of $100.00 (max_estimated_cost)",
    ]
    assert guard_rail_warnings(est, {"max_estimated_cost": 200, "max_instance_count": 6}) == []


def test_submit_over_a_guard_rail_needs_yes(moto, tmp_path, capsys):
    import boto3

    from smjob.examples import load_example

    job = load_example("pytorch-gpu")
    job["ResourceConfig"]["InstanceCount"] = 3
    path = tmp_path / "job.json"
    path.write_text(json.dumps(job))
    assert main(["settings", "set", "max_instance_count", "2"]) == 0
    url = moto.target().endpoint_url
    assert main(["submit", str(path), "--endpoint-url", url]) == 1
    err = capsys.readouterr().err
    assert "3 instances, over your limit of 2" in err and "--yes submits anyway" in err
    sm = boto3.client("sagemaker", endpoint_url=url, region_name="us-east-1")
    assert sm.list_training_jobs()["TrainingJobSummaries"] == []  # nothing was sent
    assert main(["submit", str(path), "--endpoint-url", url, "--yes"]) == 0
    assert [j["TrainingJobName"] for j in sm.list_training_jobs()["TrainingJobSummaries"]] == [job["TrainingJobName"]]


def test_an_html_error_page_is_named_not_quoted():
    """An endpoint without the Price List (moto in `make run`, a proxy) answers with an HTML page:
    the reason names the endpoint's lack, never the page's markup."""
    from botocore.exceptions import ClientError

    from smjob.pricing import _explain

    page = ClientError(
        {
            "Error": {"Code": "500", "Message": "<!doctype html>\n<title>500</title>"},
            "ResponseMetadata": {"HTTPStatusCode": 500},
        },
        "GetProducts",
    )
    assert _explain(page) == "the endpoint has no Price List API (HTTP 500)"
    throttled = ClientError(
        {"Error": {"Code": "ThrottlingException", "Message": "Rate exceeded\nretry"}}, "GetProducts"
    )
    assert _explain(throttled) == "the Price List API answered ThrottlingException: Rate exceeded"

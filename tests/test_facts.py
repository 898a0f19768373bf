"""Instance hardware facts: coverage of the model, agreement with EC2's data, the filter language."""

import gzip
import json
from pathlib import Path

import moto as moto_package
import pytest

from smjob import facts, instances
from smjob.cli.main import main
from smjob.facts import build, query

# Training types without facts, and why: none of them is in the EC2 data the table is built from.
WITHOUT_FACTS = {
    "ml.p2.xlarge": "P2 is retired: EC2's DescribeInstanceTypes data (moto's copy) no longer has it",
    "ml.p2.8xlarge": "P2 is retired",
    "ml.p2.16xlarge": "P2 is retired",
    "ml.p3.2xlarge": "P3 is retired from the same data",
    "ml.p3.8xlarge": "P3 is retired",
    "ml.p3.16xlarge": "P3 is retired",
    "ml.p6e-gb200.36xlarge": "an UltraServer type that moto's EC2 data does not include",
}


@pytest.fixture(autouse=True)
def fresh_facts(tmp_path, monkeypatch):
    monkeypatch.setenv("SMJOB_DATA_DIR", str(tmp_path / "data"))  # no refreshed table from another test
    facts.reload()
    yield
    facts.reload()


def ec2_records() -> dict:
    """moto's EC2 instance data read straight from the file: an oracle independent of the API path."""
    path = Path(moto_package.__file__).parent / "ec2" / "resources" / "instance_types.json.gz"
    return json.loads(gzip.decompress(path.read_bytes()))


def test_every_training_type_has_facts_or_a_reason():
    types = build.training_instance_types()
    assert len(types) > 200
    without = [t for t in types if facts.facts_for(t) is None]
    assert sorted(without) == sorted(WITHOUT_FACTS), "new types without facts: explain them in WITHOUT_FACTS"
    assert sorted(facts.table()["missing"]) == sorted(WITHOUT_FACTS)
    records = ec2_records()
    assert all(t.removeprefix("ml.") not in records for t in WITHOUT_FACTS)


def test_facts_agree_with_ec2_data_for_a_held_out_sample():
    records = ec2_records()
    types = [t for t in build.training_instance_types() if facts.facts_for(t)]
    sample = types[::9]  # every ninth type in the model's order: about 25, across the families
    for t in sample:
        f, r = facts.facts_for(t), records[t.removeprefix("ml.")]
        assert f.vcpus == r["VCpuInfo"]["DefaultVCpus"], t
        assert f.memory_gib == round(r["MemoryInfo"]["SizeInMiB"] / 1024, 1), t
        assert f.gpus == sum(g["Count"] for g in r.get("GpuInfo", {}).get("Gpus", [])), t
        assert f.nvme_gb == (r.get("InstanceStorageInfo", {}).get("TotalSizeInGB") or 0), t
        assert f.efa is r["NetworkInfo"]["EfaSupported"], t
    # and what AWS's instance pages say for three well-known types
    g5 = facts.facts_for("ml.g5.12xlarge")
    assert (g5.vcpus, g5.memory_gib, g5.gpus, g5.gpu_model, g5.nvme_gb, g5.efa) == (
        48,
        192.0,
        4,
        "NVIDIA A10G",
        3800,
        True,
    )
    p4d = facts.facts_for("ml.p4d.24xlarge")
    assert (p4d.gpus, p4d.gpu_model, p4d.gpu_memory_gib, p4d.nvme_gb, p4d.network_gbps) == (
        8,
        "NVIDIA A100",
        40.0,
        8000,
        400.0,
    )
    trn = facts.facts_for("ml.trn1.32xlarge")
    assert (trn.gpus, trn.accelerators, trn.accelerator_model, trn.efa) == (0, 16, "Trainium", True)


def test_instances_uses_facts_and_falls_back_to_the_name():
    assert instances.has_local_nvme("ml.g7e.2xlarge")  # the name heuristic said no; EC2 says 1,900 GB
    assert instances.has_local_nvme("ml.trn2.48xlarge") and not instances.has_local_nvme("ml.c5.xlarge")
    assert instances.processor_label("ml.trn2.48xlarge") == "Trainium"
    assert facts.facts_for("ml.p3.2xlarge") is None
    assert instances.is_gpu("ml.p3.2xlarge") and not instances.has_local_nvme("ml.p3.2xlarge")  # by name


def test_refresh_rebuilds_the_shipped_table_through_describe_instance_types(moto, capsys):
    """`smjob instances refresh` against moto's EC2 gives exactly the shipped facts: the table was
    generated, not typed, and the account's own answer then takes precedence."""
    assert main(["instances", "refresh", "--endpoint-url", moto.target().endpoint_url]) == 0
    assert "without facts: ml.p2.xlarge" in capsys.readouterr().out
    refreshed = json.loads(facts.refreshed_path().read_text())
    from smjob.facts.data import TABLE

    assert refreshed["facts"] == TABLE["facts"] and refreshed["missing"] == TABLE["missing"]
    assert "ec2:DescribeInstanceTypes in us-east-1" in facts.source()


@pytest.mark.parametrize(
    ("text", "check"),
    [
        ("gpu>=4 mem>=192", lambda f: f.gpus >= 4 and f.memory_gib >= 192),
        ("gpu >= 8", lambda f: f.gpus >= 8),
        ("a10g", lambda f: f.gpu_model == "NVIDIA A10G"),
        ("trainium", lambda f: "Trainium" in f.accelerator_model),
        ("efa !nvme", lambda f: f.efa and f.nvme_gb == 0),
        ("vcpu<4", lambda f: f.vcpus < 4),
        ("net>=400 gpumem>40", lambda f: f.network_gbps >= 400 and (f.gpu_memory_gib or 0) > 40),
    ],
)
def test_filters_select_exactly_the_matching_types(text, check):
    types = [t for t in build.training_instance_types() if facts.facts_for(t)]
    chosen = query.select(types, text)
    assert chosen, text
    assert set(chosen) == {t for t in types if check(facts.facts_for(t))}, text


def test_filter_errors_and_sorting():
    for bad in ("foo>3", "gpu>>3", "!a10g", "mem>=lots"):
        with pytest.raises(query.FilterError):
            query.select(["ml.g5.xlarge"], bad)
    by_mem = query.select(build.training_instance_types(), "gpu>=1", sort="mem")
    mems = [facts.facts_for(t).memory_gib for t in by_mem]
    assert mems == sorted(mems, reverse=True)
    assert query.select(["ml.p3.2xlarge", "ml.g5.xlarge"], "g5") == ["ml.g5.xlarge"]
    assert query.select(["ml.p3.2xlarge"], "gpu>=1") == []  # no facts: numeric terms never guess


def test_cli_table_and_json(capsys):
    assert main(["instances", "a10g", "gpu>=4", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["instances"]
    assert {r["instance_type"] for r in rows} == {"ml.g5.12xlarge", "ml.g5.24xlarge", "ml.g5.48xlarge"}
    assert main(["instances", "efa", "--sort", "net"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:3] == ["TYPE", "VCPU", "MEM"] and len(lines) > 10
    assert main(["instances", "gpu>"]) == 2

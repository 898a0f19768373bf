"""The image catalogue against the SageMaker Python SDK's own answers.

sagemaker-core conflicts with the test pins (rich<14), so its answers are recorded by
tests/support/catalogue_oracle.py in a throwaway venv (tests/data/catalogue_oracle.json); when
sagemaker-core is importable here, the same cases are also asked of it live.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from smjob import catalogue
from smjob.catalogue import CatalogueError, build, image_uri

ORACLE = json.loads((Path(__file__).parent / "data" / "catalogue_oracle.json").read_text())
CASES = ORACLE["cases"]


def _ours(case):
    return image_uri(
        case["framework"],
        case["region"],
        case["version"],
        case["py_version"],
        case["processor"],
        base_framework=case["base_framework"],
    )


def test_the_oracle_was_recorded_from_the_snapshots_sdk_version():
    assert catalogue.catalogue().source.version == ORACLE["sagemaker_core"]


def test_the_oracle_covers_every_kind_of_image():
    found = {c["framework"] for c in CASES if "uri" in c}
    assert {"pytorch", "tensorflow", "huggingface", "xgboost", "sklearn", "kmeans", "mxnet"} <= found
    assert any(c["processor"] == "neuron" and "uri" in c for c in CASES)
    assert any(".amazonaws.com.cn/" in c.get("uri", "") for c in CASES)  # another partition
    assert sum("refused" in c for c in CASES) > 20


@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(str(v) for v in list(c.values())[:6]))
def test_uri_equals_the_sdks(case):
    if "uri" in case:
        assert _ours(case) == case["uri"]
    else:
        with pytest.raises(CatalogueError):
            _ours(case)


@pytest.mark.skipif(importlib.util.find_spec("sagemaker") is None, reason="sagemaker-core is not installed here")
def test_uri_equals_the_installed_sdk_live():
    from sagemaker.core import image_uris

    for case in CASES[:100]:
        kw = {}
        if case["base_framework"]:
            base = case["base_framework"]
            kw = {"pytorch_version": base[7:]} if base.startswith("pytorch") else {"tensorflow_version": base[10:]}
        try:
            theirs = image_uris.get_training_image_uri(
                case["region"],
                case["framework"],
                case["version"],
                case["py_version"],
                instance_type=ORACLE["instances"][case["processor"]],
                **kw,
            )
        except (ValueError, KeyError):
            continue
        assert _ours(case) == theirs


def test_choices_come_from_the_data():
    names = {f.name: f for f in catalogue.frameworks()}
    assert names["pytorch"].kind == "framework" and names["kmeans"].kind == "algorithm"
    assert "pytorch-neuron" not in names  # offered as pytorch's neuron processor
    newest = names["pytorch"].versions[0]
    opts = catalogue.options("pytorch", newest)
    assert opts.processors[:2] == ("cpu", "gpu") and opts.py_versions
    uri = image_uri("pytorch", "eu-west-1", newest, opts.py_versions[0], "gpu")
    assert uri.startswith("763104351884.dkr.ecr.eu-west-1.amazonaws.com/pytorch-training:")
    assert "neuron" in catalogue.options("pytorch", "1.11").processors
    hf = catalogue.options("huggingface", names["huggingface"].versions[0])
    assert hf.base_frameworks and hf.base_frameworks[0].startswith(("pytorch", "tensorflow"))


def test_refusals_say_what_there_is():
    with pytest.raises(CatalogueError, match=r"it has: .*2\.8"):
        image_uri("pytorch", "us-east-1", "0.0.1", "py312", "gpu")
    with pytest.raises(CatalogueError, match="no training images for 'nope'"):
        image_uri("nope", "us-east-1")
    with pytest.raises(CatalogueError, match="processor must be one of"):
        image_uri("pytorch", "us-east-1", "2.8", "py312", "tpu")


def test_a_newer_installed_sdk_is_read_from_disk_without_importing_it(tmp_path, monkeypatch):
    pkg = tmp_path / "site" / "sagemaker" / "core" / "image_uri_config"
    pkg.mkdir(parents=True)
    (tmp_path / "site" / "sagemaker" / "__init__.py").write_text("raise RuntimeError('imported')\n")
    raw = {"scope": ["training"], "versions": {"9": {"registries": {"us-east-1": "111122223333"}, "repository": "x"}}}
    (pkg / "newalgo.json").write_text(json.dumps(raw))
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.setattr(catalogue, "installed_sdk", lambda: ("999.0.0", pkg))
    catalogue.catalogue.cache_clear()
    try:
        cat = catalogue.catalogue()
        assert cat.source.version == "999.0.0" and list(cat.configs) == ["newalgo"]
        assert image_uri("newalgo", "us-east-1", cat=cat) == "111122223333.dkr.ecr.us-east-1.amazonaws.com/x:9"
    finally:
        catalogue.catalogue.cache_clear()


def test_installed_sdk_lookup_does_not_import(tmp_path, monkeypatch):
    site = tmp_path / "site"
    (site / "sagemaker" / "core" / "image_uri_config").mkdir(parents=True)
    (site / "sagemaker" / "__init__.py").write_text("raise RuntimeError('imported')\n")
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setattr("importlib.metadata.version", lambda name: "3.0.0")
    found = catalogue.installed_sdk()
    assert found == ("3.0.0", site / "sagemaker" / "core" / "image_uri_config")


def test_the_build_script_reproduces_the_shipped_snapshot_from_a_wheel(tmp_path):
    import zipfile

    shipped = json.loads(catalogue.SNAPSHOT.read_text())
    configs = catalogue._expand(shipped["frameworks"], shipped["registries"])
    wheel = tmp_path / f"sagemaker_core-{shipped['source']['version']}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as zf:
        for name, config in configs.items():
            zf.writestr(f"{build.CONFIG_DIR}{name}.json", json.dumps({"training": config}))
        zf.writestr(f"{build.CONFIG_DIR}pytorch-smp.json", json.dumps({"training": configs["pytorch"]}))
    out = tmp_path / "snap.json"
    assert build.main(["--wheel", str(wheel), "-o", str(out)]) == 0
    made = json.loads(out.read_text())
    assert catalogue._expand(made["frameworks"], made["registries"]) == configs
    assert len(made["registries"]) == len(shipped["registries"])  # each region table stored once


def test_every_builtin_algorithm_picked_from_the_catalogue_keeps_its_rules():
    from smjob.rules.builtin import builtin_algorithm

    algorithms = [f for f in catalogue.frameworks() if f.kind == "algorithm"]
    assert len(algorithms) >= 15
    for f in [*algorithms, next(f for f in catalogue.frameworks() if f.name == "xgboost")]:
        for region in ("us-east-1", "cn-north-1", "eu-west-1"):
            try:
                uri = image_uri(f.name, region, f.versions[0])
            except CatalogueError:
                continue  # not published there (lda in China)
            assert builtin_algorithm({"AlgorithmSpecification": {"TrainingImage": uri}}) is not None, uri

"""Record what the SageMaker Python SDK itself says training image URIs are, for tests/test_resources_catalogue.py.

sagemaker-core cannot be installed next to smjob's test pins (it wants rich<14, textual needs 15),
so this runs in a throwaway venv and writes its answers to a JSON file the test compares with:

    python3 -m venv /tmp/smcore && /tmp/smcore/bin/pip install sagemaker-core==VERSION
    /tmp/smcore/bin/python tests/support/catalogue_oracle.py > tests/data/catalogue_oracle.json

It imports only the SDK (not smjob) and calls `sagemaker.core.image_uris.get_training_image_uri`
(which calls `retrieve(..., image_scope="training")`) on a seeded sample of combinations read from
the SDK's own files: every framework, versions and aliases, Python versions, cpu/gpu/neuron
instances, and regions across partitions. Combinations the SDK refuses are recorded as refusals.
"""

from __future__ import annotations

import importlib.metadata
import json
import logging
import random
import sys
from pathlib import Path

INSTANCE = {"cpu": "ml.m5.xlarge", "gpu": "ml.g5.xlarge", "neuron": "ml.trn1.2xlarge"}
REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-3", "cn-north-1", "us-gov-west-1", "il-central-1", "eu-south-2"]
SKIP = {
    "huggingface-training-compiler",
    "pytorch-training-compiler",
    "pytorch-smp",
    "hyperpod-recipes-neuron",
    "huggingface-neuronx",
    "sagemaker-base-python",
    "pytorch-neuron",  # reached as pytorch on a trn instance
}
PER_FRAMEWORK = 60


def training(raw):
    if "versions" in raw:
        return raw if raw.get("scope") is None or "training" in raw["scope"] else None
    part = raw.get("training")
    return part if isinstance(part, dict) and "versions" in part else None


def main() -> int:
    logging.disable(logging.CRITICAL)
    import sagemaker.core
    from sagemaker.core import image_uris

    directory = Path(sagemaker.core.__file__).parent / "image_uri_config"
    rng = random.Random(11)
    cases = []
    for path in sorted(directory.glob("*.json")):
        if path.stem in SKIP:
            continue
        config = training(json.loads(path.read_text()))
        if config is None:
            continue
        versions = list(config["versions"]) + list(config.get("version_aliases", {}))
        combos = []
        for version in versions:
            vconfig = config["versions"][config.get("version_aliases", {}).get(version, version)]
            bases = [k for k in vconfig if k != "version_aliases"] if path.stem == "huggingface" else [None]
            for base in bases:
                leaf = vconfig[base] if base else vconfig
                pys = leaf.get("py_versions") or [None]
                regions = sorted(leaf.get("registries", {})) or REGIONS
                for py in pys:
                    for proc in INSTANCE:
                        region = rng.choice([*REGIONS, *rng.sample(regions, min(3, len(regions)))])
                        combos.append((version, base, py, proc, region))
        rng.shuffle(combos)
        for version, base, py, proc, region in combos[:PER_FRAMEWORK]:
            kw = {}
            if base:
                kind, number = ("pytorch", base[7:]) if base.startswith("pytorch") else ("tensorflow", base[10:])
                kw[f"{kind}_version"] = number
            case = {
                "framework": path.stem,
                "version": version,
                "base_framework": base,
                "py_version": py,
                "processor": proc,
                "region": region,
            }
            try:
                case["uri"] = image_uris.get_training_image_uri(
                    region, path.stem, framework_version=version, py_version=py, instance_type=INSTANCE[proc], **kw
                )
            except (ValueError, KeyError) as exc:
                case["refused"] = type(exc).__name__
            cases.append(case)
    json.dump(
        {"sagemaker_core": importlib.metadata.version("sagemaker-core"), "instances": INSTANCE, "cases": cases},
        sys.stdout,
        indent=0,
    )
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())

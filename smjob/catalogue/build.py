"""Make smjob/catalogue/snapshot.json from sagemaker-core's `image_uri_config/*.json`.

    python -m smjob.catalogue.build                      # from the sagemaker-core installed here
    python -m smjob.catalogue.build --wheel sagemaker_core-2.27.0-py3-none-any.whl
    pip download sagemaker-core --no-deps -d /tmp/w      # (how to get the wheel without installing it)

Keeps only the training scope of each file (see smjob.catalogue.training_config) and stores each
distinct region -> account table once: ~10x smaller than the SDK's files, same data.
"""

from __future__ import annotations

import argparse
import datetime
import json
import re
import sys
import tempfile
import zipfile
from pathlib import Path

from smjob.catalogue import SNAPSHOT, installed_sdk, read_config_dir

CONFIG_DIR = "sagemaker/core/image_uri_config/"


def from_wheel(wheel: Path) -> tuple[str, dict]:
    match = re.match(r"sagemaker_core-([^-]+)-", wheel.name)
    if not match:
        raise SystemExit(f"{wheel}: not a sagemaker-core wheel")
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(wheel) as zf:
        for member in zf.namelist():
            if member.startswith(CONFIG_DIR) and member.endswith(".json") and "/" not in member[len(CONFIG_DIR) :]:
                (Path(tmp) / Path(member).name).write_bytes(zf.read(member))
        return match.group(1), read_config_dir(Path(tmp))


def compact(configs: dict) -> tuple[dict, list]:
    table: list[dict] = []
    index: dict[str, int] = {}

    def walk(value):
        if isinstance(value, dict):
            out = {}
            for key, item in value.items():
                if key == "registries" and isinstance(item, dict):
                    text = json.dumps(item, sort_keys=True)
                    if text not in index:
                        index[text] = len(table)
                        table.append(item)
                    out[key] = index[text]
                else:
                    out[key] = walk(item)
            return out
        return value

    return {name: walk(config) for name, config in sorted(configs.items())}, table


def build(version: str, configs: dict, out: Path = SNAPSHOT) -> dict:
    frameworks, table = compact(configs)
    snapshot = {
        "source": {
            "package": "sagemaker-core",
            "version": version,
            "license": "Apache-2.0",
            "files": "sagemaker/core/image_uri_config/*.json (training scope)",
            "built": datetime.date.today().isoformat(),
        },
        "registries": table,
        "frameworks": frameworks,
    }
    out.write_text(json.dumps(snapshot, separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8")
    return snapshot


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m smjob.catalogue.build", description=__doc__.splitlines()[0])
    parser.add_argument("--wheel", type=Path, help="a sagemaker-core wheel (default: the installed package)")
    parser.add_argument("-o", "--output", type=Path, default=SNAPSHOT)
    args = parser.parse_args(argv)
    if args.wheel:
        version, configs = from_wheel(args.wheel)
    else:
        found = installed_sdk()
        if found is None:
            print(
                "sagemaker-core is not installed: pass --wheel (pip download sagemaker-core --no-deps)", file=sys.stderr
            )
            return 2
        version, configs = found[0], read_config_dir(found[1])
    snap = build(version, configs, args.output)
    size = args.output.stat().st_size
    print(f"{args.output}: sagemaker-core {version}, {len(snap['frameworks'])} frameworks, {size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())

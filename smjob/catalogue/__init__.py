"""The AWS Deep Learning Containers and built-in algorithm images for training, from the data the
SageMaker Python SDK publishes (`sagemaker/core/image_uri_config/*.json` in `sagemaker-core`,
Apache-2.0), and the image URI for (framework, version, Python, processor, region).

Where the data comes from: `snapshot.json` beside this file, made by `python -m smjob.catalogue.build`;
when `sagemaker-core` is installed in the same environment and is newer, its files are read from
disk instead (never imported: it pulls in half the SDK). `image_uri()` follows the SDK's own
`image_uris.retrieve()` / `get_training_image_uri()` for the training scope: version aliases, Python
versions, processors, container versions and tag format, the registry account per region, and
the ECR hostname per partition from botocore's endpoint data.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

SNAPSHOT = Path(__file__).with_name("snapshot.json")
PROCESSORS = ("cpu", "gpu", "neuron")
HUGGING_FACE = "huggingface"
# Training configs left out, and why: they need arguments a picker does not have (a compiler
# config, an SMP distribution, a recipe), or are not training images.
EXCLUDED = {
    "huggingface-training-compiler": "needs a Training Compiler config",
    "pytorch-training-compiler": "needs a Training Compiler config",
    "pytorch-smp": "needs an SMP distribution and a CUDA container version",
    "hyperpod-recipes-neuron": "HyperPod recipes, not plain training jobs",
    "huggingface-neuronx": "the SDK's retrieve() cannot build it for a trn instance",
    "sagemaker-base-python": "a Studio base image",
}
# pytorch with the "neuron" processor: the SDK switches to the `<framework>-neuron` config on trn
# instances (its `inference_tool`), and writes "neuron" where the processor goes in the tag.
NEURON_SUFFIX = "-neuron"
# The SDK's training path gives Hugging Face GPU images this container version when the data has none.
HF_GPU_CONTAINER = "cu110-ubuntu18.04"


class CatalogueError(ValueError):
    """A combination the SDK's data does not have; the message lists what it has."""


@dataclass(frozen=True)
class Source:
    package: str
    version: str
    where: str  # "snapshot" or the directory read


@dataclass
class Catalogue:
    source: Source
    configs: dict[str, dict]  # framework -> the SDK's training-scope config, registries resolved
    built: str | None = None


@dataclass(frozen=True)
class Framework:
    name: str
    kind: str  # "framework" (DLC: versions x Python x processor) or "algorithm" (built-in)
    versions: tuple[str, ...]  # newest first, aliases not repeated


@dataclass(frozen=True)
class Options:
    """What can be chosen for one framework version."""

    framework: str
    version: str
    py_versions: tuple[str, ...]
    processors: tuple[str, ...]  # of PROCESSORS
    base_frameworks: tuple[str, ...] = ()  # Hugging Face only: pytorch2.8.0, tensorflow2.6.3...
    regions: tuple[str, ...] = field(default=(), repr=False)


# --- reading the SDK's data ----------------------------------------------------------------------


def training_config(name: str, raw: dict) -> dict | None:
    """The training-scope part of one SDK config file, or None (as `_config_for_framework_and_scope`)."""
    if name in EXCLUDED or not isinstance(raw, dict):
        return None
    if "versions" in raw:
        scope = raw.get("scope")
        return raw if scope is None or "training" in scope else None
    part = raw.get("training")
    return part if isinstance(part, dict) and "versions" in part else None


def read_config_dir(directory: Path) -> dict[str, dict]:
    configs = {}
    for path in sorted(Path(directory).glob("*.json")):
        try:
            part = training_config(path.stem, json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue
        if part is not None:
            configs[path.stem] = part
    return configs


def installed_sdk() -> tuple[str, Path] | None:
    """(version, image_uri_config dir) of an installed sagemaker-core, found without importing it."""
    import importlib.metadata
    import importlib.util

    try:
        spec = importlib.util.find_spec("sagemaker")  # top level: finding it imports nothing
        version = importlib.metadata.version("sagemaker-core")
    except (ImportError, ValueError, importlib.metadata.PackageNotFoundError):
        return None
    for location in (spec.submodule_search_locations or []) if spec else []:
        directory = Path(location) / "core" / "image_uri_config"
        if directory.is_dir():
            return version, directory
    return None


def version_key(text: str) -> tuple:
    return tuple(int(n) for n in re.findall(r"\d+", text)) or (-1,)


def _expand(configs: dict, table: list) -> dict:
    def walk(value):
        if isinstance(value, dict):
            return {k: (table[v] if k == "registries" and isinstance(v, int) else walk(v)) for k, v in value.items()}
        return value

    return {name: walk(config) for name, config in configs.items()}


@cache
def catalogue() -> Catalogue:
    snap = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    src = snap["source"]
    found = installed_sdk()
    if found and version_key(found[0]) > version_key(src["version"]):
        configs = read_config_dir(found[1])
        if configs:
            return Catalogue(Source("sagemaker-core", found[0], str(found[1])), configs)
    configs = _expand(snap["frameworks"], snap["registries"])
    return Catalogue(Source(src["package"], src["version"], "snapshot"), configs, src.get("built"))


# --- what there is --------------------------------------------------------------------------------


def _versions(config: dict) -> tuple[str, ...]:
    return tuple(sorted(config["versions"], key=version_key, reverse=True))


def _is_framework(config: dict) -> bool:
    text = json.dumps(config)
    return '"processors"' in text or '"py_versions"' in text


def frameworks(cat: Catalogue | None = None) -> list[Framework]:
    cat = cat or catalogue()
    found = []
    for name, config in sorted(cat.configs.items()):
        if name.endswith(NEURON_SUFFIX) and name[: -len(NEURON_SUFFIX)] in cat.configs:
            continue  # offered as the "neuron" processor of its framework
        found.append(Framework(name, "framework" if _is_framework(config) else "algorithm", _versions(config)))
    return found


def options(framework: str, version: str, cat: Catalogue | None = None) -> Options:
    cat = cat or catalogue()
    config = _config(cat, framework)
    full = _full_version(framework, version, config)
    vconfig = config["versions"][full]
    bases: tuple[str, ...] = ()
    leaves = [vconfig]
    if framework == HUGGING_FACE:
        bases = tuple(sorted((k for k in vconfig if k != "version_aliases"), key=version_key, reverse=True))
        leaves = [vconfig[b] for b in bases]
    py = sorted({p for leaf in leaves for p in leaf.get("py_versions", ())}, key=version_key, reverse=True)
    procs = {p for leaf in leaves for p in (config.get("processors") or leaf.get("processors") or ())}
    shown = [p for p in PROCESSORS if p in procs]
    if _neuron_config(cat, framework, version) is not None:
        shown.append("neuron")
    regions = sorted({r for leaf in leaves for r in leaf.get("registries", {})})
    return Options(framework, full, tuple(py), tuple(shown), bases, tuple(regions))


def _config(cat: Catalogue, framework: str) -> dict:
    config = cat.configs.get(framework)
    if config is None:
        names = ", ".join(f.name for f in frameworks(cat))
        raise CatalogueError(f"no training images for {framework!r} in the SDK's data; there are: {names}")
    return config


def _full_version(framework: str, version: str | None, config: dict) -> str:
    return _validated(framework, version, config)[1]


def _validated(framework: str, version: str | None, config: dict) -> tuple[str, str]:
    """(the version as the tag names it, its key in the data): the SDK's
    `_validate_version_and_set_if_needed` then `_version_for_config`."""
    available = list(config["versions"])
    aliases = config.get("version_aliases", {})
    if len(available) == 1 and version not in aliases:
        return available[0], available[0]
    if not version:
        version = aliases.get("latest") or max(available, key=version_key)
    if version not in available and version not in aliases:
        shown = ", ".join(sorted(available + list(aliases), key=version_key, reverse=True))
        raise CatalogueError(f"{framework} has no version {version!r}; it has: {shown}")
    return version, aliases.get(version, version)


def _neuron_config(cat: Catalogue, framework: str, version: str | None) -> dict | None:
    config = cat.configs.get(framework + NEURON_SUFFIX)
    if config is None:
        return None
    try:
        _full_version(framework, version, config)
    except CatalogueError:
        return None
    return config


# --- the URI -----------------------------------------------------------------------------------


@cache
def _resolver():
    import botocore.loaders
    import botocore.regions

    return botocore.regions.EndpointResolver(botocore.loaders.create_loader().load_data("endpoints"))


def ecr_hostname(region: str) -> str:
    """ECR's hostname in `region` as the SDK finds it (botocore's endpoint data, per partition)."""
    data = _resolver().construct_endpoint("ecr", region)
    if region == "il-central-1" and not data:
        data = {"hostname": f"ecr.{region}.amazonaws.com"}
    if not data:
        raise CatalogueError(f"botocore knows no ECR endpoint in region {region!r}")
    return data["hostname"]


def image_uri(
    framework: str,
    region: str,
    version: str | None = None,
    py_version: str | None = None,
    processor: str | None = None,
    *,
    base_framework: str | None = None,
    cat: Catalogue | None = None,
) -> str:
    """The training image URI, as the SDK's `get_training_image_uri` gives it for an instance of
    that processor (cpu, gpu, or neuron for trn). `base_framework` (Hugging Face): e.g. pytorch2.8.0."""
    cat = cat or catalogue()
    inference_tool = None
    name = framework
    if processor == "neuron":
        if _neuron_config(cat, framework, version) is None:
            raise CatalogueError(f"{framework} {version or ''} has no Neuron (trn) training image".replace("  ", " "))
        name, inference_tool, processor = framework + NEURON_SUFFIX, "neuron", "trn"
    elif processor not in (None, "cpu", "gpu"):
        raise CatalogueError(f"processor must be one of {', '.join(PROCESSORS)}, not {processor!r}")
    config = _config(cat, name)
    version, full = _validated(framework, version, config)
    vconfig = config["versions"][full]

    if framework == HUGGING_FACE:
        if not base_framework:
            bases = [k for k in vconfig if k != "version_aliases"]
            if len(bases) != 1:
                raise CatalogueError(f"huggingface {full} needs a base framework: one of {', '.join(bases)}")
            base_framework = bases[0]
        key = vconfig.get("version_aliases", {}).get(base_framework, base_framework)
        if key not in vconfig or key == "version_aliases":
            shown = ", ".join(k for k in vconfig if k != "version_aliases")
            raise CatalogueError(f"huggingface {full} has no base framework {base_framework!r}; it has: {shown}")
        vconfig = vconfig[key]

    py_version = _py_version(framework, full, py_version, vconfig)
    vconfig = vconfig.get(py_version) or vconfig
    registries = vconfig["registries"]
    if region not in registries:
        raise CatalogueError(
            f"{framework} {full} is not published in {region}; regions: {', '.join(sorted(registries))}"
        )
    repo = vconfig["repository"]
    processor = _processor(framework, full, processor, config.get("processors") or vconfig.get("processors"))

    container_version = None
    if vconfig.get("container_version"):
        container_version = vconfig["container_version"].get(processor)
        if container_version is None:
            raise CatalogueError(f"{framework} {full} has no {processor} image")
    elif framework == HUGGING_FACE and processor == "gpu":
        container_version = HF_GPU_CONTAINER
    if repo in ("pytorch-training-neuron", "pytorch-training-neuronx"):
        sdk = sorted(vconfig["sdk_versions"], reverse=True)[0]
        container_version = f"{sdk}-{container_version}"

    if framework == HUGGING_FACE:
        match = re.match(r"^(pytorch|tensorflow)(.*)$", base_framework)
        tag_prefix = f"{match.group(2)}-transformers{full}"
    else:
        tag_prefix = vconfig.get("tag_prefix", version)
    if not vconfig.get("processor_in_tag", True):
        processor = None
    first = inference_tool or processor
    tag = "-".join(x for x in (tag_prefix, first, py_version, container_version) if x)
    uri = f"{registries[region]}.dkr.{ecr_hostname(region)}/{repo}"
    return f"{uri}:{tag}" if tag else uri


def _py_version(framework: str, full: str, py_version: str | None, vconfig: dict) -> str | None:
    available = vconfig.get("py_versions") if "repository" in vconfig else list(vconfig)
    if not available:
        return None
    if py_version is None and len(available) == 1:
        return available[0]
    if py_version not in available:
        raise CatalogueError(f"{framework} {full} has no Python {py_version!r}; it has: {', '.join(available)}")
    return py_version


def _processor(framework: str, full: str, processor: str | None, available) -> str | None:
    if not available:
        return None
    if processor is None and len(available) == 1:
        return available[0]
    if processor not in available:
        shown = ", ".join("neuron" if p == "trn" else p for p in available)
        raise CatalogueError(f"{framework} {full} has no {processor or 'unspecified'} image; it has: {shown}")
    return processor

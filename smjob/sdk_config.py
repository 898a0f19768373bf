"""Defaults teams already set for the SageMaker Python SDK (its config.yaml), applied to a new job.

Where the SDK looks (sagemaker.core.config.load_sagemaker_config): the admin file
`site_config_dir("sagemaker")/config.yaml` (e.g. /etc/xdg/sagemaker/config.yaml) and the user file
`user_config_dir("sagemaker")/config.yaml` (e.g. ~/.config/sagemaker/config.yaml), or the paths in
SAGEMAKER_ADMIN_CONFIG_OVERRIDE / SAGEMAKER_USER_CONFIG_OVERRIDE (a directory means its config.yaml).
Both are read in that order and merged with botocore's merge_dicts: the user file wins, mappings
merge key by key, lists are replaced. As in the SDK, a value the job already has wins over the
file, and config Tags are appended when the job has no tag with that Key.

Not as in the SDK: a malformed file is reported (file and line) and ignored instead of stopping
everything, and S3 URIs as config locations are not read (said so in a message).
"""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass, field
from pathlib import Path

from smjob.paths import FieldPath, format_path, get_at

ADMIN_ENV = "SAGEMAKER_ADMIN_CONFIG_OVERRIDE"
USER_ENV = "SAGEMAKER_USER_CONFIG_OVERRIDE"
MAX_BYTES = 1_000_000

# SageMaker.TrainingJob.<these> -> the request path, and what the SDK's schema lets each be.
TRAINING_JOB_KEYS: dict[FieldPath, str] = {
    ("RoleArn",): "string",
    ("VpcConfig",): "vpc",
    ("EnableNetworkIsolation",): "boolean",
    ("EnableInterContainerTrafficEncryption",): "boolean",
    ("Environment",): "string map",
    ("OutputDataConfig", "KmsKeyId"): "string",
    ("ResourceConfig", "VolumeKmsKeyId"): "string",
    ("ProfilerConfig", "DisableProfiler"): "boolean",
    ("Tags",): "tags",
}
SESSION = ("SageMaker", "PythonSDK", "Modules", "Session")
OUTPUT_PATH = ("OutputDataConfig", "S3OutputPath")


@dataclass(frozen=True)
class ConfigFile:
    role: str  # "admin" or "user"
    path: str
    overridden: bool  # named by the environment variable


@dataclass
class SdkDefaults:
    values: dict[FieldPath, object] = field(default_factory=dict)  # request path -> value
    sources: dict[FieldPath, str] = field(default_factory=dict)  # request path -> the file it came from
    messages: list[str] = field(default_factory=list)  # problems with files, each naming file (and line)
    files: list[str] = field(default_factory=list)  # files read and used


def config_files(env=None) -> list[ConfigFile]:
    import platformdirs

    env = os.environ if env is None else env
    found = []
    for role, var, base in (
        ("admin", ADMIN_ENV, platformdirs.site_config_dir("sagemaker")),
        ("user", USER_ENV, platformdirs.user_config_dir("sagemaker")),
    ):
        given = env.get(var)
        found.append(
            ConfigFile(role, given if given is not None else os.path.join(base, "config.yaml"), given is not None)
        )
    return found


class _Bad(Exception):
    pass


def _read(cf: ConfigFile) -> tuple[str, dict | None]:
    """(the file read, its mapping or None if absent); _Bad with a message naming file and line."""
    from smjob.load.result import LoadError
    from smjob.load.yaml_parse import parse_yaml

    if cf.path.startswith("s3://"):
        raise _Bad(f"{cf.path} ({cf.role} config, from {_env_of(cf)}): S3 locations are not read by smjob; ignored")
    path = Path(cf.path)
    if path.is_dir():
        path = path / "config.yaml"
    if not path.exists():
        if cf.overridden:  # the SDK refuses a named file that is not there
            raise _Bad(f"{path} ({cf.role} config, from {_env_of(cf)}): no such file; ignored")
        return str(path), None
    try:
        data = path.read_bytes()[: MAX_BYTES + 1]
        if len(data) > MAX_BYTES:
            raise _Bad(f"{path}: larger than {MAX_BYTES:,} bytes; ignored")
        text = data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _Bad(f"{path}: cannot be read ({exc}); ignored") from None
    if not text.strip():
        return str(path), None
    try:
        config = parse_yaml(text, str(path))
    except LoadError as exc:
        if "empty" in exc.message:
            return str(path), None
        raise _Bad(f"{exc}; ignored") from None
    if not isinstance(config, dict):
        raise _Bad(f"{path}:1: the top level is not a mapping (SchemaVersion, SageMaker...); ignored")
    _check(config, text, path)
    return str(path), config


def _env_of(cf: ConfigFile) -> str:
    return ADMIN_ENV if cf.role == "admin" else USER_ENV


def _line(text: str, keys: tuple) -> int | None:
    """The line of the mapping key at `keys` in the YAML text (1-based)."""
    import yaml

    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    line = None
    for key in keys:
        if not isinstance(node, yaml.MappingNode):
            return line
        for k, v in node.value:
            if getattr(k, "value", None) == key:
                line, node = k.start_mark.line + 1, v
                break
        else:
            return line
    return line


def _type_ok(kind: str, value) -> bool:
    def strs(items):
        return isinstance(items, list) and all(isinstance(i, str) for i in items)

    if kind == "string":
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "string map":
        return isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())
    if kind == "vpc":
        return (
            isinstance(value, dict)
            and set(value) <= {"SecurityGroupIds", "Subnets"}
            and all(strs(v) for v in value.values())
        )
    if kind == "tags":
        return isinstance(value, list) and all(
            isinstance(t, dict) and set(t) == {"Key", "Value"} and all(isinstance(v, str) for v in t.values())
            for t in value
        )
    return False


def _check(config: dict, text: str, path: Path) -> None:
    job = get_at(config, ("SageMaker", "TrainingJob"))
    checks = [(("SageMaker", "TrainingJob", *p), kind) for p, kind in TRAINING_JOB_KEYS.items()]
    checks += [((*SESSION, "DefaultS3Bucket"), "string"), ((*SESSION, "DefaultS3ObjectKeyPrefix"), "string")]
    if job is not None and not isinstance(job, dict):
        checks = [(("SageMaker", "TrainingJob"), "mapping")]
    for keys, kind in checks:
        missing = object()
        value = get_at(config, keys, missing)
        if value is not missing and not _type_ok(kind, value):
            line = _line(text, keys)
            where = f"{path}:{line}" if line else str(path)
            raise _Bad(f"{where}: {'.'.join(keys)} must be a {_KIND_TEXT.get(kind, kind)}; the file is ignored")


_KIND_TEXT = {
    "vpc": "mapping with Subnets and SecurityGroupIds lists",
    "tags": "list of {Key, Value} strings",
    "string map": "mapping of strings to strings",
}


def _merge(into: dict, other: dict) -> None:
    """botocore.utils.merge_dicts(into, other), which the SDK uses: mappings merge, the rest is replaced."""
    for key, value in other.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = copy.deepcopy(value)


def load(env=None) -> SdkDefaults:
    """Read the SDK's config files now (lazily: call this when a new job is made, not at start)."""
    result = SdkDefaults()
    merged: dict = {}
    read: list[tuple[str, dict]] = []
    for cf in config_files(env):
        try:
            path, config = _read(cf)
        except _Bad as exc:
            result.messages.append(str(exc))
            continue
        if config:
            _merge(merged, config)
            read.append((path, config))
            result.files.append(path)

    def source(keys: tuple) -> str:
        return next(path for path, config in reversed(read) if get_at(config, keys) is not None)

    for req_path in TRAINING_JOB_KEYS:
        keys = ("SageMaker", "TrainingJob", *req_path)
        value = get_at(merged, keys)
        if value is not None:
            result.values[req_path] = value
            result.sources[req_path] = source(keys)
    bucket = get_at(merged, (*SESSION, "DefaultS3Bucket"))
    if bucket:
        prefix = (get_at(merged, (*SESSION, "DefaultS3ObjectKeyPrefix")) or "").strip("/")
        result.values[OUTPUT_PATH] = f"s3://{bucket}/{prefix + '/' if prefix else ''}"
        result.sources[OUTPUT_PATH] = source((*SESSION, "DefaultS3Bucket"))
    return result


def is_unset(value) -> bool:
    """Absent, or still a skeleton placeholder such as `s3://<bucket>/<output-prefix>/`."""
    from smjob.rules.placeholders import placeholders_in

    return value is None or value == "" or (isinstance(value, str) and bool(placeholders_in(value)))


def apply(request: dict, values: dict, sources: dict) -> tuple[dict, dict[FieldPath, str]]:
    """A copy of `request` with `values` filled where it has none; Tags appended by Key.
    Returns (request, {path: source of what was filled})."""
    from smjob.editing import set_at

    out = copy.deepcopy(request)
    filled = {}
    for path, value in values.items():
        current = get_at(out, path)
        if path == ("Tags",) and isinstance(current, list):
            have = {t.get("Key") for t in current if isinstance(t, dict)}
            extra = [copy.deepcopy(t) for t in value if t["Key"] not in have]
            if extra:
                set_at(out, path, current + extra)
                filled[path] = sources[path]
        elif is_unset(current):
            set_at(out, path, copy.deepcopy(value))
            filled[path] = sources[path]
    return out, filled


def describe(filled: dict[FieldPath, str]) -> list[str]:
    return [f"{format_path(path)} from {source}" for path, source in filled.items()]

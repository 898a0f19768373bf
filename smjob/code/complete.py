"""The request that is sent when a job has code: a pure function of the request, the settings and
the S3 URI of the uploaded folder, so the preview, the export and the history show exactly it.

Like the SageMaker Python SDK's ModelTrainer (SourceCode): the folder is an input channel named
`code` (S3Prefix, FullyReplicated, File), which SageMaker downloads to /opt/ml/input/data/code on
every host, and the container's entrypoint is replaced by a launcher that goes there, installs the
requirements if asked, and runs the entry script with the hyperparameters as `--name value`
arguments (ModelTrainer's basic script driver does the same). Where ModelTrainer uploads its
drivers as a second channel, smjob's launcher is the two short strings below, visible in the
request: every ContainerEntrypoint / ContainerArguments item must fit in 256 characters.

ContainerEntrypoint replaces the image's ENTRYPOINT, so an image whose own entrypoint prepares
something (the SageMaker framework images' `train` script, a custom wrapper) is bypassed; the image
needs `sh` and Python 3 (`python3` or `python`) on its PATH, as with ModelTrainer.
"""

from __future__ import annotations

import copy
import posixpath
import re

from smjob.code.settings import CodeError, CodeSettings
from smjob.naming import MAX_LENGTH

CHANNEL = "code"
CODE_DIR = "/opt/ml/input/data/code"
MAX_CHANNELS = 20
DIGEST_CHARS = 16

# $1 the Python runner below, $2 requirements file ("" for none), $3 entry script: a .py runs
# with Python, anything else as a program (made executable; without a #! line, under sh).
SHELL = (
    f"cd {CODE_DIR}||exit 1;P=$(command -v python3||command -v python);"
    '[ -z "$2" ]||"$P" -m pip install -r "$2"||exit 1;R=$1;case $3 in *.py)set -- "$P" "$3";;'
    '*)chmod +x "$3";set -- /bin/sh -c \'exec "./$0" "$@"\' "$3";;esac;exec "$P" -c "$R" "$@"'
)
# Appends every hyperparameter as `--name value` to the command it is given, and runs it.
RUNNER = (
    "import json,os,sys;f='/opt/ml/input/config/hyperparameters.json';"
    "h=json.load(open(f))if os.path.exists(f)else{};"
    "c=sys.argv[1:]+[s for k,v in h.items()for s in('--'+k,str(v))];os.execv(c[0],c)"
)
ENTRYPOINT = ["/bin/sh", "-c", SHELL, "smjob-code"]


def arguments(entry_point: str, requirements: str | None) -> list[str]:
    return [RUNNER, posixpath.normpath(requirements) if requirements else "", posixpath.normpath(entry_point)]


def default_prefix(request: dict) -> str:
    """`<S3OutputPath>/<job name>/code/`: beside the job's own output. CodeError when either is missing."""
    output = (request.get("OutputDataConfig") or {}).get("S3OutputPath")
    name = request.get("TrainingJobName")
    if not isinstance(output, str) or not output.startswith("s3://") or len(output.rstrip("/")) <= len("s3://"):
        raise CodeError("uploading code needs OutputDataConfig.S3OutputPath (s3://bucket/prefix) or an S3 prefix")
    if not isinstance(name, str) or not name or len(name) > MAX_LENGTH:
        raise CodeError("uploading code needs a TrainingJobName: the code goes under the job's name")
    return f"{output.rstrip('/')}/{name}/code/"


def code_uri(request: dict, settings: CodeSettings, digest: str) -> str:
    """Where the folder goes: the prefix (settings.s3_prefix or the default) and the content digest."""
    prefix = settings.s3_prefix or default_prefix(request)
    if not re.match(r"s3://[^/]+", prefix):
        raise CodeError(f"the code's S3 prefix {prefix!r} must start with s3://bucket")
    return f"{prefix.rstrip('/')}/{digest[:DIGEST_CHARS]}/"


def code_channel(uri: str) -> dict:
    return {
        "ChannelName": CHANNEL,
        "DataSource": {
            "S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": uri, "S3DataDistributionType": "FullyReplicated"}
        },
        "InputMode": "File",
    }


def _is_ours(channel) -> bool:
    """A `code` channel that smjob made (so completing twice replaces it instead of refusing)."""
    if not isinstance(channel, dict):
        return False
    source = (channel.get("DataSource") or {}).get("S3DataSource") or {}
    uri = source.get("S3Uri")
    return isinstance(uri, str) and channel == code_channel(uri)


def complete_request(request: dict, settings: CodeSettings, uri: str) -> dict:
    """A copy of `request` with the code channel and the launcher; CodeError when the request
    already uses what the launcher needs (another `code` channel, its own entrypoint)."""
    out = copy.deepcopy(request)
    spec = out.setdefault("AlgorithmSpecification", {})
    if not isinstance(spec, dict):
        raise CodeError("AlgorithmSpecification must be a structure to add the code launcher")
    if spec.get("AlgorithmName") and not spec.get("TrainingImage"):
        raise CodeError("a source folder needs AlgorithmSpecification.TrainingImage: algorithms run their own code")
    entry = spec.get("ContainerEntrypoint")
    if entry is not None and entry != ENTRYPOINT:
        raise CodeError(
            "AlgorithmSpecification.ContainerEntrypoint is set; with a source folder smjob sets it to run the "
            "entry script (remove it, or run your own entrypoint without a source folder)"
        )
    if entry is None and spec.get("ContainerArguments") is not None:
        raise CodeError("AlgorithmSpecification.ContainerArguments is set; with a source folder smjob sets it")
    spec["ContainerEntrypoint"] = list(ENTRYPOINT)
    spec["ContainerArguments"] = arguments(settings.entry_point, settings.requirements)
    channels = out.get("InputDataConfig")
    if channels is None:
        channels = out["InputDataConfig"] = []
    if not isinstance(channels, list):
        raise CodeError("InputDataConfig must be a list to add the code channel")
    for i, channel in enumerate(channels):
        if isinstance(channel, dict) and channel.get("ChannelName") == CHANNEL:
            if not _is_ours(channel):
                raise CodeError(
                    f"InputDataConfig[{i}] is a channel named {CHANNEL!r}; the source folder needs that name "
                    "(rename your channel)"
                )
            channels[i] = code_channel(uri)
            return out
    if len(channels) >= MAX_CHANNELS:
        raise CodeError(f"InputDataConfig has {len(channels)} channels, the most a job can have; no room for the code")
    channels.append(code_channel(uri))
    return out

"""Rules on InputDataConfig channels: names, data sources, input modes, instance groups."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any

from smjob.paths import FieldPath, format_path
from smjob.problems import ERROR, WARNING
from smjob.rules.core import (
    ALGO,
    API,
    AUGMENTED_MANIFEST,
    FILE,
    GZIP,
    HETERO_URL,
    PIPE,
    RC,
    RECORDIO,
    S3_SOURCE,
    SHARDED,
    Finding,
    Rule,
    as_int,
    as_str,
    channel_label,
    channels_of,
    given,
    list_items,
    name_list,
    repeated,
    section,
    verb,
)
from smjob.schema import request_schema


@lru_cache(maxsize=1)
def data_source_kinds() -> tuple[str, ...]:
    """The alternatives a channel's DataSource offers (S3DataSource, FileSystemDataSource, ...)."""
    return tuple(m.name for m in request_schema().at(("InputDataConfig", 0, "DataSource")).members)


def _s3_source(channel: dict) -> dict:
    return section(section(channel, "DataSource"), "S3DataSource")


def input_mode(req: dict, path: FieldPath, channel: dict) -> tuple[str | None, FieldPath]:
    """The channel's effective input mode and the field it comes from: its own InputMode wins."""
    own = as_str(channel.get("InputMode"))
    if own:
        return own, path + ("InputMode",)
    return as_str(section(req, "AlgorithmSpecification").get("TrainingInputMode")), ALGO + ("TrainingInputMode",)


def _group_counts(req: dict) -> dict[str, tuple[int | None, FieldPath]]:
    """Instance group name -> (InstanceCount, its path)."""
    out: dict[str, tuple[int | None, FieldPath]] = {}
    for i, group in list_items(section(req, "ResourceConfig"), "InstanceGroups"):
        name = as_str(group.get("InstanceGroupName"))
        if name is not None and name not in out:
            out[name] = (as_int(group.get("InstanceCount")), RC + ("InstanceGroups", i, "InstanceCount"))
    return out


def instances_for(req: dict, channel: dict) -> tuple[int, tuple[FieldPath, ...]] | None:
    """How many instances receive a channel's data, and the fields that say so; None if unknown."""
    resource = section(req, "ResourceConfig")
    if given(resource, "InstanceGroups"):
        groups = _group_counts(req)
        names = _s3_source(channel).get("InstanceGroupNames")
        if isinstance(names, list) and names:
            chosen = [groups.get(n) if isinstance(n, str) else None for n in names]
        else:
            chosen = list(groups.values())
        if not chosen or any(c is None or c[0] is None for c in chosen):
            return None
        return sum(c[0] for c in chosen), tuple(c[1] for c in chosen)
    count = as_int(resource.get("InstanceCount"))
    return None if count is None else (count, (RC + ("InstanceCount",),))


def check_groups_all_or_none(req: dict) -> Iterator[Finding]:
    naming, silent = [], []
    for path, channel in channels_of(req):
        s3 = _s3_source(channel)
        if s3:
            (naming if given(s3, "InstanceGroupNames") else silent).append((path, channel))
    if not naming:
        return
    named_paths = tuple(p + S3_SOURCE + ("InstanceGroupNames",) for p, _ in naming)
    others = f"{name_list(channel_label(p, c) for p, c in naming)} {verb(len(naming), 'names', 'name')}"
    for path, channel in silent:
        yield Finding(
            path + S3_SOURCE + ("InstanceGroupNames",),
            f"{channel_label(path, channel)} has no InstanceGroupNames, but {others} instance groups; when "
            f"one channel names instance groups every channel must: add InstanceGroupNames to it.",
            named_paths,
        )


def check_group_unknown(req: dict) -> Iterator[Finding]:
    groups = section(req, "ResourceConfig").get("InstanceGroups")
    if groups is not None and not isinstance(groups, list):
        return
    defined = _group_counts(req)
    have = f"defined: {name_list(defined, 8)}" if defined else "it defines none"
    for path, channel in channels_of(req):
        names = _s3_source(channel).get("InstanceGroupNames")
        for j, name in enumerate(names if isinstance(names, list) else ()):
            if isinstance(name, str) and name not in defined:
                yield Finding(
                    path + S3_SOURCE + ("InstanceGroupNames", j),
                    f"{channel_label(path, channel)} sends data to instance group {name!r}, which "
                    f"ResourceConfig.InstanceGroups does not define ({have}): use a defined group name, "
                    f"or add the group.",
                    (RC + ("InstanceGroups",),),
                )


def check_unique_channel_names(req: dict) -> Iterator[Finding]:
    entries = ((p + ("ChannelName",), c.get("ChannelName")) for p, c in channels_of(req))
    for path, first, name in repeated(entries):
        yield Finding(
            path,
            f"Channel name {name!r} is also used by {format_path(first)}; channel names must be "
            f"unique: rename one of the channels.",
            (first,),
        )


def check_one_data_source(req: dict) -> Iterator[Finding]:
    kinds = data_source_kinds()
    for path, channel in channels_of(req):
        source = channel.get("DataSource")
        if not isinstance(source, dict):
            continue
        chosen = [k for k in kinds if given(source, k)]
        if len(chosen) == 1:
            continue
        where = path + ("DataSource",)
        if not chosen:
            yield Finding(
                where, f"{channel_label(path, channel)} has an empty DataSource: set one of {', '.join(kinds)}."
            )
        else:
            yield Finding(
                where,
                f"{channel_label(path, channel)} sets {' and '.join(chosen)} in DataSource; a channel "
                f"reads from exactly one source: keep one of them.",
                tuple(where + (k,) for k in chosen),
            )


def _mode_findings(req: dict, field: tuple, value: str, bad: Callable[[str], bool], text: str) -> Iterator[Finding]:
    """Channels whose `field` (a path below the channel) equals `value` in a mode where `bad(mode)`."""
    for path, channel in channels_of(req):
        node: Any = channel
        for step in field:
            node = node.get(step) if isinstance(node, dict) else None
        mode, mode_path = input_mode(req, path, channel)
        if node == value and mode is not None and bad(mode):
            label = channel_label(path, channel)
            yield Finding(
                path + field, text.format(channel=label, mode=mode, where=format_path(mode_path)), (mode_path,)
            )


def check_gzip_needs_pipe(req: dict) -> Iterator[Finding]:
    yield from _mode_findings(
        req,
        ("CompressionType",),
        GZIP,
        lambda mode: mode != PIPE,
        "CompressionType is Gzip, which works only in Pipe input mode, but {channel} uses {mode} mode (from "
        "{where}): set the channel's InputMode to Pipe, or store the data uncompressed and set CompressionType "
        "to None.",
    )


def check_augmented_manifest_needs_pipe(req: dict) -> Iterator[Finding]:
    yield from _mode_findings(
        req,
        S3_SOURCE + ("S3DataType",),
        AUGMENTED_MANIFEST,
        lambda mode: mode != PIPE,
        "S3DataType is AugmentedManifestFile, which needs Pipe input mode, but {channel} uses {mode} mode (from "
        "{where}): set the channel's InputMode to Pipe, or use S3Prefix or ManifestFile.",
    )


def check_recordio_not_file(req: dict) -> Iterator[Finding]:
    yield from _mode_findings(
        req,
        ("RecordWrapperType",),
        RECORDIO,
        lambda mode: mode == FILE,
        "RecordWrapperType is RecordIO, which cannot be used in File mode, and {channel} uses File mode (from "
        "{where}): set RecordWrapperType to None, or use Pipe mode.",
    )


def check_sharded_single_instance(req: dict) -> Iterator[Finding]:
    for path, channel in channels_of(req):
        if _s3_source(channel).get("S3DataDistributionType") != SHARDED:
            continue
        instances = instances_for(req, channel)
        if instances is not None and instances[0] == 1:
            yield Finding(
                path + S3_SOURCE + ("S3DataDistributionType",),
                f"{channel_label(path, channel)} shards its data by S3 key (ShardedByS3Key), but only one "
                f"instance receives it, so sharding changes nothing: use FullyReplicated, or train on "
                f"more instances.",
                instances[1],
            )


RULES: tuple[Rule, ...] = (
    Rule(
        "channel.groups-all-or-none",
        ERROR,
        "If one channel names InstanceGroupNames, all must",
        HETERO_URL,
        check_groups_all_or_none,
    ),
    Rule(
        "channel.group-unknown",
        ERROR,
        "InstanceGroupNames must name groups in ResourceConfig.InstanceGroups",
        HETERO_URL,
        check_group_unknown,
    ),
    Rule(
        "channel.unique-names",
        ERROR,
        "Channel names must be unique",
        API + "API_Channel.html",
        check_unique_channel_names,
    ),
    Rule(
        "channel.one-data-source",
        ERROR,
        "A channel's DataSource holds exactly one source",
        API + "API_DataSource.html",
        check_one_data_source,
    ),
    Rule(
        "channel.gzip-needs-pipe",
        ERROR,
        "CompressionType Gzip only in Pipe input mode",
        API + "API_Channel.html",
        check_gzip_needs_pipe,
    ),
    Rule(
        "channel.augmented-manifest-needs-pipe",
        ERROR,
        "AugmentedManifestFile only in Pipe input mode",
        API + "API_S3DataSource.html",
        check_augmented_manifest_needs_pipe,
    ),
    Rule(
        "channel.recordio-not-file",
        ERROR,
        "RecordWrapperType RecordIO not in File input mode",
        API + "API_Channel.html",
        check_recordio_not_file,
    ),
    Rule(
        "channel.sharded-single-instance",
        WARNING,
        "ShardedByS3Key on one instance does nothing",
        API + "API_S3DataSource.html",
        check_sharded_single_instance,
    ),
)

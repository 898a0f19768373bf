"""Rules on what the job reports and is labelled with: Debugger and Profiler, metrics, tags,
hyperparameters."""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Iterator
from functools import lru_cache

from smjob.paths import format_path
from smjob.problems import ERROR, WARNING
from smjob.rules.core import ALGO, API, Finding, Rule, as_int, as_str, list_items, repeated, section
from smjob.schema import request_schema
from smjob.short_cache import short_cache
from smjob.terminal_text import visible


@lru_cache(maxsize=1)
def rule_configuration_lists() -> tuple[str, ...]:
    """Top-level lists of Debugger/Profiler rule configurations (items with RuleConfigurationName)."""
    return tuple(
        m.name
        for m in request_schema().members
        if m.kind == "list" and m.item is not None and m.item.member("RuleConfigurationName")
    )


# API_ProfilerConfig.html lists these; the model has no enum for this long.
PROFILING_INTERVALS_MS = (100, 200, 500, 1000, 5000, 60000)


def check_profiling_interval(req: dict) -> Iterator[Finding]:
    interval = as_int(section(req, "ProfilerConfig").get("ProfilingIntervalInMilliseconds"))
    if interval is not None and interval not in PROFILING_INTERVALS_MS:
        allowed = ", ".join(map(str, PROFILING_INTERVALS_MS))
        yield Finding(
            ("ProfilerConfig", "ProfilingIntervalInMilliseconds"),
            f"ProfilingIntervalInMilliseconds is {interval}; the allowed values are {allowed}: pick one "
            f"of them (500 is the default).",
        )


def check_unique_rule_names(req: dict) -> Iterator[Finding]:
    for name in rule_configuration_lists():
        entries = (
            ((name, i, "RuleConfigurationName"), r.get("RuleConfigurationName")) for i, r in list_items(req, name)
        )
        for path, first, value in repeated(entries):
            yield Finding(
                path,
                f"Rule configuration name {value!r} is also used by {format_path(first)}; rule "
                f"configuration names must be unique: rename one of them.",
                (first,),
            )


def check_unique_tag_keys(req: dict) -> Iterator[Finding]:
    entries = ((("Tags", i, "Key"), t.get("Key")) for i, t in list_items(req, "Tags"))
    for path, first, key in repeated(entries):
        yield Finding(
            path,
            f"Tag key {key!r} is also used by {format_path(first)}; tag keys must be unique: "
            f"remove or rename one of the tags.",
            (first,),
        )


def check_tag_aws_prefix(req: dict) -> Iterator[Finding]:
    for i, tag in list_items(req, "Tags"):
        key = as_str(tag.get("Key"))
        if key is not None and key[:4].lower() == "aws:":
            yield Finding(
                ("Tags", i, "Key"),
                f"Tag key {key!r} starts with 'aws:', a prefix reserved for AWS: choose a key without it.",
            )


def check_metric_regex(req: dict) -> Iterator[Finding]:
    for i, metric in list_items(section(req, "AlgorithmSpecification"), "MetricDefinitions"):
        pattern = as_str(metric.get("Regex"))
        error = regex_error(pattern) if pattern else None
        if error:
            name = as_str(metric.get("Name"))
            metric = f"metric {name!r}" if name else "the metric"
            yield Finding(
                ALGO + ("MetricDefinitions", i, "Regex"),
                f"MetricDefinitions[{i}].Regex is not a valid regular expression ({visible(error)}): fix it "
                f"so SageMaker can read {metric} from the training logs.",
            )


@short_cache(maxsize=256)
def regex_error(pattern: str) -> str | None:
    """Why Python's `re` cannot compile `pattern`, or None."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # FutureWarnings about nested sets are not errors
        try:
            re.compile(pattern)
        except (re.error, RecursionError, OverflowError, ValueError) as exc:
            return str(exc)
    return None


def check_hyperparameter_strings(req: dict) -> Iterator[Finding]:
    for key, value in section(req, "HyperParameters").items():
        if isinstance(key, str) and isinstance(value, (bool, int, float)):
            kind = "boolean" if isinstance(value, bool) else "number"
            text = json.dumps(value)
            yield Finding(
                ("HyperParameters", key),
                f"{visible(format_path(('HyperParameters', key)))} is the {kind} {text}, but hyperparameter "
                f"values are strings: "
                f'write it in quotes, as "{text}".',
            )


RULES: tuple[Rule, ...] = (
    Rule(
        "profiler.interval",
        ERROR,
        "ProfilingIntervalInMilliseconds is one of 100, 200, 500, 1000, 5000, 60000",
        API + "API_ProfilerConfig.html",
        check_profiling_interval,
    ),
    Rule(
        "rule-config.unique-names",
        ERROR,
        "RuleConfigurationName must be unique within Debugger and within Profiler rules",
        API + "API_DebugRuleConfiguration.html",
        check_unique_rule_names,
    ),
    Rule("tags.unique-keys", ERROR, "Tag keys must be unique", API + "API_Tag.html", check_unique_tag_keys),
    Rule(
        "tags.aws-prefix",
        ERROR,
        "Tag keys must not start with aws:",
        "https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html",
        check_tag_aws_prefix,
    ),
    # Checked with Python's `re`; SageMaker's regex engine is not documented, so a pattern only
    # `re` rejects (e.g. \p{L}, valid in Java) is a guess: a warning.
    Rule(
        "metrics.regex",
        WARNING,
        "MetricDefinitions[i].Regex must be a valid regular expression",
        API + "API_MetricDefinition.html",
        check_metric_regex,
    ),
    Rule(
        "hyperparameters.string-values",
        ERROR,
        "HyperParameters values are strings",
        API + "API_CreateTrainingJob.html",
        check_hyperparameter_strings,
    ),
)

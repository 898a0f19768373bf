"""Cross-field rules: checks that need more than one field, declared as data.

A `Rule` names a check that reads the request and yields `Finding`s; `check_rules` turns them
into `Problem`s. Schema validation (smjob.validate) reports wrong types, limits, enums and
patterns, so every check here skips what it cannot interpret: a request with junk in it gets
schema problems, never a crash.

Field knowledge comes from the botocore model via `request_schema()`: which members hold S3
locations or instance types, which are read-only, the enum values. What the model lacks sits in
small tables, each with the AWS source it was taken from: instance hardware in smjob.instances
(read from the type's name by pattern, never by listing types), built-in algorithm limits in
`builtin`, S3 bucket naming in `s3`.

One module per area, each ending in its own `RULES`; `core` holds what they share. Adding a
rule = one check function + one `Rule` entry in its module's RULES + its cases in
tests/test_rules.py.
"""

from __future__ import annotations

import difflib
import logging
from collections.abc import Iterable
from typing import Any

# Names smjob.rules had before it used smjob.instances; kept for its callers.
from smjob.instances import is_accelerated
from smjob.instances import is_gpu as has_gpu
from smjob.instances import parse_instance_type as instance_family
from smjob.problems import WARNING, Problem
from smjob.rules import (
    algorithm,
    builtin,
    channels,
    image,
    kms,
    network,
    observability,
    placeholders,
    resources,
    s3,
    scale,
    serverless,
    stopping,
)
from smjob.rules.channels import data_source_kinds
from smjob.rules.core import (
    AUGMENTED_MANIFEST,
    EVALUATION,
    FILE,
    GZIP,
    PIPE,
    RECORDIO,
    SHARDED,
    VPC_ACCESS,
    Context,
    Finding,
    Rule,
)
from smjob.rules.observability import rule_configuration_lists
from smjob.rules.resources import has_local_storage, read_only_paths
from smjob.rules.s3 import s3_location_paths, split_s3

__all__ = [
    "AUGMENTED_MANIFEST",
    "EVALUATION",
    "FILE",
    "GZIP",
    "PIPE",
    "RECORDIO",
    "RULES",
    "SHARDED",
    "VPC_ACCESS",
    "Context",
    "Finding",
    "Rule",
    "check_rules",
    "closest_rule_ids",
    "data_source_kinds",
    "has_gpu",
    "has_local_storage",
    "instance_family",
    "is_accelerated",
    "read_only_paths",
    "rule_catalog",
    "rule_configuration_lists",
    "rule_ids",
    "s3_location_paths",
    "split_s3",
]

log = logging.getLogger(__name__)

# The order of the catalogue (`smjob rules`, docs) and of the problems each request gets.
RULES: tuple[Rule, ...] = (
    *placeholders.RULES,
    *algorithm.RULES,
    *image.RULES,
    *stopping.RULES,
    *resources.RULES,
    *channels.RULES,
    *network.RULES,
    *observability.RULES,
    *s3.RULES,
    *kms.RULES,
    *serverless.RULES,
    *builtin.RULES,
    *scale.RULES,
)


def check_rules(request: Any, rules: Iterable[Rule] | None = None, *, context: Context | None = None) -> list[Problem]:
    """Run every rule; a rule that fails becomes a warning rather than stopping the others.
    `context` (where the job goes) reaches the rules that use it."""
    if not isinstance(request, dict):
        return []  # schema validation reports a request that is not an object
    context = context or Context()
    problems: list[Problem] = []
    for rule in RULES if rules is None else rules:
        try:
            findings = list(rule.check(request, context) if rule.uses_context else rule.check(request))
        except Exception as exc:  # a bug in one rule must not hide what the others find
            log.exception("rule %s failed", rule.id)
            problems.append(
                Problem(
                    (),
                    f"Check {rule.id} failed ({type(exc).__name__}) and was skipped; please report this.",
                    WARNING,
                    rule.id,
                    (),
                    rule.doc_url,
                )
            )
            continue
        problems.extend(
            Problem(f.path, f.message, rule.severity, rule.id, tuple(f.related), rule.doc_url) for f in findings
        )
    return problems


def rule_catalog() -> list[dict]:
    """id, severity, summary and doc_url of every rule, for docs and `smjob rules`."""
    return [{"id": r.id, "severity": r.severity, "summary": r.summary, "doc_url": r.doc_url} for r in RULES]


def rule_ids() -> frozenset[str]:
    """The ids a finding can be overridden by (`validate(..., ignore_rules=)`, `--ignore-rule`)."""
    return frozenset(r.id for r in RULES)


def closest_rule_ids(text: str, n: int = 3) -> list[str]:
    """The rule ids most like `text`, for "did you mean"; ids sharing its prefix when nothing is close."""
    ids = sorted(rule_ids())
    close = difflib.get_close_matches(text, ids, n=n, cutoff=0.5)
    if close:
        return close
    prefix = text.split(".", 1)[0]
    return [i for i in ids if i.startswith(prefix + ".")][:n]

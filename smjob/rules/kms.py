"""KMS key identifiers: an ARN the model's pattern admits but KMS would not read.

The model's pattern for KmsKeyId is `[a-zA-Z0-9:/_-]*`, so a key ARN with an 11-digit account passes
it. SageMaker documents four forms (API_ResourceConfig, API_OutputDataConfig): a key ID, a key ARN
`arn:aws:kms:<region>:<account>:key/<key id>`, an alias name `alias/<name>` and an alias ARN. Only
values that start as an ARN are checked, against the ARN form, and only warned about: the model
admits them and KMS has the last word.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from smjob.javaregex import compile_java
from smjob.paths import FieldPath
from smjob.problems import WARNING
from smjob.rules.core import Finding, Rule, because, expand
from smjob.rules.placeholders import placeholders_in
from smjob.schema import request_schema

KMS_ARN = r"arn:aws[a-z\-]*:kms:[a-z0-9\-]+:[0-9]{12}:(key|alias)/[a-zA-Z0-9:/_\-]+"
KMS_EXAMPLE = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
KMS_URL = "https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-id"


@lru_cache(maxsize=1)
def kms_key_paths() -> tuple[FieldPath, ...]:
    """Every member of the model's KmsKeyId shape (the output's key, the volume's key)."""
    return tuple(path for path, node in request_schema().walk() if node.shape == "KmsKeyId")


def check_kms_key_arn(req: dict) -> Iterator[Finding]:
    for shape_path in kms_key_paths():
        for path, value in expand(req, shape_path):
            if not isinstance(value, str) or not value.startswith("arn:") or placeholders_in(value):
                continue
            if compile_java(KMS_ARN).fullmatch(value):
                continue
            from smjob.pattern_words import describe, template  # only for a bad ARN: its NFAs cost memory

            described = describe(KMS_ARN, value)
            yield Finding(
                path,
                f"{path[-1]} is not a valid KMS key ARN{because(described.problem if described else '')}; "
                f"expected {template(KMS_ARN)}, e.g. {KMS_EXAMPLE}.",
            )


RULES: tuple[Rule, ...] = (
    Rule("kms.key-arn", WARNING, "KMS key ARNs have the form KMS documents", KMS_URL, check_kms_key_arn),
)

"""What DescribeTrainingJob returns: the member names of botocore's output shape, at every depth.

Only these may be dropped from an imported response: a misspelt field (`RoleArm`) is not in the
shape, so it stays in the request and validation reports it at its path. Loading the service
model costs ~0.13 s, so the name tree is cached on disk next to the request schema's.
"""

from __future__ import annotations

import contextlib
import json
from functools import lru_cache

OPERATION = "DescribeTrainingJob"
CACHE_FORMAT = 1

# A name tree: a structure is {"m": {member: tree}}, a list {"i": tree}, a map {"v": tree}, a scalar {}.
Tree = dict


def _tree(shape, depth: int = 0) -> Tree:
    if depth > 30:  # no recursion in the model today; never loop if it gains some
        return {}
    if shape.type_name == "structure":
        return {"m": {name: _tree(member, depth + 1) for name, member in shape.members.items()}}
    if shape.type_name == "list":
        return {"i": _tree(shape.member, depth + 1)}
    if shape.type_name == "map":
        return {"v": _tree(shape.value, depth + 1)}
    return {}


def build_from_botocore() -> Tree:
    import botocore.session

    model = botocore.session.get_session().get_service_model("sagemaker")
    return _tree(model.operation_model(OPERATION).output_shape)


@lru_cache(maxsize=1)
def response_tree() -> Tree:
    """DescribeTrainingJobResponse as a name tree, from the on-disk cache when it matches botocore."""
    from smjob.files import write_atomic
    from smjob.schema import botocore_version, cache_dir

    path = cache_dir() / f"names-{OPERATION}-botocore-{botocore_version()}-v{CACHE_FORMAT}.json"
    try:
        tree = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(tree, dict) and isinstance(tree.get("m"), dict):
            return tree
    except (OSError, ValueError):
        pass  # missing or damaged: rebuild below
    tree = build_from_botocore()
    with contextlib.suppress(OSError):  # a read-only cache dir only costs speed
        write_atomic(path, json.dumps(tree, separators=(",", ":")))
    return tree


def member(tree: Tree | None, name) -> Tree | None:
    """The tree of structure member `name`, or None when the response has no such member."""
    if tree is None or not isinstance(name, str):
        return None
    return tree.get("m", {}).get(name)


def item(tree: Tree | None) -> Tree | None:
    return None if tree is None else tree.get("i")


def value(tree: Tree | None) -> Tree | None:
    return None if tree is None else tree.get("v")

"""How the request is walked in the app: friendly sections over the API's top-level members.

Only the grouping is declared here; every top-level member the model has and this table does
not name still gets a section of its own, so new botocore members appear without code.
"""

from __future__ import annotations

from dataclasses import dataclass

from smjob.problems import ERROR
from smjob.schema import Node, request_schema

GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Job", ("TrainingJobName", "RoleArn")),
    ("Algorithm", ("AlgorithmSpecification",)),
    ("Input data", ("InputDataConfig",)),
    ("Output", ("OutputDataConfig",)),
    ("Resources", ("ResourceConfig",)),
    ("Stopping", ("StoppingCondition",)),
    ("Network/VPC", ("VpcConfig", "EnableNetworkIsolation", "EnableInterContainerTrafficEncryption")),
    ("Spot/checkpoints", ("EnableManagedSpotTraining", "CheckpointConfig")),
    ("Hyperparameters", ("HyperParameters",)),
    ("Environment", ("Environment",)),
    ("Tags", ("Tags",)),
    ("Debugger", ("DebugHookConfig", "DebugRuleConfigurations")),
    ("Profiler", ("ProfilerConfig", "ProfilerRuleConfigurations")),
    ("TensorBoard", ("TensorBoardOutputConfig",)),
    ("Experiment", ("ExperimentConfig",)),
    ("Retry", ("RetryStrategy",)),
    ("MLflow", ("MlflowConfig",)),
)


@dataclass(frozen=True)
class Section:
    label: str
    members: tuple[Node, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(m.name for m in self.members)

    @property
    def key(self) -> str:
        return self.names[0]


CODE_KEY = "smjob:code"  # never an API member name (members have no colon)


@dataclass(frozen=True)
class OwnSection(Section):
    """A section of smjob's own settings (e.g. Code): no API member, stored as smjob metadata
    (smjob.overrides) and never sent; the editor builds its form itself."""

    own_key: str = ""

    @property
    def key(self) -> str:
        return self.own_key


def app_sections(root: Node | None = None) -> tuple[Section, ...]:
    """The editor's sections: the model's, with smjob's own Code section after Algorithm."""
    out = list(sections(root))
    at = next((i + 1 for i, s in enumerate(out) if s.label == "Algorithm"), len(out))
    out.insert(at, OwnSection("Code", (), own_key=CODE_KEY))
    return tuple(out)


def _label(name: str) -> str:
    """`RemoteDebugConfig` -> `Remote debug config`."""
    words, word = [], ""
    for ch in name:
        if ch.isupper() and word and not word[-1].isupper():
            words.append(word)
            word = ""
        word += ch
    words.append(word)
    if len(words) > 1 and words[-1] == "Config":  # "Remote debug", not "Remote debug config"
        words.pop()
    text = " ".join(w if w.isupper() else w.lower() for w in words)
    return text[:1].upper() + text[1:]


def sections(root: Node | None = None) -> tuple[Section, ...]:
    root = root or request_schema()
    out, claimed = [], set()
    for label, names in GROUPS:
        members = tuple(m for n in names if (m := root.member(n)) is not None)
        if members:
            out.append(Section(label, members))
            claimed.update(m.name for m in members)
    for member in root.members:
        if member.name not in claimed:
            out.append(Section(_label(member.name), (member,)))
    return tuple(out)


@dataclass(frozen=True)
class Badge:
    errors: int
    warnings: int
    is_set: bool

    @property
    def text(self) -> str:
        if self.errors:
            return f"{self.errors}✗"
        if self.warnings:
            return f"{self.warnings}!"
        return "✓" if self.is_set else "·"

    @property
    def state(self) -> str:
        return "error" if self.errors else "warning" if self.warnings else "valid" if self.is_set else "unset"


def badge(section: Section, request: dict, problems) -> Badge:
    names = set(section.names)
    errors = warnings = 0
    for problem in problems:
        if any(p and p[0] in names for p in problem.paths):
            if problem.severity == ERROR:
                errors += 1
            else:
                warnings += 1
    is_set = isinstance(request, dict) and any(n in request for n in names)
    return Badge(errors, warnings, is_set)


def section_of(path, all_sections) -> Section | None:
    if not path:
        return all_sections[0] if all_sections else None
    for section in all_sections:
        if path[0] in section.names:
            return section
    return None

"""TrainingImage: (a) the account's ECR repositories and their tags, newest first; (b) the AWS Deep
Learning Containers and built-in algorithms (smjob.catalogue): framework, version, then one line
per Python version x processor (x base framework for Hugging Face) with the URI for the job's region."""

from __future__ import annotations

from functools import cache

from textual.widgets.option_list import Option

from smjob.widgets.pickers.base import Level, PickerScreen, header, job_region, matches, note, row
from smjob.widgets.pickers.s3 import _size


@cache
def frameworks() -> tuple:
    """The catalogue's frameworks (read once: every keystroke in the filter rebuilds the list)."""
    from smjob.catalogue import frameworks as read

    return tuple(read())


def root_options(items: dict, query: str) -> list[Option]:
    options: list[Option] = []
    repos = items.get("repositories")
    shown = [r for r in repos or [] if matches(query, r.name, r.uri)]
    options.append(header("Your ECR repositories (Enter: its tags, newest first)"))
    if repos is not None and not repos:
        options.append(note("no repositories in this account and region"))
    for r in shown:
        options.append(Option(row((r.name, 40), (r.uri, None)), id=f"r:{r.name}"))
    found = frameworks()
    for kind, title in (("framework", "AWS Deep Learning Containers"), ("algorithm", "Built-in algorithms")):
        names = [f for f in found if f.kind == kind and matches(query, f.name, title)]
        if names:
            options.append(header(title))
        for f in names:
            latest = f"latest {f.versions[0]}" if f.versions else ""
            options.append(Option(row((f.name, 40), (latest, None)), id=f"f:{f.name}"))
    return options


def tag_options(items: dict, query: str) -> list[Option]:
    tags = items.get("images")
    if tags is not None and not tags:
        return [note("no tagged images in this repository")]
    return [
        Option(row((t.tag, 30), ((t.pushed or "")[:16].replace("T", " "), 18), (_size(t.size), None)), id=f"i:{t.uri}")
        for t in tags or []
        if matches(query, t.tag, t.pushed)
    ]


def version_options(framework: str, query: str) -> list[Option]:
    found = next((f for f in frameworks() if f.name == framework), None)
    versions = found.versions if found else ()
    return [Option(row((v, None)), id=f"v:{v}") for v in versions if matches(query, v)]


def combo_options(framework: str, version: str, region: str, query: str) -> list[Option]:
    """One line per (Python, processor, base framework) the data has, with the URI it gives."""
    from smjob.catalogue import CatalogueError, image_uri, options

    try:
        opts = options(framework, version)
    except CatalogueError as exc:
        return [note(str(exc))]
    options_out: list[Option] = []
    registry = ""
    for base in opts.base_frameworks or (None,):
        for py in opts.py_versions or (None,):
            for proc in opts.processors or (None,):
                try:
                    uri = image_uri(framework, region, version, py, proc, base_framework=base)
                except CatalogueError:
                    continue
                label = " ".join(x for x in (base, py, proc) if x) or "default"
                registry, _, image = uri.rpartition("/")  # the tag is what differs: show it whole
                if matches(query, label, uri):
                    options_out.append(Option(row((label, 24), (image, None)), id=f"i:{uri}"))
    if registry:
        options_out.insert(0, note(f"registry {registry}"))
    if len(options_out) <= 1:
        options_out.append(note(f"{framework} {version} has no training image in {region}"))
    return options_out


class ImagePicker(PickerScreen):
    picker_title = "Training image"
    keys_help = "↑↓ Enter open / pick"

    @property
    def job_region(self) -> str:
        return job_region(self.target)

    def root(self) -> Level:
        return Level(f"region {self.job_region}", (("repositories", {}),), root_options)

    def chosen(self, option_id: str) -> None:
        kind, _, value = option_id.partition(":")
        if kind == "r":
            self.push_level(Level(value, (("images", {"repository": value}),), tag_options))
        elif kind == "f":
            self._framework(value)
        elif kind == "v":
            framework = self.level.title
            region = self.job_region
            title = f"{framework} {value} ({region})"
            self.push_level(Level(title, (), lambda items, q: combo_options(framework, value, region, q)))
        elif kind == "i":
            self.dismiss(value)

    def _framework(self, name: str) -> None:
        found = next((f for f in frameworks() if f.name == name), None)
        if found is not None and len(found.versions) == 1:  # built-in algorithms: no version to choose
            region = self.job_region
            version = found.versions[0]
            self.push_level(
                Level(f"{name} {version} ({region})", (), lambda items, q: combo_options(name, version, region, q))
            )
            return
        self.push_level(Level(name, (), lambda items, q: version_options(name, q)))

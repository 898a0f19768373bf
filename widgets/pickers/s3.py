"""S3 URIs (channels, output, checkpoints, TensorBoard, debugger, profiler): buckets with their
region, then the prefix tree one level at a time (ListObjectsV2 with a delimiter)."""

from __future__ import annotations

from textual.widgets.option_list import Option

from smjob.widgets.pickers.base import Level, PickerScreen, header, matches, note, row

SHOWN_SIZE_WIDTH = 10


def _size(n: int | None) -> str:
    if n is None:
        return ""
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if n < 1024 or unit == "TB":
            return f"{n} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


def bucket_options(items: dict, query: str, region: str | None) -> list[Option]:
    buckets = items.get("buckets") or []
    options: list[Option] = []
    shown = [b for b in buckets if matches(query, b.name, b.region)]
    if shown:
        options.append(header(f"Buckets (the job runs in {region or 'the default region'})"))
    for b in shown:
        mark = "SageMaker default bucket" if b.is_default else ""
        if b.other_region:
            mark = (mark + " · " if mark else "") + "other region"
        options.append(Option(row((b.name + "/", 40), (b.region or "region ?", 14), mark=mark), id=f"b:{b.name}"))
    if buckets and not shown:
        options.append(note(f"none of {len(buckets)} buckets match"))
    return options


def listing_options(items: dict, query: str, uri: str) -> list[Option]:
    # Filtered like the rest: typing a prefix's name and Enter opens it, not "Use" above it.
    options = [Option(row((f"Use {uri}", None), style="bold"), id="use:")] if matches(query, uri) else []
    listings = items.get("objects") or []
    if not listings:
        return options
    listing = listings[0]
    more = "+" if listing.truncated else ""
    prefixes = [p for p in listing.prefixes if matches(query, p)]
    if prefixes:
        options.append(header(f"{len(listing.prefixes)}{more} prefixes (Enter opens)"))
    for p in prefixes:
        options.append(Option(row((p[len(listing.prefix) :], None)), id=f"p:{p}"))
    objects = [o for o in listing.objects if matches(query, o.key)]
    if listing.object_count:
        first = f" (the first {len(listing.objects)})" if len(listing.objects) < listing.object_count else ""
        count = f"{listing.object_count}{more} object{'s' if listing.object_count != 1 else ''}"
        options.append(header(f"{count} here{first}"))
    for o in objects:
        name = o.key[len(listing.prefix) :]
        options.append(
            Option(
                row((name, 44), (_size(o.size), SHOWN_SIZE_WIDTH), ((o.modified or "")[:16].replace("T", " "), None)),
                id=f"o:{o.key}",
            )
        )
    if not listing.prefixes and not listing.object_count:
        options.append(note("empty: nothing under this prefix yet (fine for an output path)"))
    return options


class S3Picker(PickerScreen):
    picker_title = "S3 location"
    keys_help = "↑↓ Enter open / pick"

    def root(self) -> Level:
        region = self.target.region if self.target else None
        return Level("buckets", (("buckets", {}),), lambda items, q: bucket_options(items, q, region))

    def opened(self) -> None:
        start = _start_uri(self.current)
        if start is not None:
            self.push_level(self._listing(start))

    def _listing(self, uri: str) -> Level:
        return Level(uri, (("objects", {"uri": uri}),), lambda items, q: listing_options(items, q, uri))

    def chosen(self, option_id: str) -> None:
        kind, _, value = option_id.partition(":")
        if kind == "b":
            self.push_level(self._listing(f"s3://{value}/"))
        elif kind == "p":
            self.push_level(self._listing(f"s3://{self._bucket()}/{value}"))
        elif kind == "o":
            self.dismiss(f"s3://{self._bucket()}/{value}")
        elif kind == "use":
            self.dismiss(self.level.title)

    def action_back(self) -> None:
        """Up one prefix, also from where the picker opened (the field's folder)."""
        bucket, _, prefix = (
            self.level.title[5:].partition("/") if self.level.title.startswith("s3://") else ("", "", "")
        )
        if prefix:
            up = prefix.rstrip("/").rpartition("/")[0]
            parent = f"s3://{bucket}/{up + '/' if up else ''}"
            if len(self.levels) < 2 or self.levels[-2].title != parent:
                self.levels.pop()
                self.push_level(self._listing(parent))
                return
        super().action_back()

    def _bucket(self) -> str:
        return self.level.title[5:].partition("/")[0]


def _start_uri(current) -> str | None:
    """The folder of the field's value (s3://b/x/y -> s3://b/x/), to open the picker there."""
    if not isinstance(current, str) or not current.startswith("s3://") or "<" in current:
        return None
    bucket, _, key = current[5:].partition("/")
    if not bucket:
        return None
    folder = key[: key.rfind("/") + 1] if "/" in key else ""
    return f"s3://{bucket}/{folder}"

"""`smjob resources ...` (what the pickers show, headless) and `smjob defaults list|set|unset`.

Exit codes as the other AWS commands: 0 ok, 2 an AWS error (the message says why and what to do);
1 for an image combination the SDK's data does not have, or a bad defaults path.
"""

from __future__ import annotations

import json
import sys

from smjob.cli.main import target_from
from smjob.terminal_text import visible

EXIT_OK, EXIT_INVALID, EXIT_AWS_ERROR = 0, 1, 2

KINDS = ("roles", "buckets", "objects", "images", "subnets", "security-groups", "kms-keys")


def add_resources_commands(sub) -> None:
    from smjob.cli.main import add_target_options

    p = sub.add_parser("resources", help="list what the account has: roles, buckets, images, subnets, keys")
    kinds = p.add_subparsers(dest="kind", required=True, metavar="KIND")
    for kind in KINDS:
        k = kinds.add_parser(kind, help=_HELP[kind])
        if kind == "objects":
            k.add_argument("uri", metavar="S3URI", help="s3://bucket/prefix/ (one level is listed)")
        if kind == "images":
            k.add_argument("--framework", help="a DLC or built-in algorithm (catalogue); `list` lists them")
            k.add_argument("--version", help="framework version (alias or full)")
            k.add_argument("--py", dest="py_version", help="Python version, e.g. py312")
            k.add_argument("--processor", choices=("cpu", "gpu", "neuron"))
            k.add_argument("--base-framework", help="Hugging Face: e.g. pytorch2.8.0")
            k.add_argument("--repository", help="ECR: only this repository's tags")
        k.add_argument("--json", action="store_true", help="machine-readable output")
        k.add_argument("--refresh", action="store_true", help="ask AWS again instead of using the cache")
        add_target_options(k)
        k.set_defaults(func=cmd_resources)

    p = sub.add_parser("defaults", help="smjob's own per-profile defaults for a new job")
    acts = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    a = acts.add_parser("list", help="the defaults stored, and the SDK config.yaml files found")
    a.add_argument("--profile", help="only this profile's")
    a.set_defaults(func=cmd_defaults)
    a = acts.add_parser("set", help="PATH VALUE (VALUE as JSON if it parses, else text)")
    a.add_argument("path", metavar="PATH", help="e.g. ResourceConfig.InstanceType or Tags")
    a.add_argument("value", metavar="VALUE")
    a.add_argument("--profile", help="the AWS profile it applies to (default: all)")
    a.set_defaults(func=cmd_defaults)
    a = acts.add_parser("unset", help="PATH")
    a.add_argument("path", metavar="PATH")
    a.add_argument("--profile")
    a.set_defaults(func=cmd_defaults)


_HELP = {
    "roles": "IAM roles; those SageMaker can assume first, the others with the reason",
    "buckets": "S3 buckets with their regions; the SDK's default bucket first",
    "objects": "one level of a bucket: prefixes, a few objects and counts",
    "images": "training images: the DLC / algorithm catalogue (--framework) or the account's ECR",
    "subnets": "subnets: VPC, availability zone, free IP addresses",
    "security-groups": "security groups: VPC and name",
    "kms-keys": "KMS keys with their aliases and state",
}


def _out(text: str = "") -> None:
    print(visible(text))


def cmd_resources(args) -> int:
    from smjob.aws.errors import AwsError

    if args.kind == "images" and args.framework:
        return _catalogue(args)
    try:
        if args.kind == "images":
            return _ecr(args)
        params = {"uri": args.uri} if args.kind == "objects" else {}
        if args.kind == "objects":
            from smjob.resources import parse_s3_uri

            try:
                parse_s3_uri(args.uri)
            except ValueError as exc:
                print(f"error: {visible(str(exc))}", file=sys.stderr)
                return EXIT_INVALID
        from smjob.resources import lookup

        result = lookup(args.kind, target_from(args), refresh=args.refresh, **params)
    except AwsError as exc:
        print(f"error: {visible(exc.message)}", file=sys.stderr)
        return EXIT_AWS_ERROR
    if args.json:
        print(json.dumps(_as_json(result)))
        return EXIT_OK
    _print_header(result)
    PRINTERS[args.kind](result.items)
    return EXIT_OK


def _as_json(result) -> dict:
    from dataclasses import asdict

    return {
        "kind": result.kind,
        "account": result.account,
        "region": result.region,
        "fetched": result.fetched,
        "from_cache": result.from_cache,
        "items": [asdict(i) for i in result.items],
    }


def _print_header(result) -> None:
    where = f"account {result.account}, {result.region or 'no region'}"
    age = f"cached, fetched {result.age}" if result.from_cache else "fresh"
    print(visible(f"# {result.kind}: {len(result.items)} ({where}; {age})"), file=sys.stderr)


def _roles(items) -> None:
    for r in items:
        mark = "✓" if r.trusts_sagemaker else "✗"
        note = f"  ({r.reason})" if r.reason else ""
        _out(f"{mark} {r.arn}{note}")


def _buckets(items) -> None:
    for b in items:
        notes = [n for n, on in (("SageMaker default", b.is_default), ("other region", b.other_region)) if on]
        _out(f"{b.name:<50} {b.region or '?':<16} {', '.join(notes)}".rstrip())


def _objects(items) -> None:
    for listing in items:
        base = f"s3://{listing.bucket}/"
        for prefix in listing.prefixes:
            _out(f"{base}{prefix}")
        for o in listing.objects:
            _out(f"{base}{o.key}  {o.size:,} B")
        more = "+" if listing.truncated else ""
        hidden = listing.object_count - len(listing.objects)
        extra = f" ({hidden} more not shown)" if hidden > 0 else ""
        _out(f"# {len(listing.prefixes)}{more} prefixes, {listing.object_count}{more} objects{extra}")


def _subnets(items) -> None:
    for s in items:
        _out(f"{s.id:<26} {s.vpc_id:<23} {s.availability_zone:<12} {s.free_ips:>6} free  {s.name or ''}".rstrip())


def _groups(items) -> None:
    for g in items:
        _out(f"{g.id:<22} {g.vpc_id or '-':<23} {g.name}")


def _keys(items) -> None:
    for k in items:
        aliases = ", ".join(k.aliases) or "(no alias)"
        _out(f"{k.arn}  {k.state or '?'}  {k.manager or ''}  {aliases}")


PRINTERS = {
    "roles": _roles,
    "buckets": _buckets,
    "objects": _objects,
    "subnets": _subnets,
    "security-groups": _groups,
    "kms-keys": _keys,
}


def _ecr(args) -> int:
    from smjob.resources import lookup

    target = target_from(args)
    if args.repository:
        names = [args.repository]
        repos = None
    else:
        repos = lookup("repositories", target, refresh=args.refresh)
        names = [r.name for r in repos.items]
    tags = {name: lookup("images", target, refresh=args.refresh, repository=name) for name in names}
    if args.json:
        print(json.dumps({"kind": "images", "repositories": {n: _as_json(r) for n, r in tags.items()}}))
        return EXIT_OK
    if repos is not None:
        _print_header(repos)
    for name, result in tags.items():
        _out(f"{name}: {len(result.items)} tags")
        for tag in result.items:
            _out(f"  {tag.uri}  {tag.pushed or ''}".rstrip())
    return EXIT_OK


def _catalogue(args) -> int:
    from smjob import catalogue
    from smjob.aws.clients import resolve

    cat = catalogue.catalogue()
    source = f"sagemaker-core {cat.source.version} ({cat.source.where})"
    try:
        if args.framework == "list":
            found = catalogue.frameworks(cat)
            if args.json:
                print(json.dumps({"source": source, "frameworks": [f.__dict__ for f in found]}))
            else:
                for f in found:
                    _out(
                        f"{f.name:<26} {f.kind:<10} {', '.join(f.versions[:6])}{' ...' if len(f.versions) > 6 else ''}"
                    )
            return EXIT_OK
        if not args.version:
            versions = next((f.versions for f in catalogue.frameworks(cat) if f.name == args.framework), None)
            if versions is None:
                catalogue.image_uri(args.framework, "us-east-1", cat=cat)  # raises with the list
            opts = [catalogue.options(args.framework, v, cat) for v in versions]
            if args.json:
                print(json.dumps({"source": source, "options": [o.__dict__ for o in opts]}, default=list))
            else:
                for o in opts:
                    bases = f"  {', '.join(o.base_frameworks)}" if o.base_frameworks else ""
                    _out(f"{o.version:<14} {','.join(o.py_versions) or '-':<22} {','.join(o.processors) or '-'}{bases}")
            return EXIT_OK
        region = args.region or resolve(target_from(args)).region
        if not region:
            print("error: no AWS region is set: pass --region (images live in each region's registry)", file=sys.stderr)
            return EXIT_AWS_ERROR
        uri = catalogue.image_uri(
            args.framework,
            region,
            args.version,
            args.py_version,
            args.processor,
            base_framework=args.base_framework,
            cat=cat,
        )
    except catalogue.CatalogueError as exc:
        print(f"error: {visible(str(exc))}", file=sys.stderr)
        return EXIT_INVALID
    if args.json:
        print(json.dumps({"source": source, "uri": uri, "region": region}))
    else:
        _out(uri)
    return EXIT_OK


def cmd_defaults(args) -> int:
    from smjob import sdk_config, user_defaults

    try:
        if args.action == "set":
            value = user_defaults.parse_value(args.value)
            key, note = user_defaults.set_default(args.path, value, args.profile)
            if note:
                print(f"smjob: {visible(note)}", file=sys.stderr)
            _out(f"{args.profile or user_defaults.DEFAULT_PROFILE}: {key} = {json.dumps(value)}")
            return EXIT_OK
        if args.action == "unset":
            if not user_defaults.unset_default(args.path, args.profile):
                print(f"error: no default for {visible(args.path)}", file=sys.stderr)
                return EXIT_INVALID
            return EXIT_OK
        for profile, values in user_defaults.listing(args.profile).items():
            for key, value in values.items():
                _out(f"{profile}: {key} = {json.dumps(value)}")
    except (user_defaults.DefaultsError, OSError) as exc:  # OSError: smjob.files.UnreadableFile names the file
        print(f"error: {visible(str(exc))}", file=sys.stderr)
        return EXIT_INVALID
    sdk = sdk_config.load()
    for cf in sdk_config.config_files():
        used = "used" if {cf.path, f"{cf.path.rstrip('/')}/config.yaml"} & set(sdk.files) else "not used"
        _out(f"# SDK {cf.role} config: {cf.path} ({used})")
    for path, value in sdk.values.items():
        _out(f"sdk: {'.'.join(map(str, path))} = {json.dumps(value)}  (from {sdk.sources[path]})")
    for message in sdk.messages:
        print(visible(f"warning: {message}"), file=sys.stderr)
    return EXIT_OK


def new_job(args) -> int:
    """`smjob new` without --example: the skeleton with the SDK's config.yaml and smjob's defaults."""
    import os

    from smjob.cli.main import write_output
    from smjob.user_defaults import new_job as make

    job = make(getattr(args, "profile", None) or os.environ.get("AWS_PROFILE"))
    for message in job.messages:
        print(visible(f"warning: {message}"), file=sys.stderr)
    for note in job.notes:
        print(visible(f"filled {note}"), file=sys.stderr)
    return write_output(job.request, args.to, args.output, force=args.force)

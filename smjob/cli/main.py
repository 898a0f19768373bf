"""The `smjob` command line: headless subcommands (Textual is never loaded for them); `smjob`, `edit` and
`demo` open the editor that the console script hands in."""

from __future__ import annotations

import argparse
import json
import sys

EXIT_VALID, EXIT_INVALID, EXIT_UNREADABLE = 0, 1, 2


def print_rendered(text: str) -> None:
    """A rendering on stdout ends with a newline, like every line a shell prints: the CLI format has
    none of its own (it is copied to the clipboard as is). A text that has one is not given a second."""
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def write_output(
    request: dict, fmt: str, out: str | None, *, force: bool = False, history=None, ignore_rules=()
) -> int:
    """The request to stdout, or exported to `out` (smjob.workflows.exporting: a CLI script with its
    JSON beside it when it needs one, modes kept or 0644/0755). A file written beside `out` that
    exists already is replaced only with --force: nothing is written and 2 is returned."""
    from smjob.render import render

    if not out:
        print_rendered(render(request, fmt))
        return EXIT_VALID
    from smjob.workflows.exporting import plan_export, write_export

    try:
        plan = plan_export(request, fmt, out)
        taken = [p for p in plan.companions if p in plan.existing]
        if taken and not force:
            names = ", ".join(str(p) for p in taken)
            print(
                f"error: {plan.path} reads its request from {names} beside it, which exists; "
                "nothing was written (--force replaces it)",
                file=sys.stderr,
            )
            return EXIT_UNREADABLE
        result = write_export(plan, history, ignore_rules=ignore_rules)
    except (OSError, ValueError) as exc:
        print(f"error: could not write {out}: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if len(result.written) > 1:
        print("wrote " + " and ".join(str(p) for p in result.written), file=sys.stderr)
    return EXIT_VALID


def load_or_report(path: str):
    """The loaded request, or None after printing `file:line:col: message` to stderr."""
    from smjob.load import LoadError, load_file

    try:
        return load_file(path)
    except LoadError as exc:
        from smjob.terminal_text import visible

        print(visible(str(exc)), file=sys.stderr)  # the message quotes the file's own keys and values
        return None


def cmd_validate(args) -> int:
    from smjob.cli.code_commands import apply_overrides, check_set_syntax
    from smjob.cli.overrides import ignored_rule_ids, report_unknown_rules
    from smjob.load import LoadError, load_file
    from smjob.problems import has_errors
    from smjob.validate import validate

    if report_unknown_rules(args) or not check_set_syntax(args):
        return EXIT_UNREADABLE
    worst = EXIT_VALID
    report = []
    for name in args.files:
        try:
            loaded = load_file(name)
        except LoadError as exc:
            report.append({"file": name, "readable": False, "error": str(exc), "problems": []})
            worst = max(worst, EXIT_UNREADABLE)
            continue
        request = apply_overrides(loaded.request, args)  # --set, --fresh-name
        if request is None:
            return EXIT_UNREADABLE
        checked = validate(request, region=args.region, ignore_rules=ignored_rule_ids(args))
        problems = list(loaded.notes) + checked
        invalid = has_errors(problems)
        worst = max(worst, EXIT_INVALID if invalid else EXIT_VALID)
        report.append(
            {"file": name, "readable": True, "valid": not invalid, "problems": problems, "ignored": checked.ignored}
        )
    if args.json:
        as_dicts = [e | {k: [p.to_dict() for p in e[k]] for k in ("problems", "ignored") if k in e} for e in report]
        print(json.dumps(as_dicts, indent=2, ensure_ascii=False))
        return worst
    from smjob.terminal_text import visible  # paths and messages quote the file's keys and values

    for entry in report:
        if not entry["readable"]:
            print(visible(entry["error"]), file=sys.stderr)
            continue
        errors = sum(p.severity == "error" for p in entry["problems"])
        warnings = len(entry["problems"]) - errors
        verdict = "valid" if entry["valid"] else "invalid"
        print(visible(f"{entry['file']}: {verdict} ({errors} error(s), {warnings} warning(s))"))
        for p in entry["problems"]:
            print(visible(f"  {p}"))  # severity: the path named once, the message [rule]
        for p in entry["ignored"]:
            print(visible(f"  ignored {p}"))
    return worst


def cmd_render(args) -> int:
    from smjob.cli.code_commands import apply_overrides, check_set_syntax
    from smjob.cli.overrides import ignored_rule_ids, report_unknown_rules
    from smjob.render import render

    if report_unknown_rules(args) or not check_set_syntax(args):
        return EXIT_UNREADABLE
    loaded = load_or_report(args.file)
    if loaded is None:
        return EXIT_UNREADABLE
    from smjob.terminal_text import visible

    for note in loaded.notes:
        print(visible(f"note: {note.where}: {note.message}"), file=sys.stderr)
    request = apply_overrides(loaded.request, args)  # --set, --fresh-name
    if request is None:
        return EXIT_UNREADABLE
    from smjob.cli.code_commands import code_settings, render_with_code

    code, ok = code_settings(args)
    if not ok:
        return EXIT_UNREADABLE
    if code is not None:  # the completed request; an export uploads now or syncs in its script
        return render_with_code(args, request, code)
    if not args.output:
        print_rendered(render(request, args.to))
        return 0
    history = open_history()  # an export, recorded like F10's in the app
    try:
        return write_output(
            request, args.to, args.output, force=args.force, history=history, ignore_rules=ignored_rule_ids(args)
        )
    finally:
        if history is not None:
            history.close()


def open_history():
    """The history store, or None (with a warning) when it cannot be opened: a submission or an
    export must not fail because its record cannot be written."""
    import sqlite3

    from smjob.history import History

    try:
        return History()
    except (OSError, sqlite3.Error, RuntimeError) as exc:
        print(f"warning: the history is unavailable ({exc}); nothing will be recorded", file=sys.stderr)
        return None


def cmd_skeleton(args) -> int:
    from smjob.skeleton import skeleton

    return write_output(skeleton(), args.to, args.output, force=args.force)


def cmd_fields(args) -> int:
    from smjob.paths import format_path, parse_path
    from smjob.schema import request_schema

    root = request_schema()
    prefix = parse_path(args.path) if args.path else ()
    node = root.at(prefix)
    if node is None:
        print(f"no field {args.path!r}; try `smjob fields` for the whole tree", file=sys.stderr)
        return EXIT_UNREADABLE
    for path, sub in node.walk(prefix):
        if not path:
            continue
        mark = "*" if sub.required else " "
        print(f"{mark} {format_path(path):<70} {sub.constraint_text()}")
        if args.docs and sub.doc:
            for line in sub.doc.splitlines():
                print(f"      {line}")
    return 0


def cmd_new(args) -> int:
    from smjob.examples import load_example, names

    if args.list:
        print("\n".join(names()))
        return 0
    if not args.example:  # a new job: the skeleton with the SDK's config.yaml and smjob's defaults
        from smjob.cli.resources_commands import new_job

        return new_job(args)
    try:
        request = load_example(args.example)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return EXIT_UNREADABLE
    return write_output(request, args.to, args.output, force=args.force)


def cmd_rules(args) -> int:
    from smjob.rules import rule_catalog

    for rule in rule_catalog():
        print(f"{rule['id']:<40} {rule['severity']:<8} {rule['summary']}")
    return 0


def _run_app(request: dict, source: str | None, notes=(), args=None) -> int:
    open_app = getattr(args, "open_app", None)
    if open_app is None:
        print("smjob: this entry point has no editor; run the `smjob` command", file=sys.stderr)
        return EXIT_UNREADABLE
    return open_app(request, source, list(notes), args)


def cmd_app(args) -> int:
    from smjob.cli.drafts_commands import latest_for_app

    draft, notes = latest_for_app()
    if draft is not None:
        args.draft_id = draft.id  # the app autosaves back into it
        args.draft_code = draft.code  # its Code settings (smjob metadata)
        args.draft_meta = draft.meta  # and the rest: rule overrides, keys a newer smjob wrote
        args.draft_digest = draft.digest  # what it held: another smjob's later save is never written over
        return _run_app(draft.request, "restored draft", notes, args=args)
    return _run_app(*_new_job(args, notes), args=args)


def _new_job(args, notes) -> tuple:
    """Plain `smjob` with no draft: the app's New job (smjob defaults, then the SDK's config.yaml);
    the launcher shows each filled field's source in the form."""
    import os
    from types import SimpleNamespace

    from smjob.user_defaults import new_job

    job = new_job(getattr(args, "profile", None) or os.environ.get("AWS_PROFILE"))
    args.field_sources = job.sources
    notes = [*notes, *(SimpleNamespace(where="new job", message=m) for m in job.messages)]
    return job.request, "new job", notes


def cmd_edit(args) -> int:
    loaded = load_or_report(args.file)
    if loaded is None:
        return EXIT_UNREADABLE
    return _run_app(loaded.request, args.file, loaded.notes, args)


def cmd_demo(args) -> int:
    from smjob.examples import load_example

    return _run_app(load_example(args.example), f"example {args.example}", args=args)


APP_COMMANDS = ("edit", "demo")


def opens_the_app(argv: list[str]) -> bool:
    """`smjob`, `smjob demo ...`, `smjob edit FILE ...`: the first word is an app command or absent
    (and no --help). Anything else gets the full parser, whose errors and help list every command."""
    if "-h" in argv or "--help" in argv:
        return False
    first_word = next((a for a in argv if not a.startswith("-")), None)
    return first_word is None or first_word in APP_COMMANDS


def add_target_options(p) -> None:
    g = p.add_argument_group("AWS target (defaults: the usual AWS_PROFILE / AWS_REGION / AWS_ENDPOINT_URL)")
    g.add_argument("--profile", help="AWS profile name")
    g.add_argument("--region", help="AWS region, e.g. us-east-1")
    g.add_argument(
        "--endpoint-url",
        type=_endpoint_url,
        help="another SageMaker endpoint (http or https), e.g. a local moto server",
    )


def target_from(args):
    """The AWS target that add_target_options' flags name."""
    from smjob.aws.target import Target

    return Target(args.profile, args.region, args.endpoint_url)


def _endpoint_url(text: str) -> str:
    from smjob.workflows.options import OptionError, check_endpoint_url

    try:
        return check_endpoint_url(text)
    except OptionError as exc:  # argparse: the message, usage and exit 2, no traceback
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_output_options(p) -> None:
    from smjob.render import FORMATS

    p.add_argument("--to", choices=FORMATS, default="json")
    p.add_argument(
        "-o",
        "--output",
        help="write to this file (atomically) instead of stdout; a CLI script may get its JSON beside it",
    )
    p.add_argument("--force", action="store_true", help="replace the JSON written beside a CLI script if it exists")


def build_parser(*, app_only: bool = False) -> argparse.ArgumentParser:
    """The whole command line; `app_only` builds just what opening the app needs, because the
    headless commands' parsers and the AWS module cost ~8 ms of the app's cold start."""
    parser = argparse.ArgumentParser(
        prog="smjob", description="Build, check, export and submit SageMaker CreateTrainingJob requests."
    )
    add_target_options(parser)  # for the app itself: `smjob --profile p`
    sub = parser.add_subparsers(dest="command")
    if not app_only:
        _add_headless_commands(sub)
    _add_app_commands(sub)
    if not app_only:
        from smjob.cli.aws_commands import add_aws_commands

        sub.add_parser("rules", help="list the cross-field rules").set_defaults(func=cmd_rules)
        add_aws_commands(sub)
        from smjob.cli.code_commands import add_logs_commands

        add_logs_commands(sub)
        from smjob.cli.drafts_commands import add_drafts_command

        add_drafts_command(sub)
        from smjob.cli.resources_commands import add_resources_commands

        add_resources_commands(sub)
        from smjob.cli.reality_commands import add_reality_commands

        add_reality_commands(sub)
    return parser


def _add_headless_commands(sub) -> None:
    from smjob.cli.code_commands import add_render_code_options, add_set_options
    from smjob.cli.overrides import add_ignore_rule_option

    p = sub.add_parser("validate", help="check request files (exit 0 valid, 1 invalid, 2 unreadable)")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--region", help="the region the job goes to: a warning when the image's ECR region differs")
    add_ignore_rule_option(p)
    add_set_options(p)
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("render", help="print a request as JSON, YAML, an AWS CLI command or Python")
    p.add_argument("file", metavar="FILE")
    add_output_options(p)
    add_ignore_rule_option(p)
    add_set_options(p)
    add_render_code_options(p)
    p.set_defaults(func=cmd_render)

    p = sub.add_parser("skeleton", help="a template that is valid once its <placeholders> are filled")
    add_output_options(p)
    p.set_defaults(func=cmd_skeleton)

    p = sub.add_parser("fields", help="the request's fields with their constraints, from botocore")
    p.add_argument("path", nargs="?", help="e.g. ResourceConfig or InputDataConfig[0].DataSource")
    p.add_argument("--docs", action="store_true", help="include each field's documentation")
    p.set_defaults(func=cmd_fields)

    p = sub.add_parser("new", help="a new job (with your defaults), or an example request")
    p.add_argument("--example", help="example name (see --list)")
    p.add_argument("--profile", help="whose `smjob defaults` apply (default: AWS_PROFILE)")
    p.add_argument("--list", action="store_true")
    add_output_options(p)
    p.set_defaults(func=cmd_new)


def _add_app_commands(sub) -> None:
    p = sub.add_parser("edit", help="open a JSON/YAML request in the editor")
    p.add_argument("file", metavar="FILE")
    add_target_options(p)
    p.set_defaults(func=cmd_edit)

    p = sub.add_parser("demo", help="open the editor on an example job")
    p.add_argument("--example", default="pytorch-gpu")
    p.add_argument("--local", action="store_true", help="submit to a local moto endpoint started for the session")
    add_target_options(p)
    p.set_defaults(func=cmd_demo)


# --- AWS: submit, status, history, clone ---------------------------------------------------
# Exit codes: 0 done (with --wait: the job Completed); 1 the request is invalid, or with --wait
# the job Failed or was Stopped; 2 the file is unreadable or AWS returned an error (the message
# says what to do); 3 the training job name is already taken.


def main(argv: list[str] | None = None, *, open_app=None) -> int:
    """`open_app(request, source, notes, args) -> exit status` opens the editor, for `smjob`, `edit`
    and `demo`; without it only the headless commands work."""
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(app_only=opens_the_app(argv))
    args = parser.parse_args(argv)
    args.open_app = open_app  # handed in by the console script (smjob.tui.launch): the engine never imports the UI
    if args.command is None:
        return cmd_app(args)
    from smjob.cli.pipes import guarded_output

    try:
        with guarded_output():
            return args.func(args)
    except KeyboardInterrupt:
        return 130
    except OSError as exc:
        from smjob.history import HistoryUnavailable

        if not isinstance(exc, HistoryUnavailable):
            raise
        from smjob.terminal_text import visible

        print(f"smjob: {visible(str(exc))}", file=sys.stderr)
        return EXIT_UNREADABLE


if __name__ == "__main__":
    sys.exit(main())

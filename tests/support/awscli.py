"""awscli v1's own argument parser, run in-process: the oracle for rendered CLI commands.

A `before-parameter-build` handler records the parameters botocore would receive and stops the
call before validation, signing or any network access, so requests need not be valid, only
correctly typed. Paramfile loading (`file://`, `http://`, ...) is trapped: the CLI trying to read
a file or URL not in `allowed_files` fails the test. The `aws` fixture (tests/conftest.py) sets
dummy credentials and no config file around it.
"""

from __future__ import annotations

import contextlib
import copy
import io

OPERATION = ("sagemaker", "create-training-job")


class _Captured(Exception):
    """Raised from before-parameter-build to stop the CLI once the params are known."""


class AwsCli:
    """awscli v1's driver, run in-process with the API call stubbed out."""

    def __init__(self, allowed_files: set[str]):
        # isort: off
        from awscli.clidriver import create_clidriver  # first: importing paramfile alone hits an import cycle
        from awscli import paramfile
        # isort: on

        self.allowed_files = allowed_files
        self.paramfile_attempts: list[str] = []
        self._paramfile = paramfile
        self._saved = (dict(paramfile.LOCAL_PREFIX_MAP), dict(paramfile.REMOTE_PREFIX_MAP))
        # The CLI copies these maps when its session initializes, so patch them first.
        for table in (paramfile.LOCAL_PREFIX_MAP, paramfile.REMOTE_PREFIX_MAP):
            for prefix, (func, kwargs) in list(table.items()):
                table[prefix] = (self._guard(func), kwargs)
        self.driver = create_clidriver()
        # main() calls session.set_stream_logger('awscli', ...) every time, which adds one more
        # handler to the 'awscli' logger per call and sets it to DEBUG: thousands of calls then
        # crawl and pytest's log capture swells to gigabytes. Logging is no part of the oracle.
        self.driver.session.set_stream_logger = lambda *args, **kwargs: None
        self.driver.session.register("before-parameter-build.sagemaker.CreateTrainingJob", self._capture)
        self._params = None
        # main() also emits session-initialized every time, and its handlers register the
        # paramfile handler (and others) again: one more copy per call. Let the first call
        # initialize the session as the real CLI does, then stop re-initializing.
        self.parse(
            [
                "sagemaker",
                "create-training-job",
                "--training-job-name",
                "warm-up",
                "--role-arn",
                "r",
                "--output-data-config",
                "S3OutputPath=s3://b/",
            ]
        )
        self.driver._emit_session_event = lambda parsed_args: None
        self._cache_parsers()

    def _cache_parsers(self) -> None:
        """Build the three argparse parsers of `aws sagemaker create-training-job` once, not per call.

        main() builds them afresh on every call from command and argument tables it already keeps
        (~60 % of a parse). argparse parsers hold no per-parse state (each parse gets a new
        Namespace), so reuse cannot carry one request into the next. The one thing that can change
        between calls is the arg table's `required` flags: --cli-input-json clears them before the
        operation parser is built, so that parser is cached per state of those flags and built the
        way main() builds it. tests/test_differential.py checks a sample against fresh parsers.
        """
        service = self.driver._get_command_table()[OPERATION[0]]
        operation = service._get_command_table()[OPERATION[1]]
        top = self.driver._create_parser(self.driver._get_command_table())
        service_parser = service._create_parser()
        by_flags: dict[tuple, object] = {}
        build, add_help = operation._create_operation_parser, operation._add_help

        def operation_parser(arg_table):
            key = tuple((name, id(arg), arg.required) for name, arg in arg_table.items())
            if key not in by_flags:
                by_flags[key] = parser = build(arg_table)
                add_help(parser)  # main() adds the `help` positional to each new parser
            return by_flags[key]

        # invoke() creates a botocore client per call (~10 ms, most of a parse that goes that far).
        # A client keeps no parameters between calls; its copy of the session's handlers is taken
        # at creation, after __init__ registered the capture.
        create_client, clients = self.driver.session.create_client, {}

        def client(service_name, **kwargs):
            key = (service_name, repr(sorted(kwargs.items())))
            if key not in clients:
                clients[key] = create_client(service_name, **kwargs)
            return clients[key]

        self._cached = [
            (self.driver.session, "create_client", client),
            (self.driver, "_create_parser", lambda command_table: top),
            (service, "_create_parser", lambda: service_parser),
            (operation, "_create_operation_parser", operation_parser),
            (operation, "_add_help", lambda parser: None),
        ]
        for obj, name, func in self._cached:
            setattr(obj, name, func)  # instance attributes shadow the methods

    @contextlib.contextmanager
    def fresh_parsers(self):
        """Parse as the real CLI does, building every parser and client anew (the caches' reference)."""
        for obj, name, _ in self._cached:
            delattr(obj, name)
        try:
            yield
        finally:
            for obj, name, func in self._cached:
                setattr(obj, name, func)

    def close(self) -> None:
        local, remote = self._saved
        self._paramfile.LOCAL_PREFIX_MAP.update(local)
        self._paramfile.REMOTE_PREFIX_MAP.update(remote)

    def _guard(self, func):
        def guarded(prefix, path, **kwargs):
            if path[len(prefix) :] in self.allowed_files:
                return func(prefix, path, **kwargs)
            self.paramfile_attempts.append(path)
            raise RuntimeError(f"the AWS CLI tried to load {path!r}")

        return guarded

    def _capture(self, params, **kwargs):
        self._params = copy.deepcopy(params)
        raise _Captured("captured")

    def parse(self, argv: list[str]) -> dict:
        """The parameters the CLI would send for `aws <argv>`; fails on any CLI error."""
        self._params = None
        self.paramfile_attempts.clear()
        err, out = io.StringIO(), io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            rc = self.driver.main(list(argv))
        assert not self.paramfile_attempts, f"CLI tried to load {self.paramfile_attempts}"
        assert self._params is not None, f"AWS CLI failed (rc={rc}):\n{err.getvalue()}{out.getvalue()}"
        return self._params

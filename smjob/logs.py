"""A training job's CloudWatch Logs and the metrics in them, for `smjob logs` and the job screen.

SageMaker writes each host's output to the log group /aws/sagemaker/TrainingJobs, stream
`<job name>/algo-N-<epoch>` (a restarted host gets a new stream). No Textual, no printing:

    reader = LogReader(name, target, host="algo-2", since_ms=..., search="loss")
    reader.poll()                      # one round: every new line of every stream, by timestamp
    for item in follow(reader, JobPoller(name, target)):   # until the job ends
        LogLine | Notice | JobStatus (the last item: the job's final status)
    metrics = MetricTracker(request["AlgorithmSpecification"]["MetricDefinitions"])
    metrics.feed(line) -> [MetricValue]; metrics.latest, metrics.series

Lines of all hosts are interleaved by timestamp within a round (each round is sorted; a host
whose lines arrive late shows them in the next round). Throttling (ThrottlingException, after
botocore's own retries) doubles the wait between rounds up to 30 s and is reported as a Notice,
as is a job with no streams yet (not started, or the log group does not exist yet).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from smjob.aws.target import Target

LOG_GROUP = "/aws/sagemaker/TrainingJobs"
POLL_SECONDS = 1.0  # new lines show within 2 s of being written
STATUS_SECONDS = 10.0
MAX_BACKOFF = 30.0
SERIES_LIMIT = 10_000
_HOST = re.compile(r"^(?P<host>.+?)(?:-\d{9,})?$")


@dataclass(frozen=True, slots=True)
class LogLine:
    timestamp: int  # milliseconds since the epoch, as CloudWatch Logs gives it
    stream: str
    message: str

    @property
    def host(self) -> str:
        """`algo-2` for the stream `job/algo-2-1700000000`."""
        return host_of(self.stream)


@dataclass(frozen=True, slots=True)
class Notice:
    kind: str  # "waiting" (no streams yet), "throttled", "stream" (a new stream appeared)
    message: str


def host_of(stream: str) -> str:
    tail = stream.split("/", 1)[-1]
    return _HOST.match(tail)["host"]


def logs_client(target: Target | None = None):
    from smjob.aws.clients import client

    return client(target, service="logs", retries=2, read_timeout=15.0)


class LogReader:
    """New lines of a job's streams, one `poll()` at a time; remembers where each stream was read to."""

    def __init__(
        self,
        job_name: str,
        target: Target | None = None,
        *,
        host: str | None = None,
        since_ms: int | None = None,
        search: str | None = None,
        client=None,
    ) -> None:
        self.job_name = job_name
        self.target = target
        self.host = host
        self.since_ms = since_ms
        self.search = search.casefold() if search else None
        self._client = client
        self._tokens: dict[str, str | None] = {}  # stream -> nextForwardToken
        self._waiting_said = False
        self._rounds = 0  # successful rounds: streams found after the first are announced
        self.backoff = 0.0  # extra wait asked for by throttling; 0 when the last round went through

    @property
    def client(self):
        if self._client is None:
            self._client = logs_client(self.target)
        return self._client

    @property
    def streams(self) -> list[str]:
        return list(self._tokens)

    def _call(self, operation: str, **params):
        from smjob.aws.clients import call

        return call(self.client, operation, self.target, **params)

    def _list_streams(self) -> list[str]:
        names, token = [], None
        for _ in range(100):
            params = {"logGroupName": LOG_GROUP, "logStreamNamePrefix": self.job_name + "/"}
            if token:
                params["nextToken"] = token
            page = self._call("DescribeLogStreams", **params)
            names += [s["logStreamName"] for s in page.get("logStreams", [])]
            token = page.get("nextToken")
            if not token:
                break
        if self.host:
            names = [n for n in names if host_of(n) == self.host]
        return sorted(names)

    def _read_stream(self, stream: str) -> list[LogLine]:
        out = []
        for _ in range(1000):  # 10,000 events a page: a long backlog takes several
            token = self._tokens.get(stream)
            params = {"logGroupName": LOG_GROUP, "logStreamName": stream, "startFromHead": True}
            if token:
                params["nextToken"] = token
            if self.since_ms is not None:  # with every token: moto counts its tokens after this filter
                params["startTime"] = self.since_ms
            page = self._call("GetLogEvents", **params)
            out += [LogLine(e["timestamp"], stream, e.get("message", "")) for e in page.get("events", [])]
            nxt = page.get("nextForwardToken")
            self._tokens[stream] = nxt or token
            if not nxt or nxt == token or not page.get("events"):
                break
        return out

    def poll(self) -> list[LogLine | Notice]:
        """One round over every stream: the new lines (matching `search`), oldest first, and
        notices. AwsError for anything but throttling and a missing log group."""
        from smjob.aws.errors import AwsError

        out: list[LogLine | Notice] = []
        try:
            streams = self._list_streams()
            lines: list[LogLine] = []
            for stream in streams:
                if stream not in self._tokens:
                    self._tokens[stream] = None
                    if self._rounds:
                        out.append(Notice("stream", f"new log stream {stream}"))
                lines += self._read_stream(stream)
        except AwsError as exc:
            if exc.kind == "throttled":
                self.backoff = min(MAX_BACKOFF, max(2.0, self.backoff * 2))
                out.append(Notice("throttled", f"CloudWatch Logs is throttling; next try in {self.backoff:g} s"))
                return out
            if exc.kind != "not-found":
                raise
            streams, lines = [], []
        self.backoff = 0.0
        self._rounds += 1
        if not streams and not self._waiting_said:
            self._waiting_said = True
            which = f" for {self.host}" if self.host else ""
            out.append(Notice("waiting", f"no log streams{which} yet for {self.job_name}: the job has not started"))
        lines.sort(key=lambda line: (line.timestamp, line.stream))
        if self.search:
            lines = [line for line in lines if self.search in line.message.casefold()]
        return out + lines


class JobPoller:
    """The job's status (smjob.aws.JobStatus) at most every `every` seconds."""

    def __init__(self, job_name: str, target: Target | None = None, *, client=None, every: float = STATUS_SECONDS):
        self.job_name, self.target, self._client, self.every = job_name, target, client, every
        self._last = None
        self._at = float("-inf")

    def poll(self, now: float | None = None, *, force: bool = False):
        from smjob.aws.status import job_status

        now = time.monotonic() if now is None else now
        if force or self._last is None or now - self._at >= self.every:
            self._last = job_status(self.job_name, self.target, client=self._client)
            self._at = now
        return self._last


def follow(
    reader: LogReader,
    poller,
    *,
    poll_seconds: float = POLL_SECONDS,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[object]:
    """Lines and notices as they come, until the job is Completed, Failed or Stopped; the last item
    is its JobStatus. The streams are read once more after the end, so no last line is lost."""
    while True:
        status = poller.poll()
        yield from reader.poll()
        if status.terminal:
            yield from reader.poll()  # what was written between the status and the read
            yield status
            return
        sleep(poll_seconds + reader.backoff)


# --- metrics ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MetricValue:
    name: str
    value: float
    timestamp: int
    host: str


@dataclass
class MetricTracker:
    """MetricDefinitions applied to log lines as SageMaker does: the regex is searched in each line
    and its first group (or the whole match) is the value."""

    definitions: list = field(default_factory=list)
    latest: dict[str, MetricValue] = field(default_factory=dict)
    series: dict[str, list[tuple[int, float]]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)  # definitions that could not be compiled

    def __post_init__(self) -> None:
        from smjob.javaregex import PatternError, compile_java

        self._compiled = []
        for d in self.definitions or []:
            name, regex = (d.get("Name"), d.get("Regex")) if isinstance(d, dict) else (None, None)
            if not isinstance(name, str) or not isinstance(regex, str):
                continue
            try:
                pattern = compile_java(regex)
            except PatternError as exc:
                self.errors.append(f"{name}: {exc}")
                continue
            if not hasattr(pattern, "search"):
                self.errors.append(f"{name}: {regex!r} is a character class, not a metric regex")
                continue
            self._compiled.append((name, pattern))

    def feed(self, line: LogLine) -> list[MetricValue]:
        out = []
        for name, pattern in self._compiled:
            match = pattern.search(line.message)
            if match is None:
                continue
            try:
                value = float(match.group(1) if pattern.groups else match.group(0))
            except (TypeError, ValueError):
                continue
            metric = MetricValue(name, value, line.timestamp, line.host)
            self.latest[name] = metric
            points = self.series.setdefault(name, [])
            points.append((line.timestamp, value))
            if len(points) > SERIES_LIMIT:
                del points[: len(points) - SERIES_LIMIT]
            out.append(metric)
        return out

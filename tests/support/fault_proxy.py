"""A fault-injecting HTTP proxy on loopback, in front of a moto server (or any HTTP endpoint).

    with FaultProxy(moto.url) as proxy:
        proxy.push("throttle", "throttle")      # the next two matching requests are throttled
        proxy.default = "500"                   # then every matching request fails (default "pass")
        target = Target(None, "us-east-1", proxy.url)
        ...
        proxy.attempts("DescribeTrainingJob")   # how many such requests the proxy saw

Faults (one per request, taken from a FIFO queue; `default` when the queue is empty):
    "pass"           forward to the upstream and relay its answer
    "throttle"       400 {"__type":"ThrottlingException","message":"Rate exceeded"}
    "500"            500 {"__type":"InternalFailure",...}
    "access-denied"  400 {"__type":"AccessDeniedException",...}
    "validation"     400 {"__type":"ValidationException","message":"1 validation error detected: Value
                     'ml.nope' at 'resourceConfig.instanceType' failed to satisfy constraint: ..."}
    "hang"           read the request, never answer until `release()` (or `stop()`), then close
                     the connection without a response

Error answers use SageMaker's awsJson1_1 protocol: Content-Type application/x-amz-json-1.1 and
the code in the body's `__type` (what botocore's JSON parser reads; `x-amzn-query-error` is only
for query-compatible services, which SageMaker is not). `x-amzn-RequestId` is set as AWS does.

`only`: a set of operation names (X-Amz-Target `SageMaker.CreateTrainingJob` -> CreateTrainingJob,
or a query protocol's `Action=`); requests for other operations always pass and consume no fault.
`None` (default) applies faults to every request. "Connection refused" needs no proxy: use
`closed_port_url()`.

`fast_backoff` (a fixture in tests/conftest.py) makes botocore's retry backoff 10 ms so retried tests stay fast;
`client_defaults(monkeypatch, ...)` lowers smjob.aws.client's default retries/timeouts for code
(like the app) that calls `client(target)` without arguments.
"""

from __future__ import annotations

import http.client
import json
import threading
import uuid
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from smjob.local_endpoint import HOST, free_port

FAULTS = ("pass", "throttle", "500", "hang", "access-denied", "validation")
VALIDATION_MESSAGE = (
    "1 validation error detected: Value 'ml.nope' at 'resourceConfig.instanceType' failed to "
    "satisfy constraint: Member must satisfy enum value set: [ml.m5.large, ml.g5.xlarge]"
)
_ERRORS = {
    "throttle": (400, "ThrottlingException", "Rate exceeded"),
    "500": (500, "InternalFailure", "We encountered an internal error. Please try again."),
    "access-denied": (
        400,
        "AccessDeniedException",
        "User: arn:aws:iam::123456789012:user/test is not authorized to perform: sagemaker:CreateTrainingJob",
    ),
    "validation": (400, "ValidationException", VALIDATION_MESSAGE),
}
_HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-connection",
    "transfer-encoding",
    "te",
    "trailer",
    "upgrade",
    "content-length",
}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as botocore's urllib3 pool expects
    server: _Server

    def log_message(self, *args) -> None:  # quiet
        pass

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        proxy = self.server.proxy
        op = operation_of(self.headers, body)
        fault = proxy._next_fault(op)
        if fault == "hang":
            proxy._hang_started()
            proxy._released.wait()
            self.close_connection = True  # no answer at all: the client sees a closed connection
            return
        if fault == "pass":
            status, headers, answer = proxy._forward(self.command, self.path, self.headers, body)
        else:
            status, code, message = _ERRORS[fault]
            answer = json.dumps({"__type": code, "message": message}).encode()
            headers = [("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-RequestId", str(uuid.uuid4()))]
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    proxy: FaultProxy


def operation_of(headers, body: bytes) -> str:
    target = headers.get("X-Amz-Target") or ""
    if target:
        return target.rsplit(".", 1)[-1]
    try:
        action = parse_qs(body.decode("utf-8", "replace")).get("Action")
    except Exception:
        action = None
    return action[0] if action else ""


class FaultProxy:
    def __init__(self, upstream: str, *, default: str = "pass", only: set[str] | None = None) -> None:
        parts = urlsplit(upstream)
        self.upstream_host, self.upstream_port = parts.hostname, parts.port or 80
        self.default = default
        self.only = only
        self.seen: list[tuple[str, str]] = []  # (operation, fault) per request, in order
        self._queue: deque[str] = deque()
        self._lock = threading.Lock()
        self._released = threading.Event()
        self._hangs = 0
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # --- programming ---------------------------------------------------------------------------
    def push(self, *faults: str) -> FaultProxy:
        for fault in faults:
            if fault not in FAULTS:
                raise ValueError(f"unknown fault {fault!r} (one of {FAULTS})")
        with self._lock:
            self._queue.extend(faults)
        return self

    def release(self) -> None:
        """Let every hanging request (and any later "hang") end: the connection is closed unanswered."""
        self._released.set()

    def attempts(self, operation: str | None = None, fault: str | None = None) -> int:
        with self._lock:
            return sum((operation is None or op == operation) and (fault is None or f == fault) for op, f in self.seen)

    @property
    def hanging(self) -> int:
        """Requests that started hanging (released or not)."""
        with self._lock:
            return self._hangs

    def _next_fault(self, op: str) -> str:
        with self._lock:
            if self.only is not None and op not in self.only:
                fault = "pass"
            else:
                fault = self._queue.popleft() if self._queue else self.default
            self.seen.append((op, fault))
            return fault

    def _hang_started(self) -> None:
        with self._lock:
            self._hangs += 1

    def _forward(self, method: str, path: str, headers, body: bytes):
        conn = http.client.HTTPConnection(self.upstream_host, self.upstream_port, timeout=30)
        try:
            out = {k: v for k, v in headers.items() if k.lower() not in _HOP_BY_HOP}
            out["Content-Length"] = str(len(body))
            conn.request(method, path, body=body, headers=out)
            response = conn.getresponse()
            data = response.read()
            kept = [(k, v) for k, v in response.getheaders() if k.lower() not in _HOP_BY_HOP]
            return response.status, kept, data
        finally:
            conn.close()

    # --- lifecycle -----------------------------------------------------------------------------
    def start(self) -> FaultProxy:
        self._server = _Server((HOST, 0), _Handler)
        self._server.proxy = self
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="fault-proxy", daemon=True
        )
        self._thread.start()
        return self

    @property
    def url(self) -> str:
        assert self._server is not None, "the proxy is not running"
        return f"http://{HOST}:{self._server.server_address[1]}"

    def stop(self) -> None:
        self.release()
        if self._server is not None:
            server, self._server = self._server, None
            server.shutdown()
            server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def closed_port_url() -> str:
    """A loopback URL nothing listens on: connecting is refused at once."""
    return f"http://{HOST}:{free_port()}"


def client_defaults(
    monkeypatch, *, retries: int | None = None, connect_timeout: float | None = None, read_timeout: float | None = None
) -> None:
    """Lower smjob.aws.client()'s defaults. Patching DEFAULT_RETRIES/DEFAULT_READ_TIMEOUT would not do:
    Python binds keyword defaults when `def client(...)` runs, so the function's __kwdefaults__ is patched."""
    from smjob.aws import clients

    for name, value in (("retries", retries), ("connect_timeout", connect_timeout), ("read_timeout", read_timeout)):
        if value is not None:
            monkeypatch.setitem(clients.client.__kwdefaults__, name, value)

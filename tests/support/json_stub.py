"""A local HTTP server that answers AWS JSON-protocol calls (X-Amz-Target) with canned documents.

For the services moto does not emulate for SageMaker: the Price List API (moto has no `pricing`)
and Service Quotas (moto's answers only for `vpc`, and has no ListServiceQuotas). Handlers get the
request body (a dict) and return the response document, or raise StubError for an AWS error.
botocore talks to it over real HTTP, so its serializers, parsers and paginators all run.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class StubError(Exception):
    def __init__(self, code: str, message: str, status: int = 400):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


class JsonStub:
    """`with JsonStub({"AWSPriceListService.GetProducts": handler, ...}) as stub: stub.url`"""

    def __init__(self, handlers: dict):
        self.handlers = handlers
        self.calls: list[tuple[str, dict]] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                target = self.headers.get("X-Amz-Target", "")
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                stub.calls.append((target, body))
                handler = stub.handlers.get(target)
                try:
                    if handler is None:
                        raise StubError("UnknownOperationException", f"no stub for {target}")
                    status, doc = 200, handler(body)
                except StubError as exc:
                    status, doc = exc.status, {"__type": exc.code, "message": exc.message}
                data = json.dumps(doc).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/x-amz-json-1.1")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):  # quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> JsonStub:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def count(self, target: str) -> int:
        return sum(t == target for t, _ in self.calls)

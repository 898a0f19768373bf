"""A local SageMaker-compatible endpoint (moto), for trying submit/watch/history without AWS.

    with LocalEndpoint() as ep:              # moto's ThreadedMotoServer in this process (fast)
        target = ep.target()
    ep = start_subprocess()                  # `python -m moto.server` in a child process
    ...; ep.stop()                           # (also stopped at interpreter exit)

Both listen on 127.0.0.1 only. `env()` gives the dummy credentials and region to run the app
or the AWS CLI against it. moto accepts anything and reports every job Completed at once; it
does not implement StopTrainingJob (HTTP 500).
"""

from __future__ import annotations

import atexit
import logging
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

HOST = "127.0.0.1"
REGION = "us-east-1"
START_TIMEOUT = 10.0


class LocalEndpointError(RuntimeError):
    pass


def _silence_werkzeug() -> None:
    # werkzeug logs every request (and tracebacks of moto's NotImplementedError) to stderr,
    # which would draw over a full-screen app. CRITICAL keeps its first-use default handler quiet.
    logging.getLogger("werkzeug").setLevel(logging.CRITICAL)


def free_port(host: str = HOST) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def _answers(url: str, timeout: float = 1.0) -> bool:
    try:
        urllib.request.urlopen(url + "/", timeout=timeout).close()
        return True
    except urllib.error.HTTPError:
        return True  # any HTTP answer means the server is up
    except (OSError, ValueError):
        return False


class LocalEndpoint:
    """A moto server on loopback: in this process (default) or as a child process."""

    def __init__(
        self, *, port: int = 0, region: str = REGION, in_subprocess: bool = False, start_timeout: float = START_TIMEOUT
    ) -> None:
        self.port = port
        self.region = region
        self.use_subprocess = in_subprocess
        self.start_timeout = start_timeout
        self._server = None
        self._proc: subprocess.Popen | None = None
        self._url: str | None = None

    # --- lifecycle ----------------------------------------------------------------------------

    def start(self) -> LocalEndpoint:
        if self._url:
            return self
        if self.use_subprocess:
            self._start_process()
        else:
            self._start_thread()
        atexit.register(self.stop)
        return self

    def _start_thread(self) -> None:
        _silence_werkzeug()
        from moto.server import ThreadedMotoServer

        server = ThreadedMotoServer(ip_address=HOST, port=self.port, verbose=False)
        server.start()
        host, port = server.get_host_and_port()
        self._server, self.port, self._url = server, port, f"http://{host}:{port}"
        self._wait_until_up()

    def _start_process(self) -> None:
        fixed = self.port
        last = "it did not start"
        for _ in range(1 if fixed else 3):  # a free port can be taken between choosing and binding
            port = fixed or free_port()
            proc = subprocess.Popen(
                [sys.executable, "-m", "moto.server", "-H", HOST, "-p", str(port)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )  # Ctrl-C in the terminal goes to the app, not to the server
            self._proc, self.port, self._url = proc, port, f"http://{HOST}:{port}"
            try:
                self._wait_until_up()
                return
            except LocalEndpointError as exc:
                last = str(exc)
                self._stop_process()
                self._url, self.port = None, fixed
        raise LocalEndpointError(f"the local endpoint did not start: {last}")

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self._proc is not None and self._proc.poll() is not None:
                raise LocalEndpointError(f"moto.server exited with code {self._proc.returncode}")
            if _answers(self._url):
                return
            time.sleep(0.05)
        raise LocalEndpointError(f"no answer from {self._url} within {self.start_timeout:g} s")

    def stop(self) -> None:
        atexit.unregister(self.stop)
        if self._server is not None:
            server, self._server = self._server, None
            server.stop()
        self._stop_process()
        self._url = None

    def _stop_process(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)

    def __enter__(self) -> LocalEndpoint:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # --- using it -------------------------------------------------------------------------------

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    @property
    def url(self) -> str:
        if not self._url:
            raise LocalEndpointError("the local endpoint is not running")
        return self._url

    def env(self) -> dict[str, str]:
        """Environment for a process that should talk to this endpoint (dummy credentials)."""
        return {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_SESSION_TOKEN": "testing",
            "AWS_DEFAULT_REGION": self.region,
            "AWS_REGION": self.region,
            "AWS_ENDPOINT_URL": self.url,
        }

    def target(self):
        from smjob.aws import Target

        return Target(profile=None, region=self.region, endpoint_url=self.url)

    def reset(self) -> None:
        """Forget every job (POST /moto-api/reset)."""
        request = urllib.request.Request(self.url + "/moto-api/reset", method="POST", data=b"")
        urllib.request.urlopen(request, timeout=10).close()


def start_subprocess(*, port: int = 0, region: str = REGION, timeout: float = START_TIMEOUT) -> LocalEndpoint:
    """Start `python -m moto.server` on 127.0.0.1 and wait until it answers (<= `timeout` s)."""
    return LocalEndpoint(port=port, region=region, in_subprocess=True, start_timeout=timeout).start()

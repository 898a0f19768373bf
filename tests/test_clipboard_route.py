"""F9 says whether the copy can arrive: inside tmux it asks tmux for its set-clipboard option."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid

import pytest

from smjob.tui.clipboard import _terminal_route, tmux_set_clipboard

TMUX = shutil.which("tmux")
pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed")


@pytest.fixture
def tmux_server(monkeypatch):
    socket = f"smjob-clip-{uuid.uuid4().hex[:8]}"

    def tmux(*args):
        return subprocess.run([TMUX, "-L", socket, "-f", os.devnull, *args], capture_output=True, text=True, timeout=10)

    tmux("new-session", "-d", "-s", "s", "sleep 60")
    path = tmux("display-message", "-p", "#{socket_path}").stdout.strip()
    monkeypatch.setenv("TMUX", f"{path},0,0")  # what tmux sets for programs inside it
    try:
        yield tmux
    finally:
        tmux("kill-server")


@pytest.mark.parametrize("state", ["on", "off", "external"])
def test_the_route_follows_tmux_set_clipboard(tmux_server, state):
    tmux_server("set-option", "-g", "set-clipboard", state)
    assert tmux_set_clipboard() == state
    route = _terminal_route()
    if state == "on":
        assert "through tmux" in route
    else:
        assert route.startswith("NOT copied") and f"set-clipboard is {state}" in route


def test_outside_tmux_nothing_is_asked(monkeypatch):
    monkeypatch.delenv("TMUX", raising=False)
    assert tmux_set_clipboard() is None
    assert "OSC 52" in _terminal_route()

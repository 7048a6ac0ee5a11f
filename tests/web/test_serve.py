"""`csc-scorecard serve` runs gunicorn and the task worker, and stops both on SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_for(url: str, process: subprocess.Popen, seconds: float = 90) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"serve stopped early: {process.stdout.read()}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode()
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"{url} did not answer in {seconds} s")


@pytest.mark.skipif(not hasattr(signal, "SIGTERM"), reason="needs POSIX signals")
def test_serve_answers_and_stops_both_processes(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CSC_SCORECARD_TASKS")}
    env["CSC_SCORECARD_HOME"] = str(tmp_path / "home")
    serve = subprocess.Popen(
        [sys.executable, "-m", "csc_scorecard.cli", "serve", "--port", str(port), "--workers", "1"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        page = wait_for(f"http://127.0.0.1:{port}/sign-in/", serve)
        assert "<h1 class=\"govuk-heading-l\">Sign in</h1>" in page
        css = wait_for(f"http://127.0.0.1:{port}/static/govuk/govuk-frontend.min.css", serve)
        assert ".govuk-generic-header" in css and "GDS Transport" not in css
        children = children_of(serve.pid)
        commands = [Path(f"/proc/{c}/cmdline").read_bytes().replace(b"\0", b" ").decode() for c in children]
        assert any("gunicorn" in c for c in commands) and any("csc_scorecard.web.worker" in c for c in commands)
        serve.send_signal(signal.SIGTERM)
        serve.wait(timeout=30)
    finally:
        if serve.poll() is None:
            serve.kill()
    output = serve.stdout.read()
    assert serve.returncode == 0, output
    assert not [c for c in children if alive(c)], output
    assert "Traceback" not in output
    # SQLite in WAL mode, so the web workers read while the task worker writes
    database = tmp_path / "home" / "csc-scorecard.sqlite3"
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_serve_says_when_the_port_is_taken(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env["CSC_SCORECARD_HOME"] = str(tmp_path / "home")
        done = subprocess.run(
            [sys.executable, "-m", "csc_scorecard.cli", "serve", "--port", str(port)],
            env=env, capture_output=True, text=True, timeout=60,
        )
    assert done.returncode == 2
    # the CLI's one error style (prefix from cli_support), said before anything starts
    assert done.stderr.startswith("csc-scorecard: ")
    assert f"cannot serve on 127.0.0.1:{port}: the port is already in use" in done.stderr
    assert "Traceback" not in done.stderr

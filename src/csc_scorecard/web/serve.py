"""`csc-scorecard serve`: the web app (gunicorn) and the task worker, started and stopped together.

Both run as child processes of this command. Ctrl-C or SIGTERM stops both
(the worker finishes or abandons its current step; an ingest in progress
rolls back), and if either one dies the other is stopped too, so the pair
never runs half-up.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import click

STOP_WAIT_SECONDS = 15


LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def _children_env(host: str) -> dict[str, str]:
    env = dict(os.environ)
    if host in LOOPBACK or host.startswith("127."):
        # Plain HTTP to this machine only: cookies cannot cross a network, and a
        # browser would refuse Secure ones over http. Any other address keeps them
        # Secure, for a server behind HTTPS (see docs/web.md).
        env.setdefault("CSC_SCORECARD_INSECURE_COOKIES", "1")
    env.setdefault("DJANGO_SETTINGS_MODULE", "csc_scorecard.web.settings")
    env.pop("CSC_SCORECARD_TASKS", None)  # the worker must use the database queue
    env.pop("CSC_SCORECARD_DEBUG", None)  # never DEBUG when serving: it would show tracebacks
    return env


def server_commands(host: str, port: int, workers: int) -> list[list[str]]:
    gunicorn = [
        sys.executable, "-m", "gunicorn", "csc_scorecard.web.wsgi:application",
        "--bind", f"{host}:{port}",
        "--workers", str(workers),
        # A 200 MB upload over a slow office link takes minutes; a sync worker must not be cut off.
        "--timeout", "600",
        "--graceful-timeout", "10",
        "--no-control-socket",
        "--access-logfile", "-",
        # Paths and status only: no query strings (filters) or referrers in the log.
        "--access-logformat", '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms',
    ]
    worker = [sys.executable, "-m", "csc_scorecard.web.worker"]
    return [gunicorn, worker]


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="address to listen on")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535),
              help="port to listen on")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64),
              help="web server processes")
def serve(host: str, port: int, workers: int) -> None:
    """Serve the web app and run the background task worker until stopped."""
    from csc_scorecard.cli_support import fail, setup_store

    problem = _cannot_listen(host, port)
    if problem:
        fail(f"cannot serve on {host}:{port}: {problem}")
    setup_store()  # brings the schema up to date once, before either process starts
    env = _children_env(host)
    processes = []
    for command in server_commands(host, port, workers):
        processes.append(subprocess.Popen(command, env=env))
    click.echo(f"csc-scorecard: serving on http://{host}:{port}/ (Ctrl-C to stop)")

    stopping = {"signal": None}

    def _stop(signum, frame):
        stopping["signal"] = signum

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    try:
        while stopping["signal"] is None and all(p.poll() is None for p in processes):
            time.sleep(0.2)
    finally:
        _stop_all(processes)
    if stopping["signal"] is None:
        fail("the web server or the task worker stopped unexpectedly; both are now stopped", code=1)


def _cannot_listen(host: str, port: int) -> str:
    """Why the address cannot be listened on ("" when it can): said before anything starts."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError:
        return "the host name is not known"
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            return "the port is already in use" if exc.errno in (98, 48) else (exc.strerror or "refused")
    return ""


def _stop_all(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_WAIT_SECONDS
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

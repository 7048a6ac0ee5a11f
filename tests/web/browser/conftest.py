"""A real server for the browser tests: `csc-scorecard serve` on a free port, with its own data.

Chromium is Debian's (/usr/bin/chromium, installed by scripts/setup.sh);
axe-core comes from node_modules (npm, installed by scripts/setup.sh).
Outside CI a missing browser skips these tests; in CI it fails them.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
import urllib.request
from pathlib import Path

import pytest

from .browser_support import AXE, CHROMIUM, PASSWORD, watch_documents


def _missing() -> str:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    if not CHROMIUM.exists():
        return f"no chromium at {CHROMIUM} (scripts/setup.sh test installs it)"
    if not AXE.exists():
        return "axe-core is not in node_modules (scripts/setup.sh test installs it)"
    return ""


def pytest_collection_modifyitems(config, items):
    reason = _missing()
    if not reason:
        return
    if os.environ.get("CI") == "true":
        raise pytest.UsageError(f"browser tests cannot run: {reason}")
    for item in items:
        if "browser" in str(item.fspath):
            item.add_marker(pytest.mark.skip(reason=reason))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SETUP = textwrap.dedent(
    """
    from csc_scorecard.django_setup import setup
    setup(migrate=True)
    from csc_scorecard.accounts.models import User
    for name, role in [("ana", "analyst"), ("ada", "admin"), ("vic", "viewer"), ("lou", "viewer")]:
        User.objects.create_user(name, password={password!r}, role=role)
    """
)


class Server:
    def __init__(self, home: Path, port: int, process: subprocess.Popen, log: Path, env: dict):
        self.home, self.port, self.process, self.log, self.env = home, port, process, log, env
        self.url = f"http://127.0.0.1:{port}"

    def python(self, code: str) -> str:
        """Run Python against the server's own database (Django set up); returns what it prints."""
        script = "from csc_scorecard.django_setup import setup\nsetup(migrate=False)\n" + textwrap.dedent(code)
        done = subprocess.run([sys.executable, "-c", script], env=self.env, check=True, capture_output=True, text=True)
        return done.stdout.strip()

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    home = tmp_path_factory.mktemp("browser-home")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CSC_SCORECARD_TASKS")}
    env["CSC_SCORECARD_HOME"] = str(home)
    env["CSC_SCORECARD_LOG_LEVEL"] = "INFO"
    (home / "council.yml").write_text("la_code: '999'\nname: Synthshire County Council\n")
    subprocess.run([sys.executable, "-c", SETUP.format(password=PASSWORD)], env=env, check=True)
    port = _free_port()
    log = home / "server.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "csc_scorecard.cli", "serve", "--port", str(port), "--workers", "2"],
            env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    served = Server(home, port, process, log, env)
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(served.url + "/sign-in/", timeout=5).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError("the server did not start:\n" + served.log_text()) from None
            time.sleep(0.5)
    yield served
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="module")  # not session: a running Playwright loop would stay in this worker and Django would refuse the later tests as "async"
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture()
def page(browser):
    # bypass_csp only so that the test can inject axe-core; the app's own pages never need it.
    context = browser.new_context(bypass_csp=True, viewport={"width": 1200, "height": 900})
    page = context.new_page()
    watch_documents(page)
    yield page
    context.close()

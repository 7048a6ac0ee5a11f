"""Web pages under load: N signed-in users over Home, the scorecard and indicator pages.

Serves an existing data directory (for example the one `csc-scorecard demo` fills)
with `csc-scorecard serve` on 127.0.0.1 only, signs in N viewer accounts made for
the run, and has each loop over the three pages for a fixed time (a bounded loop:
it stops at the deadline, whatever happens). Prints the median, p95 and worst
time per page and the error count. Target (docs/web.md): p95 under 200 ms, no error.

    CSC_SCORECARD_HOME=/tmp/demo-home csc-scorecard demo
    PYTHONPATH=src python3 bench/bench_web.py --home /tmp/demo-home --users 20 --seconds 120

Only standard-library HTTP is used, so the figures include no client library's cost.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections import defaultdict

PAGES = ["/", "/scorecard/", "/indicators/cp_repeat_ever_pct/"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _make_viewers(env: dict, users: int, password: str) -> list[str]:
    names = [f"bench-viewer-{n}" for n in range(users)]
    code = (
        "from csc_scorecard.django_setup import setup\nsetup(migrate=True)\n"
        "from csc_scorecard.accounts.models import User\n"
        f"for name in {names!r}:\n"
        "    user = User.objects.filter(username=name).first() or User(username=name, role='viewer')\n"
        f"    user.set_password({password!r}); user.save()\n"
    )
    subprocess.run([sys.executable, "-c", code], env=env, check=True)
    return names


def _opener():
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar)), jar


def _sign_in(base: str, name: str, password: str):
    opener, jar = _opener()
    page = opener.open(base + "/sign-in/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    data = urllib.parse.urlencode({
        "csrfmiddlewaretoken": token.group(1) if token else "", "username": name, "password": password,
    }).encode()
    request = urllib.request.Request(base + "/sign-in/", data=data, headers={"Referer": base + "/sign-in/"})
    response = opener.open(request, timeout=30)
    if "/sign-in/" in response.geturl():
        raise SystemExit(f"could not sign in as {name}")
    return opener


def _user_loop(opener, base: str, deadline: float, times: dict, errors: list, lock) -> None:
    n = 0
    while time.monotonic() < deadline:  # bounded: the deadline ends every loop
        path = PAGES[n % len(PAGES)]
        n += 1
        start = time.perf_counter()
        try:
            with opener.open(base + path, timeout=30) as response:
                response.read()
                ok = response.status == 200
        except Exception as exc:  # count it, keep going until the deadline
            ok = False
            with lock:
                errors.append(f"{path}: {type(exc).__name__}")
        elapsed = (time.perf_counter() - start) * 1000
        with lock:
            times[path].append(elapsed)
            if not ok and not errors:
                errors.append(f"{path}: not 200")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", required=True, help="the data directory to serve (with results)")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    env = {k: v for k, v in os.environ.items() if k != "CSC_SCORECARD_TASKS"}
    env["CSC_SCORECARD_HOME"] = args.home
    password = secrets.token_urlsafe(18)
    names = _make_viewers(env, args.users, password)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "csc_scorecard.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
         "--workers", str(args.workers)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        started = time.monotonic()
        while True:
            try:
                urllib.request.urlopen(base + "/sign-in/", timeout=5).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() - started > 90:
                    raise SystemExit("the server did not start") from None
                time.sleep(0.5)
        openers = [_sign_in(base, name, password) for name in names]
        for opener in openers[:1]:  # warm each page once: the first request loads the code
            for path in PAGES:
                opener.open(base + path, timeout=60).read()
        times: dict[str, list[float]] = defaultdict(list)
        errors: list[str] = []
        lock = threading.Lock()
        deadline = time.monotonic() + args.seconds
        threads = [threading.Thread(target=_user_loop, args=(o, base, deadline, times, errors, lock))
                   for o in openers]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=args.seconds + 60)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()

    print(f"{args.users} users, {args.seconds:.0f} s, {args.workers} gunicorn workers, "
          f"database {'PostgreSQL' if env.get('DATABASE_URL') else 'SQLite'}")
    print(f"{'page':40} {'requests':>8} {'median ms':>10} {'p95 ms':>8} {'max ms':>8}")
    for path in PAGES:
        values = sorted(times[path])
        if not values:
            continue
        p95 = values[min(len(values) - 1, int(0.95 * len(values)))]
        print(f"{path:40} {len(values):8} {statistics.median(values):10.0f} {p95:8.0f} {values[-1]:8.0f}")
    print(f"errors: {len(errors)}" + (f" (first: {errors[0]})" if errors else ""))
    return 0 if not errors else 1


if __name__ == "__main__":
    raise SystemExit(main())

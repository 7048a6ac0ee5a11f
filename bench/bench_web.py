"""Web pages under load: N signed-in users over Home, the scorecard and indicator pages.

Serves an existing data directory (for example the one `csc-scorecard demo` fills:
the large demo county, 110,000 children) with `csc-scorecard serve` on 127.0.0.1
only, signs in N viewer accounts made for the run, and has each loop over the three
pages with no pause (a closed loop) for a fixed time. Every loop is bounded: it
stops at the deadline, whatever happens. Prints the median, p95 and worst time per
page, the error count, the load average, and the server's CPU time per request
(the web workers' CPU, a figure other work on the machine disturbs less than the
times do). Targets (docs/web.md): p95 under 200 ms and no error.

With ``--upload``, a second phase follows while the users keep browsing: an
analyst (signed in with a TOTP code) uploads one county year (the demo council's
latest year written again with another seed) through the web upload form, and the
scorecard of that year is read every second until its figures change; the seconds
from the upload to the change are printed (target: 60 s). The upload replaces
that year's submissions in the data directory, as a council's would.

    CSC_SCORECARD_HOME=/tmp/demo-home csc-scorecard demo
    PYTHONPATH=src python3 bench/bench_web.py --home /tmp/demo-home              # quick: 20 s
    PYTHONPATH=src python3 bench/bench_web.py --home /tmp/demo-home --seconds 120 --upload
    DATABASE_URL=postgresql://... python3 bench/bench_web.py --home ...          # PostgreSQL

Only standard-library HTTP is used, so the figures include no client library's cost.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import io
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import zipfile
from collections import defaultdict
from pathlib import Path

PAGES = ["/", "/scorecard/", "/indicators/cp_repeat_ever_pct/"]
MAX_SECONDS = 600  # the longest load phase allowed
MAX_USERS = 100
UPLOAD_WAIT_SECONDS = 300  # give up waiting for an upload to show after this
ANALYST = "bench-analyst"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _make_accounts(env: dict, users: int, password: str) -> tuple[list[str], str]:
    """N viewers, and an analyst with a TOTP device; returns the viewers' names and the key (hex)."""
    names = [f"bench-viewer-{n}" for n in range(users)]
    code = (
        "from csc_scorecard.django_setup import setup\nsetup(migrate=True)\n"
        "from csc_scorecard.accounts.models import User\n"
        "from django_otp.plugins.otp_totp.models import TOTPDevice\n"
        f"for name in {names!r}:\n"
        "    user = User.objects.filter(username=name).first() or User(username=name, role='viewer')\n"
        f"    user.set_password({password!r}); user.save()\n"
        f"user = User.objects.filter(username={ANALYST!r}).first() or User(username={ANALYST!r}, role='analyst')\n"
        f"user.set_password({password!r}); user.password_must_change = False; user.save()\n"
        "TOTPDevice.objects.filter(user=user).delete()\n"
        "device = TOTPDevice.objects.create(user=user, name='bench', confirmed=True)\n"
        "print(device.key)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True)
    return names, done.stdout.strip().splitlines()[-1]


def _opener():
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))


def _csrf(page: str) -> str:
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    return token.group(1) if token else ""


def _post(opener, url: str, fields: dict):
    data = urllib.parse.urlencode(fields).encode()
    return opener.open(urllib.request.Request(url, data=data, headers={"Referer": url}), timeout=60)


def _sign_in(base: str, name: str, password: str, totp_key: str = ""):
    opener = _opener()
    page = opener.open(base + "/sign-in/", timeout=60).read().decode()
    response = _post(opener, base + "/sign-in/",
                     {"csrfmiddlewaretoken": _csrf(page), "username": name, "password": password})
    if "/two-factor/" in response.geturl() and totp_key:
        from django_otp.oath import totp

        page = response.read().decode()
        code = f"{totp(bytes.fromhex(totp_key)):06d}"
        response = _post(opener, base + "/sign-in/two-factor/",
                         {"csrfmiddlewaretoken": _csrf(page), "code": code})
    if "/sign-in/" in response.geturl():
        raise SystemExit(f"could not sign in as {name}")
    return opener


def _web_worker_pids(root_pid: int) -> list[int]:
    """The gunicorn workers: grandchildren of `serve` whose command line names gunicorn."""
    out = []
    for pid in _descendants(root_pid):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if "gunicorn" in command:
            out.append(pid)
    return out


def _descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                children = [int(c) for c in (task / "children").read_text().split()]
                out += children
                todo += children
        except OSError:
            continue
    return out


def _own_cpu(pids: list[int]) -> float:
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
        except (OSError, ValueError, IndexError):
            continue
    return total


class Load:
    """The users' loops; ``phase`` names where their times are recorded."""

    def __init__(self, base: str, openers: list):
        self.base, self.openers = base, openers
        self.phase = "load"
        self.times: dict[tuple[str, str], list[float]] = defaultdict(list)
        self.errors: dict[str, list[str]] = defaultdict(list)
        self.lock = threading.Lock()
        self.stop = threading.Event()

    def run_user(self, opener, hard_deadline: float) -> None:
        n = 0
        # bounded: the stop event or the hard deadline ends every loop
        while not self.stop.is_set() and time.monotonic() < hard_deadline:
            path = PAGES[n % len(PAGES)]
            n += 1
            phase = self.phase
            start = time.perf_counter()
            problem = ""
            try:
                with opener.open(self.base + path, timeout=30) as response:
                    response.read()
                    if response.status != 200 or "/sign-in/" in response.geturl():
                        problem = f"{path}: status {response.status} at {response.geturl()}"
            except Exception as exc:  # count it, keep going until the deadline
                problem = f"{path}: {type(exc).__name__}"
            elapsed = (time.perf_counter() - start) * 1000
            with self.lock:
                self.times[(phase, path)].append(elapsed)
                if problem:
                    self.errors[phase].append(problem)


def _write_year(env: dict, folder: Path, population: int) -> tuple[Path, str]:
    """The demo council's latest year written again with another seed, zipped: one county year."""
    seed = secrets.randbelow(10**6) + 1000
    code = (
        "import sys\nfrom csc_scorecard.demo import DEMO_LA, DEMO_YEARS\n"
        "from csc_scorecard.synth.generate import generate\n"
        f"generate({str(folder)!r}, la_code=DEMO_LA, population={population}, years=DEMO_YEARS[-1:],"
        f" seed={seed}, xml=False)\n"
        "print(DEMO_YEARS[-1])\n"
    )
    done = subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True)
    year = done.stdout.strip().splitlines()[-1]
    years = [p for p in folder.rglob(year) if p.is_dir()]
    if not years:
        raise SystemExit(f"the synthetic year {year} was not written under {folder}")
    archive = folder / f"county-{year}.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted(years[0].rglob("*")):
            if path.is_file():
                z.write(path, path.relative_to(years[0]).as_posix())
    return archive, year


def _multipart(fields: dict, name: str, path: Path) -> tuple[bytes, str]:
    boundary = "bench" + secrets.token_hex(12)
    out = io.BytesIO()
    for key, value in fields.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode())
    out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{path.name}"\r\n'
              "Content-Type: application/zip\r\n\r\n".encode())
    out.write(path.read_bytes())
    out.write(f"\r\n--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def _scorecard_figures(opener, base: str, period: str) -> list[str]:
    page = opener.open(f"{base}/scorecard/?period={urllib.parse.quote(period)}", timeout=60).read().decode()
    return re.findall(r'data-col="(?:value_display|num_den)">([^<]*)<', page)


def _upload_and_wait(base: str, analyst, viewer, archive: Path, period: str) -> dict:
    before = _scorecard_figures(viewer, base, period)
    page = analyst.open(base + "/returns/upload/", timeout=60).read().decode()
    body, content_type = _multipart({"csrfmiddlewaretoken": _csrf(page), "year": ""}, "files", archive)
    started = time.monotonic()
    request = urllib.request.Request(base + "/returns/upload/", data=body, headers={
        "Content-Type": content_type, "Referer": base + "/returns/upload/"})
    response = analyst.open(request, timeout=300)
    task_url = response.geturl()
    if "/tasks/" not in task_url:
        return {"error": "the upload was refused (no task page)", "seconds": None}
    while time.monotonic() - started < UPLOAD_WAIT_SECONDS:  # bounded wait
        if _scorecard_figures(viewer, base, period) != before:
            return {"seconds": time.monotonic() - started, "task": task_url[len(base):]}
        time.sleep(1)
    return {"error": f"no change on the scorecard within {UPLOAD_WAIT_SECONDS} s", "seconds": None,
            "task": task_url[len(base):]}


def _table(load: Load, phase: str) -> list[str]:
    lines = [f"{'page':40} {'requests':>8} {'median ms':>10} {'p95 ms':>8} {'max ms':>8}"]
    for path in PAGES:
        values = sorted(load.times.get((phase, path), []))
        if not values:
            continue
        p95 = values[min(len(values) - 1, int(0.95 * len(values)))]
        lines.append(f"{path:40} {len(values):8} {statistics.median(values):10.0f} {p95:8.0f} {values[-1]:8.0f}")
    errors = load.errors.get(phase, [])
    lines.append(f"errors: {len(errors)}" + (f" (first: {errors[0]})" if errors else ""))
    return lines


def _single_user(base: str, opener, rounds: int) -> list[str]:
    """Each page alone, one request at a time: the per-page latency with no queue."""
    lines = [f"{'page (one user)':40} {'median ms':>10} {'max ms':>8}"]
    for path in PAGES:
        values = []
        for _ in range(rounds):
            start = time.perf_counter()
            opener.open(base + path, timeout=60).read()
            values.append((time.perf_counter() - start) * 1000)
        lines.append(f"{path:40} {statistics.median(values):10.1f} {max(values):8.1f}")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", required=True, help="the data directory to serve (with results)")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20, help=f"load phase (at most {MAX_SECONDS})")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--upload", action="store_true", help="then upload one county year and time it")
    parser.add_argument("--population", type=int, default=110_000, help="the uploaded year's population")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    if not 0 < args.seconds <= MAX_SECONDS or not 0 < args.users <= MAX_USERS:
        parser.error(f"--seconds must be in (0, {MAX_SECONDS}] and --users in 1..{MAX_USERS}")

    env = {k: v for k, v in os.environ.items() if k != "CSC_SCORECARD_TASKS"}
    env["CSC_SCORECARD_HOME"] = args.home
    password = secrets.token_urlsafe(18)
    names, totp_key = _make_accounts(env, args.users, password)
    scratch = Path(tempfile.mkdtemp(prefix="bench-web-"))
    archive, year = _write_year(env, scratch, args.population) if args.upload else (None, "")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "csc_scorecard.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
         "--workers", str(args.workers)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    report: dict = {"users": args.users, "seconds": args.seconds, "workers": args.workers,
                    "database": "PostgreSQL" if env.get("DATABASE_URL") else "SQLite",
                    "load_before": os.getloadavg()}
    lines: list[str] = []
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
        for opener in openers:  # warm: the first request of each worker loads the code
            for path in PAGES:
                opener.open(base + path, timeout=120).read()
        lines += _single_user(base, openers[0], 15)
        load = Load(base, openers)
        workers = _web_worker_pids(server.pid)
        cpu_start, wall_start = _own_cpu(workers), time.monotonic()
        hard_deadline = time.monotonic() + args.seconds + (UPLOAD_WAIT_SECONDS + 120 if archive else 0)
        threads = [threading.Thread(target=load.run_user, args=(o, hard_deadline)) for o in openers]
        for t in threads:
            t.start()
        time.sleep(args.seconds)
        cpu_used = _own_cpu(workers) - cpu_start
        wall = time.monotonic() - wall_start
        served = sum(len(v) for (phase, _), v in load.times.items() if phase == "load")
        report["load_during"] = os.getloadavg()
        report["server_cpu_ms_per_request"] = 1000 * cpu_used / max(served, 1)
        report["requests_per_second"] = served / wall
        if archive is not None:
            load.phase = "upload"
            analyst = _sign_in(base, ANALYST, password, totp_key)
            report["upload"] = _upload_and_wait(base, analyst, openers[0], archive, year)
        load.stop.set()
        for t in threads:
            t.join(timeout=60)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(scratch, ignore_errors=True)

    print(f"{args.users} users, {args.seconds:.0f} s, {args.workers} gunicorn workers, "
          f"database {report['database']}; load average before {report['load_before'][0]:.2f}, "
          f"during {report['load_during'][0]:.2f}")
    print("\n".join(lines))
    print("\n".join(_table(load, "load")))
    print(f"{report['requests_per_second']:.1f} requests/s; web workers' CPU "
          f"{report['server_cpu_ms_per_request']:.1f} ms per request")
    if archive is not None:
        up = report["upload"]
        print("upload of one county year: " + (f"on the scorecard after {up['seconds']:.1f} s" if up["seconds"]
                                               else up["error"]))
        print("while the upload ran:")
        print("\n".join(_table(load, "upload")))
    report["pages"] = {f"{phase} {path}": sorted(v) for (phase, path), v in load.times.items()}
    report["errors"] = dict(load.errors)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1, default=str))
    failed = bool(load.errors.get("load")) or (archive is not None and not report["upload"]["seconds"])
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

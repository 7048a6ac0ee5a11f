#!/usr/bin/env bash
# The test suite.
#
#   bash scripts/test.sh          everything (CI): set-up, ruff, mypy, every test on SQLite,
#                                 slow ones included, then every test that uses the database
#                                 again on PostgreSQL (CSC_SCORECARD_TEST_PG, default the local
#                                 server on 127.0.0.1:5432, database test)
#   bash scripts/test.sh --fast   the inner loop: ruff, mypy, every test but the slow ones, on
#                                 SQLite only; set-up only when a tool is missing
#
# Tests run in parallel on CSC_SCORECARD_TEST_WORKERS processes (default 2; 0 runs them in
# this process). Other arguments go to pytest: `bash scripts/test.sh --fast tests/store -x`.
# CSC_SCORECARD_SKIP_SETUP=1 skips the set-up (pip) step in the full run too.
set -euo pipefail
cd "$(dirname "$0")/.."

fast=0
args=()
for arg in "$@"; do
  if [ "$arg" = --fast ]; then fast=1; else args+=("$arg"); fi
done

# Always the code of this checkout (a git worktree too), whatever pip installed.
export PYTHONPATH="$PWD/src${PYTHONPATH:+:$PYTHONPATH}"
export PYTHONDONTWRITEBYTECODE=1

tools_present() {
  python3 -c "import csc_scorecard, click, django, pytest, pytest_django, xdist, mypy, ruff" 2>/dev/null
}
if [ "${CSC_SCORECARD_SKIP_SETUP:-}" = 1 ] || { [ $fast = 1 ] && tools_present; }; then
  :
else
  bash scripts/setup.sh test
fi

echo "== ruff"
python3 -m ruff check src tests bench conftest.py

echo "== mypy (the core packages: pyproject.toml [tool.mypy])"
python3 -m mypy

workers=${CSC_SCORECARD_TEST_WORKERS:-2}
# pytest-benchmark, when installed, is not used by this project and only warns under xdist
parallel=(-p no:benchmark)
if [ "$workers" != 0 ]; then
  # loadgroup keeps the tests sharing the synthetic council (tests/conftest.py) on one worker
  parallel+=(-n "$workers" --dist loadgroup)
fi

if [ $fast = 1 ]; then
  echo "== SQLite: every test but the slow ones (CSC_SCORECARD_SLOW=0)"
  CSC_SCORECARD_SLOW=0 env -u DATABASE_URL \
    python3 -m pytest -q "${parallel[@]}" "${args[@]+"${args[@]}"}"
  exit 0
fi

export CSC_SCORECARD_SLOW=${CSC_SCORECARD_SLOW:-1}
echo "== SQLite: the whole suite (slow tests included; CSC_SCORECARD_SLOW=0 skips them)"
env -u DATABASE_URL python3 -m pytest -q "${parallel[@]}" "${args[@]+"${args[@]}"}"

pg_url=${CSC_SCORECARD_TEST_PG:-postgresql://postgres@127.0.0.1:5432/test}
if python3 - "$pg_url" <<'PY'
import sys, psycopg
try:
    psycopg.connect(sys.argv[1], connect_timeout=5).close()
except Exception as exc:
    print(f"PostgreSQL not reachable at {sys.argv[1]}: {exc}", file=sys.stderr)
    sys.exit(1)
PY
then
  # each worker gets its own test database (pytest-django: test_<name>_gw0, _gw1, ...)
  echo "== PostgreSQL: every test that uses the database"
  DATABASE_URL="$pg_url" python3 -m pytest -q -m database \
    "${parallel[@]}" "${args[@]+"${args[@]}"}"
elif [ "${CI:-}" = true ]; then
  echo "CI needs PostgreSQL for the second pass" >&2
  exit 1
else
  echo "== PostgreSQL pass skipped (no server); CI runs it"
fi

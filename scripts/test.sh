#!/usr/bin/env bash
# The whole test suite: set-up, then every test on SQLite, then every test that
# touches the database again on PostgreSQL (DATABASE_URL, default: the local
# server on 127.0.0.1:5432, database test).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
export PYTHONDONTWRITEBYTECODE=1

echo "== ruff"
python3 -m ruff check src tests bench conftest.py

export CSC_SCORECARD_SLOW=${CSC_SCORECARD_SLOW:-1}
echo "== SQLite: the whole suite (slow tests included; CSC_SCORECARD_SLOW=0 skips them)"
env -u DATABASE_URL python3 -m pytest -q "$@"

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
  echo "== PostgreSQL: every test that uses the database"
  DATABASE_URL="$pg_url" python3 -m pytest -q -m database "$@"
elif [ "${CI:-}" = true ]; then
  echo "CI needs PostgreSQL for the second pass" >&2
  exit 1
else
  echo "== PostgreSQL pass skipped (no server); CI runs it"
fi

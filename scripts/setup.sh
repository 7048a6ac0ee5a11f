#!/usr/bin/env bash
# Everything a fresh machine needs: the package and its Python dependencies,
# and (for the test suite) the test tools. Safe to run again.
#
# The dependencies come from requirements-lock.txt: every package (the test
# tools and the build backend too) pinned to one version and checked against
# its sha256, so every machine gets the same set. The package itself is then
# installed on top, editable and without dependencies. scripts/update_lock.sh
# regenerates the lock (README: "Dependencies and the lock file").
set -euo pipefail
cd "$(dirname "$0")/.."
want=${1:-run}
pip_quiet=(--quiet --disable-pip-version-check --root-user-action=ignore)
python3 -m pip install "${pip_quiet[@]}" --require-hashes -r requirements-lock.txt 2>&1 \
  | grep -v -e "^\s*$" -e "is ignored: it is neither a file nor a directory" || true
python3 -m pip install "${pip_quiet[@]}" --no-deps --no-build-isolation -e . 2>&1 \
  | grep -v -e "^\s*$" -e "is ignored: it is neither a file nor a directory" || true
python3 -c "import csc_scorecard.cli" || {
  echo "setup: the package does not import after installing requirements-lock.txt" >&2
  exit 1
}
# WeasyPrint needs Pango; Debian machines have it, a minimal one may not.
if ! python3 -c "import weasyprint" >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    apt-get update -qq && apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 >/dev/null
  else
    echo "setup: WeasyPrint cannot load Pango; install libpango-1.0-0 and libpangoft2-1.0-0" >&2
  fi
fi
# The tests render PDFs to images with pdftoppm (poppler).
if [ "$want" = test ] && ! command -v pdftoppm >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    apt-get update -qq && apt-get install -y -qq poppler-utils >/dev/null
  else
    echo "setup: install poppler-utils (pdftoppm) for the report tests" >&2
  fi
fi
# Web app tests: Playwright drives Debian's chromium (`playwright install`
# cannot download here), and axe-core comes from npm (package.json). The GOV.UK
# Frontend assets are already built into src/csc_scorecard/web/core/static/govuk;
# `npm run build:govuk` rebuilds them after a govuk-frontend upgrade.
if [ "$want" = test ]; then
  if [ ! -x /usr/bin/chromium ]; then
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
      apt-get update -qq && apt-get install -y -qq chromium >/dev/null
    else
      echo "setup: install Debian's chromium for the browser tests" >&2
    fi
  fi
  if ! command -v npm >/dev/null 2>&1; then
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
      apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null
    fi
  fi
  if command -v npm >/dev/null 2>&1 && [ ! -f node_modules/axe-core/axe.min.js ]; then
    npm ci --no-audit --no-fund --loglevel=error >/dev/null
  fi
fi

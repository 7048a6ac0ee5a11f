#!/usr/bin/env bash
# Regenerate requirements-lock.txt from pyproject.toml's dependencies (and the
# `test` extra and the build backend), with every file's sha256, using
# pip-tools in a throwaway virtualenv (so this machine's packages are not
# touched). pip's own configuration (its indexes) is used to find packages.
#
#   bash scripts/update_lock.sh                      keep the pins, add what is new
#   bash scripts/update_lock.sh --upgrade            every package to its newest allowed version
#   bash scripts/update_lock.sh --upgrade-package django   one package (repeatable)
#
# Then run `bash scripts/setup.sh test` and the tests, and commit the lock.
set -euo pipefail
cd "$(dirname "$0")/.."
export CUSTOM_COMPILE_COMMAND="bash scripts/update_lock.sh"
tools=$(mktemp -d)
trap 'rm -rf "$tools"' EXIT
python3 -m venv "$tools"
"$tools/bin/python" -m pip install --quiet --disable-pip-version-check "pip-tools==7.6.2"
"$tools/bin/pip-compile" --quiet --generate-hashes --extra test --all-build-deps --allow-unsafe \
  --strip-extras --no-emit-index-url --no-emit-find-links \
  --output-file requirements-lock.txt "$@" pyproject.toml
echo "requirements-lock.txt: $(grep -c '==' requirements-lock.txt) packages pinned"

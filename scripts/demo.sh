#!/usr/bin/env bash
# The main job: set-up, then the demo council end to end on embedded SQLite
# (data in $CSC_SCORECARD_HOME, default ~/.csc-scorecard).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh run
csc-scorecard demo "$@"

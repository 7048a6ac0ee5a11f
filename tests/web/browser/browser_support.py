"""Paths and the password the browser tests share."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
CHROMIUM = Path(os.environ.get("CSC_SCORECARD_CHROMIUM", "/usr/bin/chromium"))
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "browser test passphrase 2026"

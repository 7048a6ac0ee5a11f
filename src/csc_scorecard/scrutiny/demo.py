"""The demo council's scrutiny committee, imported by ``csc-scorecard demo`` (placeholder)."""

from pathlib import Path

DEMO_SCRUTINY = Path(__file__).with_name("examples") / "demo_scrutiny.yml"

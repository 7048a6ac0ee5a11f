"""Our cross-return checks (return type "cross", codes XR01...): see rules.py and docs/validation.md.

    check_cross(year, la_code=None) -> results   (reads the store; Django must be set up)
    check_cross_tables(tables, ctx) -> results   (on frames already held)
    with shared_reads(): ...                     (several check_cross runs read a table once)
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from csc_scorecard.validation.core import Context, RuleResult, run_rules
from csc_scorecard.validation.cross import rules  # noqa: F401 - importing registers the checks
from csc_scorecard.validation.cross.tables import frames_from_rows, load_cross_tables, shared_reads

RETURN_TYPE = "cross"


def check_cross_tables(tables: Mapping[str, pl.DataFrame], ctx: Context) -> list[RuleResult]:
    return run_rules(RETURN_TYPE, tables, ctx)


def check_cross(year: str, la_code: str | None = None) -> list[RuleResult]:
    """Every cross-return check on the store's current submissions for the collection year."""
    return check_cross_tables(load_cross_tables(year, la_code), Context(year, la_code=la_code))


__all__ = ["check_cross", "check_cross_tables", "frames_from_rows", "load_cross_tables", "shared_reads"]

"""The DfE's CIN census validation rules, one small function per rule code.

    load_cin_tables(path) -> tables         (tables.py: the file as raw-text frames)
    check_cin_tables(tables, ctx) -> results (every rule in force for ctx's year)

Importing this package registers the rules (return type "cin") in the
shared registry of csc_scorecard.validation.core. The rule list itself -
codes, messages, fields, years - is rules.yml, built from the DfE's lists by
scripts/build_cin_rule_list.py.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from csc_scorecard.validation.cin import (  # noqa: F401 - importing registers the rules
    rules_assessments,
    rules_identifiers,
    rules_plans,
    rules_referrals,
    rules_section47,
)
from csc_scorecard.validation.cin.common import RETURN_TYPE, rule_list
from csc_scorecard.validation.cin.tables import load_cin_tables, tables_from_rows
from csc_scorecard.validation.core import Context, RuleResult, run_rules


def check_cin_tables(tables: Mapping[str, pl.DataFrame], ctx: Context) -> list[RuleResult]:
    """Every CIN census rule in force for the context's collection year, in code order."""
    return run_rules(RETURN_TYPE, tables, ctx)


__all__ = ["check_cin_tables", "load_cin_tables", "rule_list", "tables_from_rows"]

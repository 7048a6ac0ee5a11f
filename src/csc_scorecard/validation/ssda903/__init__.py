"""The SSDA903 rules: one function per DfE code, grouped by subject.

Importing this package registers every rule. ``tables.load_903_tables`` reads
files into the frames the rules take; ``run_903(tables, ctx)`` runs the rules
in force for the context's year. See docs/validation.md for how to add a rule.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from csc_scorecard.validation.core import Context, RuleResult, run_rules
from csc_scorecard.validation.ssda903 import (  # noqa: F401  (registers the rules)
    rules_adoption,
    rules_care_limits,
    rules_episodes,
    rules_header,
    rules_integrity,
    rules_last_year,
    rules_missing,
    rules_oc2,
    rules_oc3,
    rules_placement,
    rules_reviews,
    rules_social_worker,
)
from csc_scorecard.validation.ssda903.catalogue import RETURN_TYPE


def run_903(tables: Mapping[str, pl.DataFrame], ctx: Context) -> list[RuleResult]:
    """Every 903 rule in force for the context's year, in code order."""
    return run_rules(RETURN_TYPE, tables, ctx)

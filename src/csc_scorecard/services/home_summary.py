"""Home page: the high-level summary by priority, the exceptions and what needs attention.

For the period chosen (default the latest stored financial year): each
priority's roll-up RAG and direction (rating.priorities.summarise over the
rated scorecard), every Red and Amber indicator, and the gaps: Reds and Ambers
without commentary, stale years (services.recompute), and rated indicators
with no target for the year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from csc_scorecard.indicators.vocab import Polarity

__all__ = ["HomeSummary", "home_summary"]


@dataclass
class HomeSummary:
    period: str
    period_groups: list[tuple[str, list[str]]]
    priorities: list[dict[str, Any]] = field(default_factory=list)
    exceptions: list[dict[str, Any]] = field(default_factory=list)
    missing_commentary: list[dict[str, Any]] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    no_target: list[dict[str, Any]] = field(default_factory=list)
    version_key: str = ""  # the page's parts are rendered once per key (page_cache.version_key)


def home_summary(account: Any, period: str | None = None) -> HomeSummary:
    """The summary for the account's kind of figures (publication or not), kept while the data
    is unchanged (services.page_cache): the same for every account of that kind. Read-only."""
    from csc_scorecard.services.access import publication_only
    from csc_scorecard.services.page_cache import remember, version_key

    key = (period or "", publication_only(account))

    def build() -> HomeSummary:
        summary = _build_home_summary(account, period)
        summary.version_key = version_key("home", key)
        return summary

    return remember("home", key, build)


def _build_home_summary(account: Any, period: str | None) -> HomeSummary:
    from csc_scorecard.periods import parse_period
    from csc_scorecard.rating.priorities import load_priorities, summarise
    from csc_scorecard.rating.rag import rag_label
    from csc_scorecard.services.commentary import missing_commentary
    from csc_scorecard.services.page_cache import cached_scorecard_view
    from csc_scorecard.services.recompute import stale_years
    from csc_scorecard.services.scorecard_page import _council_code, _default_period, period_choices
    from csc_scorecard.services.targets import overdue_targets

    groups = period_choices()
    known = {label for _, labels in groups for label in labels}
    period = period if period in known else _default_period(groups)
    out = HomeSummary(period or "", groups)
    if not period:
        return out
    code = _council_code()
    frame = cached_scorecard_view(period, by=None, la_code=code, account=account).frame
    rows = frame.filter(pl.col("area") == "all").to_dicts()
    for p in summarise(rows, load_priorities()):
        p["rag_label"] = rag_label(str(p["rag"]), short=True) if p["rag"] else "Not rated"
        if not p["direction"]:
            p["direction_label"] = "Not known: no earlier figure to compare"
        out.priorities.append(p)
    order = {"R": 0, "A": 1}
    out.exceptions = sorted((r for r in rows if r["rag"] in order),
                            key=lambda r: (order[r["rag"]], r["priority"] or "", r["title"]))
    titles = {r["indicator_id"]: r["title"] for r in rows}
    missing = missing_commentary(period, [r["indicator_id"] for r in out.exceptions])
    out.missing_commentary = [{"indicator_id": i, "title": titles[i]} for i in missing]
    out.stale = [str(s) for s in stale_years(code)]
    rated = [r["indicator_id"] for r in rows if Polarity.parse(r["polarity"]).judged]
    year = parse_period(period).financial_year
    out.no_target = [{"indicator_id": i, "title": titles[i]} for i in overdue_targets(year, rated)]
    return out

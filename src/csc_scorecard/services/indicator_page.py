"""One indicator for one period, as its web page shows it.

Definition from the catalogue, the rated scorecard row (services.scorecard),
a trend over the stored periods of the same kind (chart and table), the
stored breakdowns, the published benchmarks with rank and quartile, the
target with its history and the period's commentary. A viewer gets
publication-mode figures everywhere, trend and breakdowns included.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from csc_scorecard.indicators.breakdowns import AGE_BANDS
from csc_scorecard.indicators.vocab import Polarity, Unit
from csc_scorecard.periods import parse_period

__all__ = ["BREAKDOWN_TITLES", "IndicatorPage", "NoSuchIndicator", "indicator_chart", "indicator_page"]

BREAKDOWN_TITLES = {
    "area": "Area", "team": "Team", "sex": "Sex", "age": "Age band",
    "ethnicity": "Ethnicity", "disability": "Disability",
}
POLARITY_WORDS = {
    Polarity.HIGHER_BETTER: "Higher is better",
    Polarity.LOWER_BETTER: "Lower is better",
    Polarity.CONTEXTUAL: "Neither higher nor lower is better (context only, not rated)",
}
TREND_POINTS = 12


class NoSuchIndicator(LookupError):
    pass


@dataclass
class IndicatorPage:
    entry: Any
    period: str
    polarity_words: str
    row: dict[str, Any] | None
    trend: list[dict[str, Any]]
    chart_svg: str
    breakdowns: list[tuple[str, list[dict[str, Any]]]]
    benchmark: dict[str, Any] | None
    target: Any
    target_history: list[dict[str, Any]]
    commentary: list[dict[str, Any]]
    can_see_children: bool
    child_areas: list[str]
    publication: bool
    notes: list[str] = field(default_factory=list)
    year: str = ""  # the period's financial year: the year its target belongs to
    frozen: str = ""  # the period's figures come from a freeze: when, by whom (services.freeze)
    # a rate's denominators: "Council: ...", "North: 30,800 children aged 0-17: <source>", ...
    population_notes: list[str] = field(default_factory=list)
    version_key: str = ""  # the page's parts are rendered once per key (page_cache.version_key)


def _displayed(frame: pl.DataFrame, unit: str, decimals: int, publication: bool,
               group: str) -> list[dict[str, Any]]:
    """Rows with display strings; in publication mode suppressed (with secondary suppression)."""
    from csc_scorecard.rating.suppression import suppress

    if frame.height == 0:
        return []
    frame = frame.with_columns(pl.lit(unit).alias("unit"), pl.lit(decimals).alias("decimals"))
    if publication:
        shown = suppress(frame, group_by=(group,), area="area")
    else:
        shown = suppress(frame, group_by=(group,), area="area", low=1, high=0)
    return shown.to_dicts()


def _trend(entry: Any, period: str, code: str, publication: bool) -> list[dict[str, Any]]:
    from csc_scorecard.services.results import stored_values

    p = parse_period(period)
    # read for the page's period: a frozen year's trend shows its frozen figures
    frame = stored_values(la_code=code, breakdown="all", indicator_ids=[entry.id], context=period)
    rows = []
    for r in frame.to_dicts():
        q = parse_period(r["period"])
        if q.kind == p.kind and q.end <= p.end:
            rows.append((q.end, r))
    rows.sort(key=lambda t: t[0])
    picked = [r for _, r in rows[-TREND_POINTS:]]
    if not picked:
        return []
    # each period is a group of its own: a trend has no total to subtract from
    frame = pl.DataFrame(picked).with_columns(pl.col("period").alias("area"))
    return _displayed(frame, entry.unit, entry.decimals, publication, "period")


def _chart(entry: Any, trend: list[dict[str, Any]]) -> str:
    from csc_scorecard.reporting.charts import trend_chart

    if len(trend) < 2:
        return ""
    values = [None if r.get("suppressed") else r.get("value") for r in trend]
    svg, _ = trend_chart(
        [r["period"] for r in trend], [(entry.title, values)],
        y_label=entry.unit.replace("_", " "), colour="#1d70b8",
        integer=entry.unit == "count", percent=entry.unit == "percent",
    )
    return svg


def _breakdowns(entry: Any, period: str, code: str, publication: bool,
                ) -> list[tuple[str, list[dict[str, Any]]]]:
    from csc_scorecard.services.results import stored_values

    frame = stored_values(period, la_code=code, indicator_ids=[entry.id])
    out = []
    for kind, title in BREAKDOWN_TITLES.items():
        part = frame.filter(pl.col("breakdown") == kind)
        if part.height == 0:
            continue
        part = part.with_columns(pl.col("breakdown_value").alias("area"))
        rows = _displayed(part, entry.unit, entry.decimals, publication, "breakdown")
        if kind == "age":  # youngest first, not in the order of the text
            rank = {band: n for n, band in enumerate(AGE_BANDS)}
            rows.sort(key=lambda r: rank.get(r["area"], len(rank)))
        out.append((title, rows))
    return out


def _population_notes(period: str, code: str) -> list[str]:
    """The children aged 0-17 each stored rate of the period divides by, and its source."""
    from csc_scorecard.services.results import TOTAL_AREA, stored_population_notes

    notes = stored_population_notes([period], la_code=code or None)
    council = [f"Whole council: {n}" for (_p, a), n in notes.items() if a == TOTAL_AREA]
    areas = [f"{a}: {n.removeprefix(f'{a}: ')}" for (_p, a), n in sorted(notes.items()) if a != TOTAL_AREA]
    return council + areas


def _benchmark(code: str, entry_id: str, year: str) -> dict[str, Any] | None:
    from csc_scorecard.services.scorecard_page import published_benchmarks

    frame = published_benchmarks(code, year)
    if frame is None:
        return None
    rows = frame.filter(pl.col("indicator_id") == entry_id).to_dicts()
    return rows[0] if rows else None


def _commentary(entry_id: str, priority_id: str | None, period: str) -> list[dict[str, Any]]:
    from csc_scorecard.services.commentary import commentary_for

    return commentary_for(entry_id, priority_id, period)


def indicator_page(account: Any, indicator_id: str, period: str | None = None,
                   la_code: str | None = None) -> IndicatorPage:
    """Raises NoSuchIndicator for an id the catalogue does not hold.

    The figures are kept while the data is unchanged (services.page_cache), per kind of
    figures (publication or not); what the account may drill into is added per request.
    """
    from dataclasses import replace

    from csc_scorecard.indicators.catalogue import get_catalogue
    from csc_scorecard.services.access import ALL_AREAS, publication_only, visible_areas
    from csc_scorecard.services.page_cache import remember, version_key

    if indicator_id not in get_catalogue():
        raise NoSuchIndicator(indicator_id)
    publication = publication_only(account)
    key = (indicator_id, period or "", la_code, publication)

    def build() -> IndicatorPage:
        page = _build_indicator_page(account, indicator_id, period, la_code)
        page.version_key = version_key("indicator-page", key)
        return page

    kept = remember("indicator-page", key, build)
    areas = visible_areas(account)
    return replace(
        kept, can_see_children=not publication and (areas is ALL_AREAS or bool(areas)),
        child_areas=[] if areas is ALL_AREAS else sorted(areas or []),
    )


def _build_indicator_page(account: Any, indicator_id: str, period: str | None,
                          la_code: str | None) -> IndicatorPage:
    from csc_scorecard.indicators.catalogue import get_catalogue
    from csc_scorecard.rating.targets import target_history, targets_for_year
    from csc_scorecard.services.access import publication_only
    from csc_scorecard.services.page_cache import cached_scorecard_view
    from csc_scorecard.services.scorecard_page import _council_code, _default_period, period_choices

    entry = get_catalogue()[indicator_id]
    groups = period_choices(la_code)
    known = {label for _, labels in groups for label in labels}
    period = period if period in known else _default_period(groups)
    publication = publication_only(account)
    code = _council_code(la_code) or ""
    page = IndicatorPage(
        entry=entry, period=period or "", polarity_words=POLARITY_WORDS.get(entry.polarity, entry.polarity),
        row=None, trend=[], chart_svg="", breakdowns=[], benchmark=None, target=None,
        target_history=[], commentary=[], can_see_children=False, child_areas=[],
        publication=publication,
    )
    if not period:
        return page
    year = parse_period(period).financial_year
    page.year = year
    view = cached_scorecard_view(period, by=None, la_code=code or None, account=account)
    rows = view.frame.filter((pl.col("indicator_id") == indicator_id) & (pl.col("area") == "all"))
    page.row = rows.to_dicts()[0] if rows.height else None
    page.notes = [n for n in view.notes if n != view.frozen]
    page.frozen = view.frozen
    page.trend = _trend(entry, period, code, publication)
    page.chart_svg = "yes" if len(page.trend) >= 2 else ""  # the image is served by indicator_chart
    page.breakdowns = _breakdowns(entry, period, code, publication)
    if entry.unit == Unit.RATE_PER_10K:
        page.population_notes = _population_notes(period, code)
    page.benchmark = _benchmark(code, indicator_id, year) if code else None
    page.target = targets_for_year(year).get(indicator_id)
    page.target_history = [dict(h) for h in target_history(indicator_id)]
    page.commentary = _commentary(indicator_id, page.row.get("priority_id") if page.row else None,
                                  period)
    return page


def indicator_chart(account: Any, indicator_id: str, period: str | None = None,
                    la_code: str | None = None) -> str:
    """The trend chart alone (SVG text, empty when under two points), for the page's image."""
    from csc_scorecard.indicators.catalogue import get_catalogue
    from csc_scorecard.services.access import publication_only
    from csc_scorecard.services.page_cache import remember
    from csc_scorecard.services.scorecard_page import _council_code, _default_period, period_choices

    catalogue = get_catalogue()
    if indicator_id not in catalogue:
        raise NoSuchIndicator(indicator_id)
    groups = period_choices(la_code)
    known = {label for _, labels in groups for label in labels}
    period = period if period in known else _default_period(groups)
    if not period:
        return ""
    entry = catalogue[indicator_id]
    publication = publication_only(account)

    def build() -> str:
        return _chart(entry, _trend(entry, period, _council_code(la_code) or "", publication))

    # drawing takes matplotlib tens of milliseconds: kept while the data is unchanged
    return remember("indicator-chart", (indicator_id, period, la_code, publication), build)


def chosen_period(raw: str | None, la_code: str | None = None) -> str:
    """The period asked for when it is stored, else the latest stored financial year ("" if none)."""
    from csc_scorecard.services.scorecard_page import _default_period, period_choices

    groups = period_choices(la_code)
    known = {label for _, labels in groups for label in labels}
    return raw if raw in known else _default_period(groups)


def indicator_title(indicator_id: str) -> str:
    """The catalogue's title of an indicator (its id when the catalogue has no entry)."""
    from csc_scorecard.indicators.catalogue import get_catalogue

    catalogue = get_catalogue()
    return catalogue[indicator_id].title if indicator_id in catalogue else indicator_id

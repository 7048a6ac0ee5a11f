"""The web scorecard page: one period's indicators, filtered, sorted, and exported as shown.

The figures come from :func:`csc_scorecard.services.scorecard.scorecard_view`
(the stored results, rated against the current targets); this module only
chooses the breakdown for the filters, adds the published rank and quartile,
filters, sorts and writes what is on screen as CSV or xlsx. A viewer always
gets publication-mode figures (``scorecard_view(account=...)`` forces it).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import polars as pl

from csc_scorecard.periods import PeriodError, parse_period

__all__ = [
    "COLUMNS",
    "FILTERS",
    "ScorecardPage",
    "export_scorecard",
    "period_choices",
    "scorecard_page",
]

# key -> (heading, the raw column it sorts by); the order is the table's.
COLUMNS: dict[str, tuple[str, str]] = {
    "priority": ("Priority", "priority_order"),
    "title": ("Indicator", "title"),
    "area": ("Area or team", "area"),
    "value_display": ("Value", "value"),
    "num_den": ("Numerator/denominator", "numerator"),
    "target_display": ("Target", "target"),
    "rag_label": ("RAG", "rag_order"),
    "direction_label": ("Direction", "direction_label"),
    "previous_display": ("Previous", "previous_value"),
    "change_display": ("Change", "change"),
    "sn_display": ("Statistical neighbours", "sn_average"),
    "england_display": ("England", "england"),
    "rank_display": ("Rank and quartile", "rank"),
}
FILTERS = ("period", "priority", "family", "area", "team")
# Red first when sorting by RAG: the exceptions are what a reader looks for.
RAG_ORDER = {"R": 0, "A": 1, "G": 2, "B": 3}
KIND_GROUPS = [
    ("year", "Financial years"),
    ("quarter", "Quarters"),
    ("month", "Months"),
    ("r12", "Rolling 12 months"),
    ("ytd", "Year to date"),
]


@dataclass
class ScorecardPage:
    period: str
    filters: dict[str, str]
    choices: dict[str, list[tuple[str, str]]]
    period_groups: list[tuple[str, list[str]]]
    rows: list[dict[str, Any]]
    columns: list[tuple[str, str]]
    sort: str
    order: str
    publication: bool
    notes: list[str] = field(default_factory=list)
    empty_store: bool = False
    frozen: str = ""  # the period's figures come from a freeze: when, by whom (services.freeze)
    version_key: str = ""  # the page's parts are rendered once per key (page_cache.version_key)


def _council_code(la_code: str | None = None) -> str | None:
    from csc_scorecard.services.page_cache import remember
    from csc_scorecard.services.results import NoResults, results_council

    def build() -> str | None:
        try:
            return results_council(la_code)
        except NoResults:
            return None

    return remember("council", (la_code,), build)


def _stored(la_code: str | None, **filters: Any) -> pl.DataFrame:
    from csc_scorecard.services.results import stored_values

    return stored_values(la_code=la_code, **filters)


def period_choices(la_code: str | None = None) -> list[tuple[str, list[str]]]:
    """The stored periods grouped by kind (years, quarters, ...), latest first in each group."""
    from csc_scorecard.services.page_cache import remember

    return remember("periods", (la_code,), lambda: _period_choices(la_code))


def _period_choices(la_code: str | None) -> list[tuple[str, list[str]]]:
    code = _council_code(la_code)
    if code is None:
        return []
    from csc_scorecard.services.results import stored_periods

    labels = stored_periods(code)
    groups: dict[str, list[Any]] = {k: [] for k, _ in KIND_GROUPS}
    for label in labels:
        try:
            p = parse_period(label)
        except PeriodError:
            continue
        groups.setdefault(p.kind, []).append(p)
    out = []
    for kind, heading in KIND_GROUPS:
        periods = sorted(groups.get(kind, []), key=lambda p: (p.end, p.start), reverse=True)
        if periods:
            out.append((heading, [p.label for p in periods]))
    return out


def _default_period(groups: list[tuple[str, list[str]]]) -> str:
    for heading, labels in groups:
        if heading == "Financial years":
            return labels[0]
    return groups[0][1][0] if groups else ""


def _breakdown_choices(code: str | None, period: str, breakdown: str) -> list[str]:
    from csc_scorecard.services.page_cache import remember

    if code is None or not period:
        return []

    def build() -> list[str]:
        frame = _stored(code, period=period, breakdown=breakdown)
        return sorted(frame["breakdown_value"].unique().to_list())

    return remember("breakdown", (code, period, breakdown), build)


def published_benchmarks(code: str, year: str) -> pl.DataFrame | None:
    """benchmarks_for the council and year, None without reference data; kept while the
    reference files are unchanged (the pages ask for the same year again and again)."""
    try:
        from csc_scorecard.benchmarks import reference as ref
        from csc_scorecard.benchmarks.paths import reference_file
        from csc_scorecard.rating.scorecard_providers import _neighbours_like

        path = reference_file(ref.MEASURES_FILE)
        stamp = path.stat().st_mtime_ns if path is not None else 0
        return _benchmarks_cached(code, year, _neighbours_like(), stamp)
    except Exception:  # reference data missing, council not published: left blank
        return None


@lru_cache(maxsize=32)
def _benchmarks_cached(code: str, year: str, like: str | None, stamp: int) -> pl.DataFrame:
    from csc_scorecard.benchmarks.compare import benchmarks_for

    return benchmarks_for(code, year, neighbours_like=like)


def _ranks(code: str | None, year: str) -> dict[str, dict[str, Any]]:
    """Published rank and quartile of the council per indicator (empty without reference data)."""
    frame = published_benchmarks(code, year) if code else None
    if frame is None:
        return {}
    return {r["indicator_id"]: r for r in frame.to_dicts() if r.get("rank") is not None}


def _rank_text(r: dict[str, Any] | None) -> str:
    if not r:
        return ""
    n = r.get("n_ranked")
    text = f"{int(r['rank'])}" + (f" of {int(n)}" if n else "")
    if r.get("quartile"):
        text += f", quartile {int(r['quartile'])}"
    return text


def _clean_filters(raw: dict[str, str]) -> dict[str, str]:
    return {k: str(raw.get(k) or "").strip()[:120] for k in FILTERS}


def scorecard_page(account: Any, raw: dict[str, str], *, sort: str = "", order: str = "",
                   la_code: str | None = None) -> ScorecardPage:
    """The scorecard as the page shows it. Unknown filter values are ignored, not errors.

    Kept while the data is unchanged (services.page_cache), per filters, sort and kind of
    figures (publication or not): the same for every account of that kind. Read-only.
    """
    from csc_scorecard.services.access import publication_only
    from csc_scorecard.services.page_cache import remember, version_key

    filters = _clean_filters(raw)
    key = (tuple(filters.items()), sort, order, la_code, publication_only(account))

    def build() -> ScorecardPage:
        page = _build_scorecard_page(account, filters, sort, order, la_code)
        page.version_key = version_key("scorecard-page", key)
        return page

    return remember("scorecard-page", key, build)


def _build_scorecard_page(account: Any, filters: dict[str, str], sort: str, order: str,
                          la_code: str | None) -> ScorecardPage:
    from csc_scorecard.indicators.catalogue import get_catalogue
    from csc_scorecard.rating.priorities import load_priorities
    from csc_scorecard.services.access import publication_only
    from csc_scorecard.services.page_cache import cached_scorecard_view

    filters = dict(filters)
    groups = period_choices(la_code)
    known = {label for _, labels in groups for label in labels}
    if filters["period"] not in known:
        filters["period"] = _default_period(groups)
    period = filters["period"]
    code = _council_code(la_code)
    priorities = load_priorities()
    catalogue = get_catalogue()
    areas = _breakdown_choices(code, period, "area")
    teams = _breakdown_choices(code, period, "team")
    if filters["area"] not in areas:
        filters["area"] = ""
    if filters["team"] not in teams:
        filters["team"] = ""
    if filters["priority"] not in {p.id for p in priorities}:
        filters["priority"] = ""
    if filters["family"] not in catalogue.families():
        filters["family"] = ""
    choices = {
        "priority": [("", "All priorities")] + [(p.id, p.title) for p in priorities],
        "family": [("", "All families")] + [(f, f.replace("_", " ").capitalize())
                                            for f in catalogue.families()],
        "area": [("", "Whole council")] + [(a, a) for a in areas],
        "team": [("", "All teams")] + [(t, t) for t in teams],
    }
    sort = sort if sort in COLUMNS else ""
    order = "desc" if order == "desc" else "asc"
    page = ScorecardPage(period, filters, choices, groups, [], [(k, h) for k, (h, _) in COLUMNS.items()],
                         sort, order, publication_only(account), empty_store=not groups)
    if not period:
        return page

    by = "team" if filters["team"] else "area" if filters["area"] else None
    view = cached_scorecard_view(period, by=by, la_code=code, account=account)
    # of the areas' population lines, only the chosen area's
    page.notes = [n for n in view.notes if n != view.frozen and (
        not n.startswith("Rates per 10,000 for ")
        or n.startswith(f"Rates per 10,000 for {filters['area']}:"))]
    page.frozen = view.frozen
    frame = view.frame
    wanted_area = filters["team"] or filters["area"] or "all"
    frame = frame.filter(pl.col("area") == wanted_area)
    if filters["priority"]:
        frame = frame.filter(pl.col("priority_id") == filters["priority"])
    if filters["family"]:
        ids = [e.id for e in catalogue.family(filters["family"])]
        frame = frame.filter(pl.col("indicator_id").is_in(ids))
    ranks = _ranks(code, parse_period(period).financial_year)
    prio_order = {p.id: n for n, p in enumerate(priorities)}
    rows = []
    for r in frame.to_dicts():
        rank = ranks.get(r["indicator_id"])
        r["area"] = "Whole council" if r["area"] == "all" else r["area"]
        r["rank"] = rank.get("rank") if rank else None
        r["rank_display"] = _rank_text(rank)
        r["rag_order"] = RAG_ORDER.get(r["rag"] or "", 9)
        r["priority_order"] = prio_order.get(r["priority_id"] or "", len(prio_order))
        rows.append(r)
    if sort:
        key = COLUMNS[sort][1]
        present = [r for r in rows if r.get(key) not in (None, "")]
        blank = [r for r in rows if r.get(key) in (None, "")]
        present.sort(key=lambda r: (r[key], r["title"]), reverse=order == "desc")
        rows = present + blank  # blanks last whichever way
    page.rows = rows
    return page


def export_scorecard(page: ScorecardPage, fmt: str) -> tuple[bytes, str, str]:
    """(content, file name, content type) of exactly the page's table."""
    headings = [h for _, h in page.columns]
    keys = [k for k, _ in page.columns]
    table = [[str(r.get(k) or "") for k in keys] for r in page.rows]
    stem = f"scorecard-{page.period or 'none'}"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(headings)
        writer.writerows(table)
        return out.getvalue().encode("utf-8-sig"), f"{stem}.csv", "text/csv; charset=utf-8"
    if fmt == "xlsx":
        import xlsxwriter

        buffer = io.BytesIO()
        book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                            "strings_to_numbers": False})
        sheet = book.add_worksheet("Scorecard")
        bold = book.add_format({"bold": True})
        sheet.write_row(0, 0, headings, bold)
        for n, row in enumerate(table, start=1):
            sheet.write_row(n, 0, row)
        sheet.freeze_panes(1, 0)
        book.close()
        return (buffer.getvalue(), f"{stem}.xlsx",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    raise ValueError(f"unknown format {fmt!r}")

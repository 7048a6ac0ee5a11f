"""Live, frozen and DfE-published figures of one year side by side (``csc-scorecard reconcile``).

Per catalogue indicator, for the council as a whole:

- **live**: the figure computed now from the current returns (results.IndicatorValue);
- **frozen**: the figure of the freeze in force for the year (services.freeze), if any;
- **published**: the council's own figure as the DfE published it, from the
  reference data in use (an import, else the shipped snapshot; benchmarks.compare).

The differences are of the figures as printed (each rounded half away from
zero to the indicator's decimals first, as the reports do), in the
indicator's unit: percentage points for percentages, per 10,000 for rates,
days for durations. Each figure says where it came from: the submissions
(id, return, year) for live and frozen ones, the published period, measure
and reference vintage for the DfE's.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from csc_scorecard.indicators.vocab import Unit
from csc_scorecard.periods import PeriodError, PeriodKind, parse_period

__all__ = ["COLUMNS", "Reconciliation", "reconcile", "reconcile_csv", "write_reconcile_xlsx"]

# key -> heading, in the order of every output
COLUMNS: dict[str, str] = {
    "indicator_id": "Indicator id",
    "title": "Indicator",
    "unit": "Unit",
    "live": "Live",
    "live_num_den": "Live numerator/denominator",
    "live_source": "Live from",
    "frozen": "Frozen",
    "frozen_num_den": "Frozen numerator/denominator",
    "frozen_source": "Frozen from",
    "published": "Published (DfE)",
    "published_source": "Published from",
    "live_minus_frozen": "Live - frozen",
    "live_minus_published": "Live - published",
    "frozen_minus_published": "Frozen - published",
    "difference_unit": "Difference in",
}
NUMBER_COLUMNS = ("live", "frozen", "published", "live_minus_frozen", "live_minus_published",
                  "frozen_minus_published")
DIFFERENCE_UNITS = {Unit.PERCENT: "pp", Unit.RATE_PER_10K: "per 10,000", Unit.DAYS: "days",
                    Unit.COUNT: "number", Unit.AVERAGE: "average"}


class ReconcileError(ValueError):
    """Reconcile cannot be run as asked (a clear message for the user)."""


@dataclass
class Reconciliation:
    la_code: str
    year: str
    freeze: Any  # services.freeze.FreezeInfo or None
    reference: str  # the reference data's vintage, or why there is none
    rows: list[dict[str, Any]]
    notes: list[str] = field(default_factory=list)


def _rounded(value: float | None, decimals: int) -> float | None:
    from csc_scorecard.indicators.formatting import round_value

    return None if value is None else round_value(value, decimals)


def _minus(a: float | None, b: float | None, decimals: int) -> float | None:
    if a is None or b is None:
        return None
    return _rounded(a - b, decimals)


def _submission_names(ids: set[int]) -> dict[int, str]:
    from csc_scorecard.store.models import Submission

    names = {s.pk: str(s) for s in Submission.objects.filter(pk__in=sorted(ids))}
    return {i: names.get(i, f"#{i} (removed)") for i in ids}


def _sources(ids: list[Any], names: dict[int, str]) -> str:
    return "; ".join(names[int(i)] for i in ids) if ids else "no submission recorded"


def _num_den(row: dict[str, Any] | None) -> str:
    from csc_scorecard.indicators.formatting import format_count

    if row is None:
        return ""
    top = format_count(row["numerator"], trim=True, thousands=True)
    if row["denominator"] is None:
        return top
    return f"{top}/{format_count(row['denominator'], trim=True, thousands=True)}"


def _published(code: str, year: str, ref_dir: Path | None) -> tuple[dict[str, dict], str, list[str]]:
    """(indicator -> benchmarks_for row, the reference vintage, notes)."""
    from csc_scorecard.benchmarks import reference as ref
    from csc_scorecard.benchmarks.compare import benchmarks_for
    from csc_scorecard.benchmarks.paths import reference_file
    from csc_scorecard.benchmarks.status import reference_status
    from csc_scorecard.benchmarks.vintage import describe_vintage

    notes: list[str] = []
    try:
        if ref_dir is None:
            vintage = reference_status().label
        else:
            path = reference_file(ref.MEASURES_FILE, ref_dir)
            vintage = describe_vintage(pl.scan_parquet(path))["label"] if path else "none"
    except Exception:  # an unreadable manifest: the figures may still be there
        vintage = "vintage unknown"
    try:
        frame = benchmarks_for(code, year, ref_dir)
    except Exception as exc:  # no reference data, a council the DfE does not publish
        text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        notes.append(f"published figures unavailable: {text}")
        return {}, vintage, notes
    rows = {r["indicator_id"]: r for r in frame.to_dicts() if r.get("la_value") is not None}
    if not rows:
        notes.append(f"the reference data ({vintage}) has no published {year} figure for LA {code}")
    return rows, vintage, notes


def reconcile(period: Any, *, la_code: str | None = None,
              ref_dir: Path | None = None) -> Reconciliation:
    """The year's live, frozen and published figures per indicator (see the module).

    Raises ReconcileError for a period that is not a financial year (the DfE
    publishes years), NoResults/CouncilNotChosen from the council rule.
    """
    from csc_scorecard.indicators.catalogue import get_catalogue
    from csc_scorecard.results.reader import read_frozen_values
    from csc_scorecard.services.freeze import freeze_in_force
    from csc_scorecard.services.results import live_values, results_council

    try:
        p = parse_period(period) if isinstance(period, str) else period
    except PeriodError as exc:
        raise ReconcileError(str(exc)) from None
    if p.kind is not PeriodKind.YEAR:
        raise ReconcileError(
            f"{p.label} is not a financial year: the DfE publishes whole years, so reconcile "
            f"compares years (try {p.financial_year})"
        )
    year = p.label
    code = results_council(la_code)
    freeze = freeze_in_force(code, year)
    live = {r["indicator_id"]: r for r in live_values(year, la_code=code, breakdown="all").to_dicts()}
    frozen: dict[str, dict] = {}
    frozen_subs: dict[str, list[int]] = {}
    if freeze is not None:
        frame = read_frozen_values(freeze.id, periods=[year], breakdowns=["all"])
        frozen = {r["indicator_id"]: r for r in frame.to_dicts()}
        frozen_subs = _submissions_of("frozen", freeze.id, code, year)
    published, vintage, notes = _published(code, year, ref_dir)
    live_subs = _submissions_of("live", None, code, year)
    names = _submission_names({int(i) for subs in [*live_subs.values(), *frozen_subs.values()]
                               for i in subs})
    rows = []
    for entry in get_catalogue():
        lv, fz, pb = live.get(entry.id), frozen.get(entry.id), published.get(entry.id)
        if lv is None and fz is None and pb is None:
            continue
        d = entry.decimals
        live_value = _rounded(lv["value"], d) if lv else None
        frozen_value = _rounded(fz["value"], d) if fz else None
        published_value = _rounded(pb["la_value"], d) if pb else None
        rows.append({
            "indicator_id": entry.id,
            "title": entry.title,
            "unit": str(entry.unit),
            "live": live_value,
            "live_num_den": _num_den(lv),
            "live_source": (f"computed {lv['computed_at']:%Y-%m-%d %H:%M}: "
                            + _sources(live_subs.get(entry.id, []), names)) if lv else "",
            "frozen": frozen_value,
            "frozen_num_den": _num_den(fz),
            "frozen_source": (f"freeze version {freeze.version} of {freeze.frozen_at:%Y-%m-%d}: "
                              + _sources(frozen_subs.get(entry.id, []), names))
            if fz and freeze is not None else "",
            "published": published_value,
            "published_source": (f"DfE {pb.get('period') or year}, {pb.get('measure_id')}; "
                                 f"reference data {vintage}") if pb else "",
            "live_minus_frozen": _minus(live_value, frozen_value, d),
            "live_minus_published": _minus(live_value, published_value, d),
            "frozen_minus_published": _minus(frozen_value, published_value, d),
            "difference_unit": DIFFERENCE_UNITS.get(Unit(entry.unit), str(entry.unit)),
        })
    if freeze is None:
        notes.append(f"{year} is not frozen (csc-scorecard freeze --period {year}); the frozen "
                     "column is blank")
    return Reconciliation(code, year, freeze, vintage, rows, notes)


def _submissions_of(kind: str, freeze_id: int | None, code: str, year: str) -> dict[str, list[int]]:
    """indicator -> the submission ids its council-wide figure of the year came from."""
    from csc_scorecard.results.models import FrozenValue, IndicatorValue

    if kind == "frozen":
        query = FrozenValue.objects.filter(freeze_id=freeze_id, period=year, breakdown="all")
    else:
        query = IndicatorValue.objects.filter(la_code=code, period=year, breakdown="all")
    return {ind: [int(i) for i in subs or []]
            for ind, subs in query.values_list("indicator_id", "submissions")}


def _cell(value: Any) -> Any:
    """A CSV cell: numbers stay numbers (a whole one without ".0"), None is blank."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def reconcile_csv(result: Reconciliation) -> str:
    """The table as CSV; a cell that a spreadsheet would run as a formula is quoted with '."""
    from csc_scorecard.store.issue_report import _safe_cell

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(list(COLUMNS.values()))
    for row in result.rows:
        writer.writerow([_safe_cell(_cell(row[k])) for k in COLUMNS])
    return out.getvalue()


def write_reconcile_xlsx(result: Reconciliation, path: Path) -> None:
    """A workbook: the table (header frozen, autofilter on) and an About sheet."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                           "strings_to_numbers": False})
    sheet = book.add_worksheet("Reconcile")
    header = book.add_format({"bold": True, "bg_color": "#DDDDDD", "border": 1, "text_wrap": True})
    widths = {"indicator_id": 26, "title": 40, "live_source": 50, "frozen_source": 50,
              "published_source": 50, "live_num_den": 16, "frozen_num_den": 16}
    for col, (key, heading) in enumerate(COLUMNS.items()):
        sheet.write_string(0, col, heading, header)
        sheet.set_column(col, col, widths.get(key, 12))
    for r, row in enumerate(result.rows, start=1):
        for col, key in enumerate(COLUMNS):
            value = row[key]
            if value is None or value == "":
                continue
            if key in NUMBER_COLUMNS:
                sheet.write_number(r, col, float(value))
            else:
                sheet.write_string(r, col, str(value))
    sheet.autofilter(0, 0, max(len(result.rows), 1), len(COLUMNS) - 1)
    sheet.freeze_panes(1, 0)
    about = book.add_worksheet("About")
    lines = [f"Live, frozen and published figures for {result.year}, LA {result.la_code or '-'}",
             (f"Frozen: {result.freeze.line()}" if result.freeze is not None else "Not frozen"),
             f"Reference data: {result.reference}",
             "Differences are of the figures as printed (rounded to the indicator's decimals "
             "first): percentage points (pp) for percentages.", *result.notes]
    for n, line in enumerate(lines):
        about.write_string(n, 0, line)
    book.close()

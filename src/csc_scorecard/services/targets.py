"""Targets edited in the browser: one indicator and year at a time, with the full history.

The form's fields go through the same validation as a targets file
(rating.targets.parse_target_text, so the messages are the CLI's) and are
stored by rating.targets.import_specs, which writes one TargetChange per
changed field (who, when, old, new). The scorecard rates against the stored
targets whenever it is built, so a saved target changes the RAG at once.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied

__all__ = [
    "TargetRefused", "can_edit_targets", "frozen_note", "known_target_ids", "save_target",
    "target_rows",
    "overdue_targets",
]

FORM_FIELDS = ("target", "tolerance", "tolerance_type", "note")


@dataclass
class TargetRefused(ValueError):
    errors: dict[str, str]


def can_edit_targets(account: Any) -> bool:
    """Targets are set by analysts and administrators."""
    return bool(getattr(account, "is_active", False)) and account.role in ("admin", "analyst")


def frozen_note(year: str) -> str:
    """For a frozen year, the sentence saying its ratings keep the targets kept with the
    freeze (services.results.frozen_targets); "" for a year read live."""
    from csc_scorecard.services.results import freeze_for, frozen_targets, results_council

    try:
        code = results_council(None, required=False)
    except Exception:  # several councils and none chosen: nothing to say
        return ""
    info = freeze_for(year, code)
    if info is None:
        return ""
    if frozen_targets(year, code) is None:
        return (f"The figures for {year} were {info.headline}, before targets were kept with a "
                "freeze: its scorecard and reports are rated against the targets shown here.")
    return (f"The figures for {year} were {info.headline}: its scorecard and reports are rated "
            "against the targets as they stood then. A change here is kept, and applies to "
            f"{year} only if the freeze is withdrawn.")


def target_rows(year: str) -> list[dict[str, Any]]:
    """Every catalogue indicator with its target for the year (blank when none is set)."""
    from csc_scorecard.indicators.catalogue import get_catalogue
    from csc_scorecard.rating.targets import targets_for_year

    targets = targets_for_year(year)
    rows = []
    for entry in get_catalogue():
        spec = targets.get(entry.id)
        rows.append({
            "indicator_id": entry.id, "title": entry.title, "polarity": entry.polarity,
            "unit": entry.unit, "spec": spec,
            "target": spec.field_text("target") if spec else "",
            "tolerance": spec.field_text("tolerance") if spec else "",
            "tolerance_type": spec.tolerance_type if spec else "absolute",
            "note": spec.note if spec else "",
        })
    return rows


def known_target_ids() -> set[str]:
    """Every id a target may name: the catalogue's indicators and the stored local measures."""
    from csc_scorecard.indicators.catalogue import get_catalogue
    from csc_scorecard.plans.models import LocalMeasure

    return set(get_catalogue().ids()) | set(LocalMeasure.objects.values_list("measure_id", flat=True))


def save_target(account: Any, indicator_id: str, year: str, fields: dict[str, str]):
    """Validate and store one target; returns the import summary. Raises TargetRefused/PermissionDenied."""
    from csc_scorecard.rating.targets import TargetFileError, import_specs, parse_target_text
    from csc_scorecard.services.audit import record

    if not can_edit_targets(account):
        raise PermissionDenied
    values = {k: str(fields.get(k, "")).strip()[:500] for k in FORM_FIELDS}
    if not values["target"]:
        raise TargetRefused({"target": "Enter a target (a number)"})
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["indicator_id", "year", *FORM_FIELDS])
    writer.writerow([indicator_id, year, *(values[k] for k in FORM_FIELDS)])
    try:
        specs = parse_target_text(out.getvalue(), name="form", fmt="csv",
                                  known_ids=known_target_ids())
    except TargetFileError as exc:
        errors: dict[str, str] = {}
        for p in exc.problems:
            column = p.column if p.column in FORM_FIELDS else "year" if p.column == "year" else "target"
            errors.setdefault(column, _sentence(p.message))
        raise TargetRefused(errors) from None
    summary = import_specs(specs, user=account, source="web form")
    if summary.changes:
        record(account, "target", f"indicator {indicator_id}, year {year}", rows=summary.changes)
    return summary


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:]


def overdue_targets(year: str, indicator_ids: list[str]) -> list[str]:
    """Of the rated indicators given, those with no target set for the year."""
    from csc_scorecard.rating.targets import targets_for_year

    have = targets_for_year(year)
    return [i for i in indicator_ids if i not in have]


def year_choices() -> list[str]:
    """Financial years a target can be set for: the stored results' years, the targets' years
    and the current one, latest first."""
    import datetime as dt

    from csc_scorecard.periods import financial_year_of, parse_period
    from csc_scorecard.rating.targets import all_targets
    from csc_scorecard.services.scorecard_page import period_choices

    years = {financial_year_of(dt.date.today())}
    years |= {s.year for s in all_targets()}
    for _, labels in period_choices():
        years |= {parse_period(label).financial_year for label in labels}
    return sorted(years, reverse=True)


def chosen_year(raw: str) -> str:
    """The year asked for when it is a real choice, else the latest year with results."""
    from csc_scorecard.services.scorecard_page import _default_period, period_choices

    choices = year_choices()
    if raw in choices:
        return raw
    latest = _default_period(period_choices())
    if latest:
        from csc_scorecard.periods import parse_period

        return parse_period(latest).financial_year
    return choices[0]


def target_row(indicator_id: str, year: str) -> dict[str, Any]:
    """One indicator's row of :func:`target_rows`; LookupError for an unknown id or a bad year."""
    from csc_scorecard.periods import PeriodError, parse_period

    try:
        if parse_period(year).kind != "year":
            raise LookupError(year)
    except PeriodError:
        raise LookupError(year) from None
    for row in target_rows(year):
        if row["indicator_id"] == indicator_id:
            return row
    raise LookupError(indicator_id)


def history(indicator_id: str, year: str | None = None) -> list[dict[str, Any]]:
    """Who changed what, when, from and to, newest first."""
    from csc_scorecard.rating.targets import target_history

    return list(reversed(list(target_history(indicator_id, year=year))))

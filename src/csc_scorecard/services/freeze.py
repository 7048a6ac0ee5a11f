"""Freezing a financial year's figures, so its reports never move; withdrawing a freeze.

The rules (docs/freeze.md):

- A freeze is of one council's financial year (``2024-25``). It copies every
  stored value of every period of that year (the year, its quarters, months,
  rolling and year-to-date periods; every breakdown) and of every period of
  the year before (the comparisons a report or scorecard of the year shows),
  with each row's numerator, denominator and submissions, and per year what
  the figures were computed from (results.ComputedYear: submissions with
  their checksums, reference data, catalogue, population).
- The year before is copied as it is read at the time: frozen if that year
  is frozen, else live. The year itself is always copied from the live
  figures, so freezing again takes the figures as they stand now.
- Freezing again makes a new version; the latest wins; every version is kept.
- Analysts and administrators freeze. Only an administrator withdraws a
  freeze (with a reason); the year is then read live again, and a later
  freeze makes the next version. Every freeze and withdrawal, and every
  refusal, writes an audit event.

Which figures a reader gets (frozen or live) is decided in one place,
csc_scorecard.services.results.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from csc_scorecard.periods import PeriodError, PeriodKind, parse_period
from csc_scorecard.services.access import AccessDenied

if TYPE_CHECKING:
    from csc_scorecard.results.models import Freeze

__all__ = [
    "FreezeError",
    "FreezeInfo",
    "can_freeze",
    "can_unfreeze",
    "current_freezes",
    "freeze_history",
    "freeze_period",
    "frozen_summary",
    "previous_year",
    "unfreeze_period",
    "year_of",
]

FREEZE_ROLES = ("admin", "analyst")
UNFREEZE_ROLES = ("admin",)
MAX_LABEL = 200
MAX_REASON = 500


class FreezeError(ValueError):
    """A freeze cannot be made or withdrawn (a clear message; nothing was changed)."""


@dataclass(frozen=True)
class FreezeInfo:
    """One freeze as front ends show it."""

    id: int
    la_code: str
    year: str
    version: int
    label: str
    frozen_at: dt.datetime
    frozen_by: str
    rows: int
    reference_vintage: str
    withdrawn_at: dt.datetime | None = None
    withdrawn_by: str = ""
    withdrawn_reason: str = ""
    stale: tuple[str, ...] = ()  # why the live figures were stale when frozen (a warning)
    benchmarks: Any = None  # {"rows": [...] or None, "notes": [...]}: the comparisons kept
    targets: Any = None  # {"rows": [...]}: the year's targets kept ({} for an older freeze)

    @property
    def date_text(self) -> str:
        return f"{self.frozen_at.day} {self.frozen_at:%B %Y}"

    @property
    def headline(self) -> str:
        """'frozen on 3 December 2026 ("As submitted to DfE")'."""
        label = f' ("{self.label}")' if self.label else ""
        return f"frozen on {self.date_text}{label}"

    def note(self) -> str:
        """The sentence a report or page prints for a frozen year."""
        return (
            f"The figures for {self.year} were {self.headline} by {self.frozen_by} "
            f"(version {self.version}); they do not change when returns are reloaded or "
            "recomputed."
        )

    def benchmark_note(self) -> str:
        """The sentence naming the reference data behind a frozen report's comparisons."""
        return (f"Benchmarks: {self.reference_vintage or 'no published reference data'}, as read "
                f"when the figures were frozen on {self.date_text}. Source: Department for "
                "Education; Office for National Statistics. Open Government Licence v3.0.")

    def line(self) -> str:
        """One line of the history."""
        out = (f"LA {self.la_code or '-'} {self.year} version {self.version}: {self.headline} "
               f"at {self.frozen_at:%H:%M} UTC by {self.frozen_by}, {self.rows:,} values")
        if self.withdrawn_at is not None:
            out += (f"; withdrawn {self.withdrawn_at:%Y-%m-%d %H:%M} UTC by {self.withdrawn_by}: "
                    f"{self.withdrawn_reason}")
        return out


def _info(freeze: Freeze, stale: tuple[str, ...] = ()) -> FreezeInfo:
    return FreezeInfo(
        id=freeze.pk, la_code=freeze.la_code, year=freeze.year, version=freeze.version,
        label=freeze.label, frozen_at=freeze.frozen_at, frozen_by=freeze.frozen_by,
        rows=freeze.rows, reference_vintage=freeze.reference_vintage,
        withdrawn_at=freeze.withdrawn_at, withdrawn_by=freeze.withdrawn_by,
        withdrawn_reason=freeze.withdrawn_reason, stale=stale, benchmarks=freeze.benchmarks,
        targets=freeze.targets,
    )


def year_of(label: str | None) -> str | None:
    """The financial year a period label belongs to (None for a label that is not a period)."""
    if not label:
        return None
    try:
        return parse_period(label).financial_year
    except PeriodError:
        return None


def previous_year(year: str) -> str:
    return parse_period(year).previous_comparable().label


def _role(account: Any) -> str:
    return str(account.role) if account is not None and account.is_active else ""


def can_freeze(account: Any) -> bool:
    return _role(account) in FREEZE_ROLES


def can_unfreeze(account: Any) -> bool:
    return _role(account) in UNFREEZE_ROLES


def _audit(account: Any, action: str, detail: str, rows: int | None = None) -> None:
    from csc_scorecard.services.audit import record

    record(account, action, detail, rows=rows)


def _financial_year(period: Any) -> str:
    try:
        p = parse_period(period) if isinstance(period, str) else period
    except PeriodError as exc:
        raise FreezeError(str(exc)) from None
    if p.kind is not PeriodKind.YEAR:
        raise FreezeError(
            f"{p.label} is not a financial year: a freeze is of a whole year, written like "
            f"{p.financial_year} (its quarters and months are frozen with it)"
        )
    return p.label


def current_freezes(la_code: str) -> dict[str, Freeze]:
    """The freeze in force for each frozen year of a council: the latest version, unless withdrawn."""
    from csc_scorecard.results.models import Freeze

    latest: dict[str, Freeze] = {}
    for f in Freeze.objects.filter(la_code=la_code).order_by("year", "version"):
        latest[f.year] = f
    return {year: f for year, f in latest.items() if f.withdrawn_at is None}


def freeze_in_force(la_code: str, year: str) -> FreezeInfo | None:
    found = current_freezes(la_code).get(year)
    return _info(found) if found is not None else None


def freeze_history(la_code: str | None = None, year: str | None = None) -> list[FreezeInfo]:
    """Every freeze (withdrawn ones too), oldest first; of one council and/or year when given."""
    from csc_scorecard.results.models import Freeze

    query = Freeze.objects.all()
    if la_code is not None:
        query = query.filter(la_code=la_code)
    if year is not None:
        query = query.filter(year=_financial_year(year))
    return [_info(f) for f in query.order_by("la_code", "year", "version")]


def frozen_summary() -> list[str]:
    """One line per year frozen now (every council), for ``status``."""
    from csc_scorecard.results.models import Freeze

    codes = sorted(set(Freeze.objects.order_by().values_list("la_code", flat=True).distinct()))
    return [f"frozen: {_info(f).line()}" for code in codes
            for _, f in sorted(current_freezes(code).items())]


def _provenance(la_code: str, year: str, held_by: Freeze | None) -> dict[str, Any]:
    """What one year's copied figures came from: its ComputedYear, or the freeze they came from."""
    from csc_scorecard.results.models import ComputedYear
    from csc_scorecard.store.models import Submission

    if held_by is not None:
        out = dict(held_by.provenance.get(year) or {})
        out["from_freeze"] = {"version": held_by.version, "frozen_at": held_by.frozen_at.isoformat()}
        return out
    computed = ComputedYear.objects.filter(la_code=la_code, year=year).first()
    if computed is None:
        return {}
    ids = [int(i) for i, _ in computed.submissions]
    names = {s.pk: str(s) for s in Submission.objects.filter(pk__in=ids)}
    return {
        "computed_at": computed.computed_at.isoformat(),
        "submissions": [[int(i), sha, names.get(int(i), f"#{i} (removed)")]
                        for i, sha in computed.submissions],
        "reference_id": computed.reference_id,
        "population": computed.population,
        "population_source": computed.population_source,
        "population_note": computed.population_note,
        "catalogue_version": computed.catalogue_version,
    }


COPIED_FIELDS = ("indicator_id", "period", "breakdown", "breakdown_value", "la_code", "numerator",
                 "denominator", "value", "computed_at", "submissions", "population_note")


def _copy_values(freeze_id: int, source: Any, key: dict[str, Any], labels: list[str]) -> int:
    """Copy the source table's rows of the periods into the freeze, in the database itself.

    INSERT ... SELECT: a year with its months and breakdowns is tens of thousands of
    rows, which the ORM would turn into model instances one by one. Rows written.
    """
    from django.db import connection

    from csc_scorecard.results.models import FrozenValue

    if not labels:
        return 0
    quote = connection.ops.quote_name
    columns = ", ".join(quote(c) for c in COPIED_FIELDS)
    (column, value), = key.items()
    marks = ", ".join(["%s"] * len(labels))
    sql = (f"INSERT INTO {quote(FrozenValue._meta.db_table)} ({quote('freeze_id')}, {columns}) "
           f"SELECT %s, {columns} FROM {quote(source._meta.db_table)} "
           f"WHERE {quote(column)} = %s AND {quote('period')} IN ({marks})")
    with connection.cursor() as cursor:
        cursor.execute(sql, [freeze_id, value, *labels])
        return int(cursor.rowcount)


def _benchmarks_now(code: str, year: str) -> dict[str, Any]:
    """The SN average and England figures the scorecard of the year reads now (kept with the
    freeze, so a frozen year's reports keep their comparisons when the reference data changes)."""
    from csc_scorecard.rating.scorecard import published_benchmarks_provider

    notes: list[str] = []
    frame = published_benchmarks_provider(code or None, notes, use_freeze=False)(parse_period(year))
    return {"rows": None if frame is None else frame.to_dicts(), "notes": notes}


def _targets_now(year: str) -> dict[str, Any]:
    """The year's stored targets as they stand (kept with the freeze, so a frozen year's RAG
    ratings do not move when a target is edited later). Numbers as text: exact decimals."""
    from csc_scorecard.rating.targets import targets_for_year

    rows = []
    for spec in targets_for_year(year).values():
        rows.append({"indicator_id": spec.indicator_id, "year": spec.year,
                     "target": None if spec.target is None else str(spec.target),
                     "tolerance": str(spec.tolerance), "tolerance_type": spec.tolerance_type,
                     "discontinued": spec.discontinued, "note": spec.note})
    return {"rows": sorted(rows, key=lambda r: r["indicator_id"])}


def freeze_period(account: Any, period: Any, *, la_code: str | None = None,
                  label: str = "") -> FreezeInfo:
    """Freeze the council's figures of a financial year as they stand; the new version's info.

    Raises AccessDenied (audited) for a role that may not freeze, FreezeError
    for a period that is not a financial year, a label too long, or a year
    with no stored results; NoResults/CouncilNotChosen from the council rule.
    """
    from django.db import transaction
    from django.utils import timezone

    from csc_scorecard.benchmarks.status import reference_status
    from csc_scorecard.results.models import Freeze, FrozenValue, IndicatorValue
    from csc_scorecard.services.recompute import stale_years
    from csc_scorecard.services.results import results_council

    who = account.username if account is not None else "nobody"
    year = _financial_year(period)
    if not can_freeze(account):
        _audit(account, "freeze-refused", f"year {year}")
        raise AccessDenied(f"{who!r} cannot freeze figures: analysts and administrators do")
    label = " ".join(str(label or "").split())
    if len(label) > MAX_LABEL:
        raise FreezeError(f"the label is {len(label)} characters long; at most {MAX_LABEL}")
    code = results_council(la_code)
    before = previous_year(year)
    own = IndicatorValue.objects.filter(la_code=code)
    own_labels = sorted(
        p for p in own.order_by().values_list("period", flat=True).distinct() if year_of(p) == year
    )
    if not own_labels:
        raise FreezeError(
            f"no stored results for {year} (LA {code or 'not coded'}) to freeze; ingest that "
            "year's returns so its indicators are computed"
        )
    held = current_freezes(code)
    before_freeze = held.get(before)
    stale = next((s.reasons for s in stale_years(code) if s.year == year), ())
    now = timezone.now()
    with transaction.atomic():
        version = 1 + max(
            Freeze.objects.filter(la_code=code, year=year).values_list("version", flat=True),
            default=0,
        )
        freeze = Freeze.objects.create(
            la_code=code, year=year, version=version, label=label, frozen_at=now, frozen_by=who,
            provenance={year: _provenance(code, year, None),
                        before: _provenance(code, before, before_freeze)},
            reference_vintage=reference_status().label[:200],
            benchmarks=_benchmarks_now(code, year),
            targets=_targets_now(year),
        )
        if before_freeze is not None:  # the year before as it is read now: frozen
            source, key = FrozenValue, {"freeze_id": before_freeze.pk}
        else:
            source, key = IndicatorValue, {"la_code": code}
        context_labels = sorted(
            p for p in source.objects.filter(**key).order_by().values_list("period", flat=True)
            .distinct() if year_of(p) == before
        )
        rows = _copy_values(freeze.pk, IndicatorValue, {"la_code": code}, own_labels)
        rows += _copy_values(freeze.pk, source, key, context_labels)
        freeze.rows = rows
        freeze.periods = own_labels
        freeze.context_periods = context_labels
        freeze.save(update_fields=["rows", "periods", "context_periods"])
        _audit(account, "freeze",
               f"LA {code or '-'}, year {year}, version {version}"
               + (f", label {label!r}" if label else ""), rows=rows)
    return _info(freeze, tuple(stale))


def unfreeze_period(account: Any, period: Any, *, reason: str,
                    la_code: str | None = None) -> FreezeInfo:
    """Withdraw the freeze in force for a year (administrators only, with a reason); its info.

    The freeze and its values are kept (history); the year is read live again.
    """
    from django.utils import timezone

    from csc_scorecard.services.council import choose_council

    who = account.username if account is not None else "nobody"
    year = _financial_year(period)
    if not can_unfreeze(account):
        _audit(account, "unfreeze-refused", f"year {year}")
        raise AccessDenied(f"{who!r} cannot withdraw a freeze: only an administrator can")
    reason = " ".join(str(reason or "").split())
    if not reason:
        raise FreezeError("say why the freeze is withdrawn (--reason TEXT); it goes in the audit log")
    if len(reason) > MAX_REASON:
        raise FreezeError(f"the reason is {len(reason)} characters long; at most {MAX_REASON}")
    code = choose_council(la_code).la_code
    found = current_freezes(code).get(year)
    if found is None:
        raise FreezeError(f"{year} (LA {code or 'not coded'}) is not frozen; nothing to withdraw")
    found.withdrawn_at = timezone.now()
    found.withdrawn_by = who
    found.withdrawn_reason = reason
    found.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_reason"])
    _audit(account, "unfreeze",
           f"LA {code or '-'}, year {year}, version {found.version}, reason {reason!r}")
    return _info(found)

"""Turn the template's sheets into a checked plan (or every located problem in it)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from csc_scorecard.indicators.vocab import Polarity, Unit
from csc_scorecard.periods import PeriodError, parse_period
from csc_scorecard.plans.references import reference_problem
from csc_scorecard.plans.rules import Direction, Status
from csc_scorecard.plans.template import (
    PARSERS,
    PLAN_SHEETS_REQUIRED,
    Checker,
    PlanFileError,
    Problem,
    Row,
    Sheets,
    split_list,
)

__all__ = ["ParsedPlan", "POLARITIES", "UNITS", "validate_measures", "validate_plan"]

# the manifest's vocabularies: the one list of polarities and units
POLARITIES: tuple[str, ...] = Polarity.choices()
UNITS: tuple[str, ...] = tuple(u.value for u in Unit)

STATES = ("draft", "submitted", "approved")


@dataclass
class ParsedPlan:
    plan: dict[str, Any] = field(default_factory=dict)
    programmes: list[dict[str, Any]] = field(default_factory=list)
    objectives: list[dict[str, Any]] = field(default_factory=list)
    actions: list[dict[str, Any]] = field(default_factory=list)
    progress: list[dict[str, Any]] = field(default_factory=list)
    risks: list[dict[str, Any]] = field(default_factory=list)
    measures: list[dict[str, Any]] = field(default_factory=list)
    measure_values: list[dict[str, Any]] = field(default_factory=list)
    highlights: list[dict[str, Any]] = field(default_factory=list)


def _period(check: Checker, row: Row, column: str) -> str:
    text = check.required(row, column)
    if not text:
        return ""
    try:
        return parse_period(text).label
    except PeriodError as exc:
        check.bad(row, column, str(exc))
        return ""


def _measures(sheets: Sheets, check: Checker, catalogue_ids: set[str], out: ParsedPlan) -> None:
    seen: set[str] = set()
    for row in sheets.rows.get("measures", []):
        ident = check.required(row, "measure_id")
        if ident and not ident.replace("_", "").replace("-", "").isalnum():
            check.bad(row, "measure_id", "use letters, digits, _ and - only")
        elif ident in catalogue_ids:
            check.bad(row, "measure_id", "is a catalogue indicator id; a local measure needs its own id")
        elif ident in seen:
            check.bad(row, "measure_id", "duplicate measure id")
        seen.add(ident)
        unit = check.required(row, "unit")
        if unit and unit not in UNITS:
            check.bad(row, "unit", "expected one of " + ", ".join(UNITS))
        polarity = check.required(row, "polarity")
        if polarity:
            try:
                polarity = Polarity.parse(polarity).value
            except ValueError as exc:
                check.bad(row, "polarity", str(exc))
        decimals = check.whole(row, "decimals", 0, 6)
        out.measures.append({
            "measure_id": ident, "title": check.required(row, "title"), "unit": unit,
            "polarity": polarity, "decimals": decimals or 0,
            "definition": row.text("definition"), "source": row.text("source"),
        })


def _decimals_ok(value: float, decimals: int) -> bool:
    # compared as numbers, not text: a workbook's 13.2 may arrive as 13.200000000000001
    return abs(round(value, decimals) - value) < 1e-9 * max(1.0, abs(value))


def _measure_values(sheets: Sheets, check: Checker, measure_ids: set[str], out: ParsedPlan,
                    decimals: Mapping[str, int] | None = None) -> None:
    """Values per measure and period; with ``decimals`` known, a value more precise than its
    measure records is refused (4.35 for a measure kept to one decimal place)."""
    seen: set[tuple[str, str]] = set()
    for row in sheets.rows.get("measure_values", []):
        ident = check.required(row, "measure_id")
        if ident and ident not in measure_ids:
            check.bad(row, "measure_id", "unknown local measure (declare it in the measures sheet)")
        period = _period(check, row, "period")
        if (ident, period) in seen and period:
            check.bad(row, "period", "a second value for this measure and period")
        seen.add((ident, period))
        value = check.number(row, "value")
        if value is None and not row.text("value"):
            check.required(row, "value")
        places = (decimals or {}).get(ident)
        if value is not None and places is not None and not _decimals_ok(value, places):
            check.bad(row, "value", f"{ident} is recorded to {places} decimal place"
                      f"{'' if places == 1 else 's'}; round the value to that")
        out.measure_values.append({
            "measure_id": ident, "period": period, "value": value,
            "numerator": check.number(row, "numerator"),
            "denominator": check.number(row, "denominator"), "source": row.text("source"),
        })


def validate_measures(sheets: Sheets, *, catalogue_ids: Iterable[str],
                      stored_measure_ids: Iterable[str],
                      measure_decimals: Mapping[str, int] | None = None) -> ParsedPlan:
    """The measures and measure_values sheets only (``measures import`` and the entry form).

    ``measure_decimals``: the stored measures' decimal places (a measure declared in the
    file uses its own)."""
    check = Checker(list(sheets.problems))
    out = ParsedPlan()
    _measures(sheets, check, set(catalogue_ids), out)
    if "measure_values" not in sheets.rows:
        check.problems.append(Problem("measure_values", None, "", "", "sheet is missing"))
    ids = set(stored_measure_ids) | {m["measure_id"] for m in out.measures}
    places = {**(measure_decimals or {}), **{m["measure_id"]: m["decimals"] for m in out.measures}}
    _measure_values(sheets, check, ids, out, places)
    if check.problems:
        raise PlanFileError(sheets.source, check.problems)
    return out


def validate_plan(
    sheets: Sheets,
    *,
    catalogue_ids: Iterable[str],
    stored_measure_ids: Iterable[str],
    accounts: Iterable[str],
) -> ParsedPlan:
    """Every sheet checked; raises :class:`PlanFileError` listing every problem found."""
    check = Checker(list(sheets.problems))
    out = ParsedPlan()
    for sheet in PLAN_SHEETS_REQUIRED:
        if sheet not in sheets.rows:
            check.problems.append(Problem(sheet, None, "", "", "sheet is missing"))
    catalogue = set(catalogue_ids)
    known_accounts = set(accounts)

    plan_rows = sheets.rows.get("plan", [])
    if len(plan_rows) != 1 and "plan" in sheets.rows:
        check.problems.append(Problem("plan", None, "", "", f"expected exactly one row, found {len(plan_rows)}"))
    for row in plan_rows[:1]:
        out.plan = {"reference": check.required(row, "reference"), "title": check.required(row, "title"),
                    "period": row.text("period"), "governing_body": row.text("governing_body")}
        ref = out.plan["reference"]
        problem = reference_problem(ref) if ref else None
        if problem:
            check.bad(row, "reference", problem)

    programmes: set[int] = set()
    for row in sheets.rows.get("programmes", []):
        number = check.whole(row, "programme", 1)
        if number is None:
            check.required(row, "programme")
        elif number in programmes:
            check.bad(row, "programme", "duplicate programme number")
        programmes.add(number or 0)
        out.programmes.append({"number": number, "title": check.required(row, "title"),
                               **{c: row.text(c) for c in ("lead_delivery_group", "chair",
                                                           "lead_sponsor", "scrutiny_champion")}})

    def programme_of(row: Row) -> int | None:
        number = check.whole(row, "programme", 1)
        if number is None:
            check.required(row, "programme")
        elif number not in programmes:
            check.bad(row, "programme", "no such programme in the programmes sheet")
        return number

    objectives: set[tuple[int | None, str]] = set()
    for row in sheets.rows.get("objectives", []):
        key = (programme_of(row), check.required(row, "objective").strip("()").upper())
        if key in objectives:
            check.bad(row, "objective", "duplicate objective letter in this programme")
        objectives.add(key)
        out.objectives.append({"programme": key[0], "letter": key[1], "text": check.required(row, "text")})

    _measures(sheets, check, catalogue, out)
    indicator_ids = catalogue | set(stored_measure_ids) | {m["measure_id"] for m in out.measures}

    actions: set[tuple[int | None, str, str]] = set()
    for position, row in enumerate(sheets.rows.get("actions", []), start=1):
        programme = programme_of(row)
        letter = check.required(row, "objective").strip("()").upper()
        if letter and (programme, letter) not in objectives:
            check.bad(row, "objective", "no such objective for this programme in the objectives sheet")
        action_no = check.required(row, "action")
        action_key = (programme, letter, action_no)
        if action_no and action_key in actions:
            check.bad(row, "action", "duplicate action number in this objective")
        actions.add(action_key)
        ids = split_list(row.text("indicators"), commas=True)
        unknown = [i for i in ids if i not in indicator_ids]
        if unknown:
            check.bad(row, "indicators", "unknown indicator id(s): " + ", ".join(unknown)
                      + " (not in the catalogue nor a local measure)")
        owners = split_list(row.text("owners"))
        for owner in owners:
            if owner.startswith("@") and owner[1:] not in known_accounts:
                check.bad(row, "owners", f"no account named {owner[1:]!r} (an @name is an account)")
        deadline = check.parsed(row, "deadline", PARSERS["deadline"])
        out.actions.append({
            "programme": programme, "letter": letter, "number": action_no, "position": position,
            "text": check.required(row, "text"), "owners": owners, "deadline": deadline,
            "success": row.text("success"), "kpi": row.text("kpi"), "indicators": ids,
            "outcome": row.text("outcome"),
            "status": check.parsed(row, "status", PARSERS["status"], Status.G),
            "direction": check.parsed(row, "direction", PARSERS["direction"], Direction.PROGRESSING),
            "recommendations": split_list(row.text("recommendations"), commas=True),
        })

    for row in sheets.rows.get("progress", []):
        note_key = (programme_of(row), row.text("objective").strip("()").upper(),
                    check.required(row, "action"))
        if note_key[2] and note_key not in actions:
            check.bad(row, "action", "no such action in the actions sheet")
        out.progress.append({"programme": note_key[0], "letter": note_key[1], "number": note_key[2],
                             "date": check.parsed(row, "date", PARSERS["day"]) if check.required(row, "date") else None,
                             "text": check.required(row, "note"), "author": row.text("author")})

    risks: set[tuple[int | None, int | None]] = set()
    for row in sheets.rows.get("risks", []):
        programme = programme_of(row)
        number = check.whole(row, "risk_number", 1)
        if number is None:
            check.required(row, "risk_number")
        elif (programme, number) in risks:
            check.bad(row, "risk_number", "duplicate risk number in this programme")
        risks.add((programme, number))
        likelihood = check.whole(row, "likelihood", 1, 5)
        impact = check.whole(row, "impact", 1, 5)
        for col, val in (("likelihood", likelihood), ("impact", impact)):
            if val is None and not row.text(col):
                check.required(row, col)
        out.risks.append({
            "programme": programme, "number": number, "risk": check.required(row, "risk"),
            "impacts": row.text("impacts"), "mitigations": row.text("mitigations"),
            "owner": row.text("owner"), "likelihood": likelihood, "impact": impact,
            "review_date": check.parsed(row, "review_date", PARSERS["day"]),
            "trend": check.parsed(row, "trend", PARSERS["trend"], "new"),
        })

    _measure_values(sheets, check, indicator_ids - catalogue, out,
                    {m["measure_id"]: m["decimals"] for m in out.measures})

    highlights: set[tuple[int | None, str]] = set()
    for row in sheets.rows.get("highlights", []):
        key = (programme_of(row), _period(check, row, "period"))
        if key in highlights and key[1]:
            check.bad(row, "period", "a second highlight report for this programme and period")
        highlights.add(key)
        state = row.text("state").lower() or "draft"
        if state not in STATES:
            check.bad(row, "state", "expected draft, submitted or approved")
        out.highlights.append({
            "programme": key[0], "period": key[1], "state": state,
            "report_date": check.parsed(row, "report_date", PARSERS["day"]),
            "status": check.parsed(row, "status", PARSERS["status"], ""),
            "trend": check.parsed(row, "trend", PARSERS["direction"], ""),
            **{c: row.values.get(c) and str(row.values.get(c)).strip() or "" for c in (
                "reason", "achievements", "slippage", "voice_of_children", "next_period",
                "risks", "issues", "variances", "decisions")},
        })

    if check.problems:
        raise PlanFileError(sheets.source, check.problems)
    return out

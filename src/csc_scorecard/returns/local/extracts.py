"""Local extracts for what the statutory returns do not hold (issue 16).

Five optional CSVs, described in docs/local_csvs.md:

- ``early_help``: early-help episodes (start, assessment, closure and why it
  closed), for the early-help measures Annex A list 2 cannot give;
- ``assessment_timescales``: social-care assessments with the timescale the
  priority set (working days) and any cancellation;
- ``s47_completions``: when each section 47 enquiry was completed;
- ``health_assessments``: looked-after children's initial health assessments;
- ``cin_plan_reviews``: reviews of child in need plans.

The row handlers are mixed into the local reader's row checker, which reads
them by the extract's name (``_early_help`` for ``early_help``...), so every
problem is reported with its file, row and column like the other extracts.
"""

from __future__ import annotations

import datetime as dt
import re

from csc_scorecard.returns.cleaning import Parsed, clean_text, parse_code
from csc_scorecard.returns.issue_codes import Code

#: why an early-help episode closed (the codes the indicators read)
EARLY_HELP_CLOSURES = ["OUTCOMES_MET", "STEP_UP", "DISENGAGED", "MOVED", "OTHER"]
EARLY_HELP_CLOSURE_ALIASES = {
    "needs met": "OUTCOMES_MET",
    "outcomes met": "OUTCOMES_MET",
    "outcomes achieved": "OUTCOMES_MET",
    "stepped up": "STEP_UP",
    "step up": "STEP_UP",
    "step up to social care": "STEP_UP",
    "escalated to social care": "STEP_UP",
    "declined": "DISENGAGED",
    "did not engage": "DISENGAGED",
    "moved away": "MOVED",
    "moved out of area": "MOVED",
}
#: the timescales a priority can set, in working days
ASSESSMENT_TIMESCALES = (10, 25, 45)


def clean_year(value: object) -> str:
    """A year cell as text: a spreadsheet's 2024.0 is 2024."""
    text = clean_text(value)
    return text[:-2] if re.fullmatch(r"\d{4}\.0", text) else text


def extract_formats(local_format):  # type: ignore[no-untyped-def]
    """The extracts' formats, built with the reader's LocalFormat (avoids an import cycle)."""
    return {
        "early_help": local_format(
            "early_help", "early_help_episode", ("child_id", "start_date", "closure_reason"),
            ("assessment_date", "end_date", "team"),
        ),
        "assessment_timescales": local_format(
            "assessment_timescales", "assessment_timescale",
            ("child_id", "start_date", "timescale_days"), ("completed_date", "cancelled_date"),
        ),
        "s47_completions": local_format(
            "s47_completions", "s47_completion", ("child_id", "start_date", "completed_date"),
        ),
        "health_assessments": local_format(
            "health_assessments", "health_assessment", ("child_id", "iha_date"),
            ("care_start_date",),
        ),
        "cin_plan_reviews": local_format(
            "cin_plan_reviews", "cin_plan_review", ("child_id", "review_date"),
        ),
        "area_populations": local_format(
            "area_populations", "area_population", ("area", "year", "population_0_17"),
            ("source",),
        ),
    }


#: checked before the older formats: their required columns are more specific
EXTRACT_ORDER = (
    "early_help", "assessment_timescales", "s47_completions", "health_assessments",
    "cin_plan_reviews", "area_populations",
)

#: other spellings of the area_populations columns (after local_column folding)
COLUMN_ALIASES = {
    "population_aged_0_17": "population_0_17",
    "population_0_to_17": "population_0_17",
    "children_aged_0_17": "population_0_17",
    "population": "population_0_17",
    "financial_year": "year",
}
#: the largest population an area of one council can have: a typo (an extra digit, a
#: population of all ages) is refused rather than turned into a rate
MAX_AREA_POPULATION = 2_000_000
_FINANCIAL_YEAR = re.compile(r"^(\d{4})\s*[-/]\s*(\d{2}|\d{4})$")
_MID_YEAR = re.compile(r"^(?:mid[-\s]?)?(\d{4})$", re.IGNORECASE)


def area_population_year(text: str) -> str | None:
    """The financial year an area population is for: "2024-25" or "2024/2025" as given; a
    mid-year estimate "2024" / "mid-2024" is DfE's population for 2024-25 (the mid-year
    before the year end). None when it is neither."""
    value = text.strip()
    match = _FINANCIAL_YEAR.match(value)
    if match:
        start, end = int(match.group(1)), match.group(2)
        if int(end[-2:]) != (start + 1) % 100 or (len(end) == 4 and int(end) != start + 1):
            return None
        return f"{start}-{(start + 1) % 100:02d}"
    match = _MID_YEAR.match(value)
    if match:
        start = int(match.group(1))
        return f"{start}-{(start + 1) % 100:02d}"
    return None


class ExtractRows:
    """Row handlers for the extracts; mixed into the local reader's _Checker."""

    def _after(self, row, excel_row, later: str, day: dt.date | None, earlier: dt.date | None,
               what: str) -> bool:
        if day is not None and earlier is not None and day < earlier:
            self.log.error(  # type: ignore[attr-defined]
                f"the {later.replace('_', ' ')} is before the {what}; the row cannot be used",
                value=self._raw(row, later),  # type: ignore[attr-defined]
                code=Code.DATE_ORDER,
                expected=f"a date on or after the {what}",
                **self._loc(excel_row, later),  # type: ignore[attr-defined]
            )
            return False
        return True

    def _early_help(self, row, excel_row) -> dict | None:
        child, ok1 = self._child(row, excel_row)  # type: ignore[attr-defined]
        start, ok2 = self._date(row, excel_row, "start_date", required=True)  # type: ignore[attr-defined]
        assessed, ok3 = self._date(row, excel_row, "assessment_date", required=False)  # type: ignore[attr-defined]
        end, ok4 = self._date(row, excel_row, "end_date", required=False)  # type: ignore[attr-defined]
        team, ok5 = self._name(row, excel_row, "team", required=False)  # type: ignore[attr-defined]
        raw = self._raw(row, "closure_reason")  # type: ignore[attr-defined]
        reason = parse_code(raw, EARLY_HELP_CLOSURES, EARLY_HELP_CLOSURE_ALIASES)
        ok6 = reason.ok
        if not reason.ok:
            self.log.report(  # type: ignore[attr-defined]
                reason, fatal=True, error="not an early-help closure reason; the row cannot be used",
                value=raw, expected=", ".join(EARLY_HELP_CLOSURES),
                **self._loc(excel_row, "closure_reason"),  # type: ignore[attr-defined]
            )
        elif reason.value and end is None:
            self.log.warning(  # type: ignore[attr-defined]
                "a closure reason without an end date: the episode is taken as open",
                value=raw, code=Code.MISSING_VALUE, expected="an end date for a closed episode",
                **self._loc(excel_row, "end_date"),  # type: ignore[attr-defined]
            )
        if not all((ok1, ok2, ok3, ok4, ok5, ok6)):
            return None
        if not (self._after(row, excel_row, "end_date", end, start, "start date")
                and self._after(row, excel_row, "assessment_date", assessed, start, "start date")):
            return None
        return {
            "child_id": child, "start_date": start, "assessment_date": assessed,
            "end_date": end, "closure_reason": (reason.value or "") if end else "", "team": team,
        }

    def _assessment_timescales(self, row, excel_row) -> dict | None:
        child, ok1 = self._child(row, excel_row)  # type: ignore[attr-defined]
        start, ok2 = self._date(row, excel_row, "start_date", required=True)  # type: ignore[attr-defined]
        done, ok3 = self._date(row, excel_row, "completed_date", required=False)  # type: ignore[attr-defined]
        cancelled, ok4 = self._date(row, excel_row, "cancelled_date", required=False)  # type: ignore[attr-defined]
        days, ok5 = self._number(row, excel_row, "timescale_days", whole=True)  # type: ignore[attr-defined]
        if ok5 and days not in ASSESSMENT_TIMESCALES:
            self.log.report(  # type: ignore[attr-defined]
                Parsed(error="not a timescale a priority sets", code=Code.BAD_NUMBER), fatal=True,
                error="not a timescale a priority sets; the row cannot be used",
                value=self._raw(row, "timescale_days"),  # type: ignore[attr-defined]
                expected=", ".join(str(d) for d in ASSESSMENT_TIMESCALES) + " (working days)",
                **self._loc(excel_row, "timescale_days"),  # type: ignore[attr-defined]
            )
            ok5 = False
        if not all((ok1, ok2, ok3, ok4, ok5)):
            return None
        if not (self._after(row, excel_row, "completed_date", done, start, "start date")
                and self._after(row, excel_row, "cancelled_date", cancelled, start, "start date")):
            return None
        return {
            "child_id": child, "start_date": start, "timescale_days": days,
            "completed_date": done, "cancelled_date": cancelled,
        }

    def _s47_completions(self, row, excel_row) -> dict | None:
        child, ok1 = self._child(row, excel_row)  # type: ignore[attr-defined]
        start, ok2 = self._date(row, excel_row, "start_date", required=True)  # type: ignore[attr-defined]
        done, ok3 = self._date(row, excel_row, "completed_date", required=False)  # type: ignore[attr-defined]
        if not all((ok1, ok2, ok3)):
            return None
        if not self._after(row, excel_row, "completed_date", done, start, "start date"):
            return None
        return {"child_id": child, "start_date": start, "completed_date": done}

    def _health_assessments(self, row, excel_row) -> dict | None:
        child, ok1 = self._child(row, excel_row)  # type: ignore[attr-defined]
        iha, ok2 = self._date(row, excel_row, "iha_date", required=True)  # type: ignore[attr-defined]
        started, ok3 = self._date(row, excel_row, "care_start_date", required=False)  # type: ignore[attr-defined]
        if not all((ok1, ok2, ok3)):
            return None
        if not self._after(row, excel_row, "iha_date", iha, started, "care start date"):
            return None
        return {"child_id": child, "iha_date": iha, "care_start_date": started}

    def _area_populations(self, row, excel_row) -> dict | None:
        area, ok1 = self._name(row, excel_row, "area", required=True)  # type: ignore[attr-defined]
        raw_year = self._raw(row, "year")  # type: ignore[attr-defined]
        year = area_population_year(clean_year(raw_year))
        ok2 = year is not None and 2000 <= int(year[:4]) <= 2099
        if not ok2:
            self.log.error(  # type: ignore[attr-defined]
                "not a year; the row cannot be used" if raw_year.strip()
                else "year is missing; the row cannot be used",
                value=raw_year, code=Code.BAD_DATE if raw_year.strip() else Code.MISSING_VALUE,
                expected="a financial year such as 2024-25, or the ONS mid-year 2024",
                **self._loc(excel_row, "year"),  # type: ignore[attr-defined]
            )
        raw_count = self._raw(row, "population_0_17").strip()  # type: ignore[attr-defined]
        if re.fullmatch(r"\d{1,3}(,\d{3})+", raw_count):  # 31,200 as a spreadsheet shows it
            count, ok3 = int(raw_count.replace(",", "")), True
        else:
            count, ok3 = self._number(row, excel_row, "population_0_17", whole=True)  # type: ignore[attr-defined]
        if ok3 and (count is None or not 0 < count <= MAX_AREA_POPULATION):
            self.log.error(  # type: ignore[attr-defined]
                "population is missing; the row cannot be used" if count is None
                else "not a plausible 0-17 population for an area; the row cannot be used",
                value=self._raw(row, "population_0_17"),  # type: ignore[attr-defined]
                code=Code.MISSING_VALUE if count is None else Code.BAD_NUMBER,
                expected=f"a whole number of children from 1 to {MAX_AREA_POPULATION:,}",
                **self._loc(excel_row, "population_0_17"),  # type: ignore[attr-defined]
            )
            ok3 = False
        source, ok4 = self._name(row, excel_row, "source", required=False)  # type: ignore[attr-defined]
        if not all((ok1, ok2, ok3, ok4)):
            return None
        seen = self.__dict__.setdefault("_area_years", {})
        key = (area.casefold(), year)
        if key in seen:
            self.log.error(  # type: ignore[attr-defined]
                f"{area} {year} is also given at row {seen[key]}; the row cannot be used",
                value=self._raw(row, "population_0_17"),  # type: ignore[attr-defined]
                code=Code.DUPLICATE_AREA_YEAR,
                expected="one population per area and year",
                **self._loc(excel_row, "area"),  # type: ignore[attr-defined]
            )
            return None
        seen[key] = excel_row
        return {"area": area, "year": year, "population_0_17": count, "source": source}

    def _cin_plan_reviews(self, row, excel_row) -> dict | None:
        child, ok1 = self._child(row, excel_row)  # type: ignore[attr-defined]
        day, ok2 = self._date(row, excel_row, "review_date", required=True)  # type: ignore[attr-defined]
        if not (ok1 and ok2):
            return None
        return {"child_id": child, "review_date": day}

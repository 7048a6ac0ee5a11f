"""The demo council's scrutiny committee, imported by ``csc-scorecard demo``.

The example file (examples/demo_scrutiny.yml) is written for a latest period
of 2024-25: a year of meetings from May 2024 to the next meeting in May 2025,
which reads the 2024-25 annual report and the quarter 4 report.  The demo
moves every date and period by whole years so the committee follows the
demo's own latest year, writes the moved file in the template as an .xlsx
(an example a council can copy) and imports that, so the demo goes through
the same checks as any council's file.  It needs the demo plan stored first
(items link to its programmes and actions).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import yaml

from csc_scorecard.periods import parse_period
from csc_scorecard.scrutiny.status import add_months

__all__ = ["DEMO_COMMITTEE", "DEMO_SCRUTINY", "import_demo_scrutiny", "shifted_sheets"]

DEMO_SCRUTINY = Path(__file__).with_name("examples") / "demo_scrutiny.yml"
DEMO_COMMITTEE = "children-families"
EXAMPLE_LATEST_YEAR = 2024  # the file's latest period is 2024-25
DATE_COLUMNS = ("date", "meeting", "due_date", "completed_on", "override_on")
_PERIOD = re.compile(r"^(\d{4})-(\d{2})(-Q[1-4])?$")
_YEAR_IN_TEXT = re.compile(r"\b\d{4}-\d{2}\b")  # "2023-24" in a title


def _shift_period(label: str, years: int) -> str:
    found = _PERIOD.match(label)
    if not found:
        return label
    start = int(found.group(1)) + years
    return f"{start}-{(start + 1) % 100:02d}{found.group(3) or ''}"


def shifted_sheets(latest_year: str) -> dict[str, list[dict[str, Any]]]:
    """The example's sheets with dates and periods moved to follow ``latest_year`` (e.g. 2025-26)."""
    years = parse_period(latest_year).start.year - EXAMPLE_LATEST_YEAR
    sheets = yaml.safe_load(DEMO_SCRUTINY.read_text(encoding="utf-8"))
    for sheet, rows in sheets.items():
        for row in rows:
            for column in DATE_COLUMNS:
                if row.get(column):
                    moved = add_months(row[column], 12 * years)
                    is_meeting = column == "meeting" or (sheet == "meetings" and column == "date")
                    row[column] = (_weekday(moved) if is_meeting else moved).isoformat()
            if row.get("period"):
                row["period"] = _shift_period(str(row["period"]), years)
            for column in ("title", "agenda_item"):
                if row.get(column):
                    row[column] = _YEAR_IN_TEXT.sub(lambda m: _shift_period(m.group(0), years), row[column])
    return sheets


def _weekday(day: dt.date) -> dt.date:
    """Committees meet on weekdays: a moved Saturday or Sunday becomes the Monday after."""
    return day + dt.timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)


def import_demo_scrutiny(latest_year: str, out_dir: Path):
    """Write the committee's file (out_dir/scrutiny-committee.xlsx), import it; the next meeting."""
    from csc_scorecard.plans.template import write_xlsx
    from csc_scorecard.scrutiny.template import SHEETS
    from csc_scorecard.services.scrutiny import import_scrutiny_file, meetings

    path = write_xlsx(shifted_sheets(latest_year), Path(out_dir) / "scrutiny-committee.xlsx", spec=SHEETS)
    import_scrutiny_file(path, author="demo")
    return meetings(DEMO_COMMITTEE)[-1]

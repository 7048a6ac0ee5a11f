"""Reading the pages' GOV.UK date inputs (day, month, year boxes) into dates, with the error in words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping


def read_date(data: Mapping[str, str], name: str, label: str) -> tuple[dt.date | None, str, dict[str, str]]:
    """The date in ``name-day``, ``name-month``, ``name-year``: (date or None, error, the typed values)."""
    typed = {part: (data.get(f"{name}-{part}", "") or "").strip()[:10] for part in ("day", "month", "year")}
    if not any(typed.values()):
        return None, f"Enter {label}", typed
    missing = [part for part, text in typed.items() if not text]
    if missing:
        return None, f"{label[0].upper()}{label[1:]} must include a {' and '.join(missing)}", typed
    try:
        day = dt.date(int(typed["year"]), int(typed["month"]), int(typed["day"]))
    except ValueError:
        return None, f"{label[0].upper()}{label[1:]} must be a real date", typed
    if day.year < 1900:
        return None, f"{label[0].upper()}{label[1:]} must be a real date", typed
    return day, "", typed


def date_parts(day: dt.date) -> dict[str, str]:
    return {"day": str(day.day), "month": str(day.month), "year": str(day.year)}

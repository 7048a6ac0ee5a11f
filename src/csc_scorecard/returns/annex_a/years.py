"""The collection year an Annex A names: in its file or sheet names, or its title rows.

Annex A has no year field. A name such as 'Annex A 2024-25' gives it
directly; a month and year ('Annex A Jan 2024', '2024 January') gives the
financial year (1 April to 31 March, see csc_scorecard.periods) containing
that month.
"""

from __future__ import annotations

import datetime as dt
import re

from csc_scorecard.periods import financial_year_of
from csc_scorecard.returns.cleaning import year_from_text

_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_MONTH_YEAR = re.compile(
    r"(?<![a-z])(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*[\s_\-.]*((?:19|20)\d{2})(?!\d)",
    re.I,
)
_YEAR_MONTH = re.compile(
    r"(?<!\d)((?:19|20)\d{2})[\s_\-.]*(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)", re.I
)


def year_from_texts(texts: list[str]) -> tuple[str, str]:
    """A collection year named in file/sheet names or title rows, and how it was found."""
    for text in texts:
        found = year_from_text(text)
        if found:
            return found, f"named in '{text[:60]}'"
    for text in texts:
        match = _MONTH_YEAR.search(text)
        if match:
            month, year = _MONTHS.index(match.group(1)[:3].lower()) + 1, int(match.group(2))
        else:
            match = _YEAR_MONTH.search(text)
            if not match:
                continue
            month, year = _MONTHS.index(match.group(2)[:3].lower()) + 1, int(match.group(1))
        label = financial_year_of(dt.date(year, month, 1))
        return (
            label,
            f"the collection year containing {dt.date(year, month, 1):%B %Y}, named in '{text[:60]}'",
        )
    return "", ""

"""A target as the rating reads it, the columns of a targets file, and the problems
and summaries that importing one reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

COLUMNS = ("indicator_id", "year", "target", "tolerance", "tolerance_type", "discontinued", "note")
REQUIRED_COLUMNS = ("indicator_id", "year", "target")
#: the fields whose changes are recorded in the history
FIELDS = ("target", "tolerance", "tolerance_type", "discontinued", "note")


@dataclass(frozen=True)
class TargetSpec:
    """One target as the rating reads it."""

    indicator_id: str
    year: str
    target: Decimal | None
    tolerance: Decimal = Decimal(0)
    tolerance_type: str = "absolute"
    discontinued: bool = False
    note: str = ""

    def field_text(self, name: str) -> str:
        """The field as history and exports write it (numbers without trailing zeros)."""
        value = getattr(self, name)
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, Decimal):
            return decimal_text(value)
        return "" if value is None else str(value)


def decimal_text(value: Decimal | None) -> str:
    """``Decimal('85.000000')`` -> ``'85'``; ``0.05`` stays ``'0.05'``; never scientific."""
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


@dataclass(frozen=True)
class TargetProblem:
    file: str
    where: str  # "row 3" (CSV, as a spreadsheet numbers it) or "line 7" (YAML)
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        parts = [self.file, self.where]
        if self.column:
            parts.append(f"column {self.column}")
        if self.value != "":
            parts.append(f"value {self.value!r}")
        return ", ".join(p for p in parts if p) + f": {self.message}"


class TargetFileError(ValueError):
    """The targets file cannot be imported; ``problems`` lists every reason."""

    def __init__(self, problems: list[TargetProblem]) -> None:
        self.problems = problems
        head = f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in the targets file; nothing was imported"
        super().__init__(head + "\n" + "\n".join(f"  {p}" for p in problems))


@dataclass
class ImportSummary:
    file: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    changes: int = 0  # TargetChange rows written

    def __str__(self) -> str:
        return (
            f"{self.file}: {self.rows} targets read; {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.deleted} deleted"
        )

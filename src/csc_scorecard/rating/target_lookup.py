"""Reading stored targets back: by year for the rating, and as the CSV or YAML an
analyst edits and imports again.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import yaml

from csc_scorecard.rating.target_spec import COLUMNS, FIELDS, TargetSpec, decimal_text
from csc_scorecard.rating.target_store import _spec_of


def all_targets(year: str | None = None) -> list[TargetSpec]:
    from csc_scorecard.rating.models import Target

    rows = Target.objects.all()
    if year:
        rows = rows.filter(year=year)
    return [_spec_of(r) for r in rows.order_by("indicator_id", "year")]


def targets_for_year(year: str) -> dict[str, TargetSpec]:
    """The stored targets of a financial year, by indicator id."""
    return {s.indicator_id: s for s in all_targets(year)}


def _plain_number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(decimal_text(value))


def export_text(specs: list[TargetSpec], fmt: str = "csv") -> str:
    """Targets as the CSV or YAML an analyst edits and imports back."""
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COLUMNS)
        for s in specs:
            writer.writerow([s.indicator_id, s.year] + [s.field_text(n) for n in FIELDS])
        return out.getvalue()
    if fmt == "yaml":
        items = [
            {
                "indicator_id": s.indicator_id,
                "year": s.year,
                "target": _plain_number(s.target),
                "tolerance": _plain_number(s.tolerance),
                "tolerance_type": s.tolerance_type,
                "discontinued": s.discontinued,
                "note": s.note,
            }
            for s in specs
        ]
        return yaml.safe_dump(items, sort_keys=False, allow_unicode=True, default_flow_style=False)
    raise ValueError(f"unknown export format {fmt!r}; expected csv or yaml")


def export_targets(
    fmt: str = "csv", out: Path | str | None = None, *, year: str | None = None
) -> str:
    """Export the stored targets (optionally one year); write ``out`` if given; return the text."""
    text = export_text(all_targets(year), fmt)
    if out is not None:
        Path(out).write_text(text, encoding="utf-8")
    return text

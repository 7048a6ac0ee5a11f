"""Targets and tolerances: the analyst's file, strict validation, import with history, export.

The file is CSV or YAML with one row per indicator per financial year:

=================  ========  ===========================================
column             required  meaning
=================  ========  ===========================================
``indicator_id``   yes       catalogue id, e.g. ``assessments_45wd_pct``
``year``           yes       financial year ``2024-25``
``target``         yes*      a number in the indicator's unit (* may be
                             blank when ``discontinued`` is true)
``tolerance``      no        a number >= 0; blank means 0.  ``5%``
                             means relative 0.05
``tolerance_type`` no        ``absolute`` (default) or ``relative``
                             (a fraction of the target, 0 to 1)
``discontinued``   no        yes/no, true/false, 1/0, y/n; blank = no
``note``           no        free text
=================  ========  ===========================================

YAML is a list of mappings with the same keys (or a mapping with a
``targets:`` list).  Import is all-or-nothing: every problem in the file is
reported (file, row or line, column, value, what was expected) and nothing is
stored unless the whole file is good.  Each stored change writes a
:class:`~csc_scorecard.rating.models.TargetChange` per changed field.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from csc_scorecard.rating.rag import TOLERANCE_TYPES
from csc_scorecard.returns.textfile import decode

__all__ = [
    "COLUMNS",
    "FIELDS",
    "ImportSummary",
    "TargetFileError",
    "TargetProblem",
    "TargetSpec",
    "export_targets",
    "import_targets",
    "parse_target_file",
    "parse_target_text",
    "target_history",
    "targets_for_year",
]

COLUMNS = ("indicator_id", "year", "target", "tolerance", "tolerance_type", "discontinued", "note")
REQUIRED_COLUMNS = ("indicator_id", "year", "target")
#: the fields whose changes are recorded in the history
FIELDS = ("target", "tolerance", "tolerance_type", "discontinued", "note")

_YEAR = re.compile(r"(\d{4})-(\d{2})")
_TRUE = {"yes", "y", "true", "1", "t"}
_FALSE = {"no", "n", "false", "0", "f", ""}


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


# --------------------------------------------------------------------------
# Reading and validating a file (pure: no database)
# --------------------------------------------------------------------------


@dataclass
class _RawRow:
    where: str
    values: dict[str, str]
    places: dict[str, str] = field(
        default_factory=dict
    )  # column -> where (YAML: the value's own line)


def _csv_rows(name: str, text: str, problems: list[TargetProblem]) -> list[_RawRow]:
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        problems.append(
            TargetProblem(name, "row 1", "", "", "the file is empty; expected a header row")
        )
        return []
    except csv.Error as exc:
        problems.append(TargetProblem(name, "row 1", "", "", f"not readable as CSV: {exc}"))
        return []
    columns = [h.strip().lower().lstrip("\ufeff") for h in header]
    if not _check_columns(name, "row 1", columns, problems):
        return []
    rows: list[_RawRow] = []
    try:
        for number, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            where = f"row {number}"
            if len(cells) > len(columns):
                problems.append(
                    TargetProblem(
                        name,
                        where,
                        "",
                        ",".join(cells[len(columns) :]),
                        f"more cells than the {len(columns)} columns in the header",
                    )
                )
            values = {
                col: (cells[i].strip() if i < len(cells) else "") for i, col in enumerate(columns)
            }
            rows.append(_RawRow(where, values))
    except csv.Error as exc:
        problems.append(
            TargetProblem(name, f"row {reader.line_num}", "", "", f"not readable as CSV: {exc}")
        )
    return rows


def _check_columns(
    name: str, where: str, columns: list[str], problems: list[TargetProblem]
) -> bool:
    ok = True
    for col in columns:
        if col not in COLUMNS:
            problems.append(
                TargetProblem(
                    name, where, col, "", f"unknown column; expected {', '.join(COLUMNS)}"
                )
            )
            ok = False
    seen: set[str] = set()
    for col in columns:
        if col in seen:
            problems.append(TargetProblem(name, where, col, "", "column appears twice"))
            ok = False
        seen.add(col)
    for col in REQUIRED_COLUMNS:
        if col not in columns:
            problems.append(TargetProblem(name, where, col, "", "required column is missing"))
            ok = False
    return ok


def _yaml_rows(name: str, text: str, problems: list[TargetProblem]) -> list[_RawRow]:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else ""
        problems.append(
            TargetProblem(name, where, "", "", f"not valid YAML: {getattr(exc, 'problem', exc)}")
        )
        return []
    if root is None:
        problems.append(
            TargetProblem(name, "line 1", "", "", "the file is empty; expected a list of targets")
        )
        return []
    if isinstance(root, MappingNode):
        inner = [v for k, v in root.value if isinstance(k, ScalarNode) and k.value == "targets"]
        if len(root.value) != 1 or not inner:
            problems.append(
                TargetProblem(
                    name,
                    f"line {root.start_mark.line + 1}",
                    "",
                    "",
                    "expected a list of targets, or a mapping with only 'targets:'",
                )
            )
            return []
        root = inner[0]
    if not isinstance(root, SequenceNode):
        problems.append(
            TargetProblem(
                name,
                f"line {root.start_mark.line + 1}",
                "",
                "",
                "expected a list of targets (- indicator_id: ...)",
            )
        )
        return []
    rows: list[_RawRow] = []
    for item in root.value:
        where = f"line {item.start_mark.line + 1}"
        if not isinstance(item, MappingNode):
            problems.append(
                TargetProblem(name, where, "", "", "each target must be a mapping of column: value")
            )
            continue
        values: dict[str, str] = {}
        places: dict[str, str] = {}
        bad = False
        for key_node, value_node in item.value:
            key = str(key_node.value).strip().lower() if isinstance(key_node, ScalarNode) else ""
            kwhere = f"line {key_node.start_mark.line + 1}"
            if key not in COLUMNS:
                problems.append(
                    TargetProblem(
                        name, kwhere, key, "", f"unknown column; expected {', '.join(COLUMNS)}"
                    )
                )
                bad = True
                continue
            if key in values:
                problems.append(
                    TargetProblem(name, kwhere, key, "", "column appears twice in this target")
                )
                bad = True
                continue
            if not isinstance(value_node, ScalarNode):
                problems.append(
                    TargetProblem(
                        name, kwhere, key, "", "expected a single value, not a list or mapping"
                    )
                )
                bad = True
                continue
            raw = value_node.value
            if value_node.tag == "tag:yaml.org,2002:null" or (
                value_node.style is None and raw in ("~", "null", "Null", "NULL")
            ):
                raw = ""
            values[key] = str(raw).strip()
            places[key] = f"line {value_node.start_mark.line + 1}"
        for col in REQUIRED_COLUMNS:
            if col not in values and not (
                col == "target" and _is_true(values.get("discontinued", ""))
            ):
                problems.append(TargetProblem(name, where, col, "", "required column is missing"))
                bad = True
        if not bad:
            rows.append(_RawRow(where, values, places))
    return rows


def _is_true(text: str) -> bool:
    return text.strip().lower() in _TRUE


def _number(text: str) -> Decimal:
    try:
        number = Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise ValueError("not a number") from None
    if not number.is_finite():
        raise ValueError("not a finite number")
    return number


def _validate(
    name: str,
    raw_rows: list[_RawRow],
    known_ids: Iterable[str] | None,
    problems: list[TargetProblem],
) -> list[tuple[str, TargetSpec]]:
    known = set(known_ids) if known_ids is not None else None
    specs: list[tuple[str, TargetSpec]] = []
    first_seen: dict[tuple[str, str], str] = {}
    for row in raw_rows:
        v = row.values
        before = len(problems)

        def bad(col: str, message: str, _row: _RawRow = row) -> None:
            problems.append(
                TargetProblem(
                    name, _row.places.get(col, _row.where), col, _row.values.get(col, ""), message
                )
            )

        ind = v.get("indicator_id", "")
        if not ind:
            bad("indicator_id", "an indicator id is required")
        elif known is not None and ind not in known:
            bad("indicator_id", "unknown indicator id (not in the indicator catalogue)")
        year = v.get("year", "")
        m = _YEAR.fullmatch(year)
        if not m or (int(m[1]) + 1) % 100 != int(m[2]):
            bad("year", "expected a financial year like 2024-25")
        disc_text = v.get("discontinued", "")
        if disc_text.lower() not in _TRUE | _FALSE:
            bad("discontinued", "expected yes or no (true/false, 1/0, y/n, or blank for no)")
        discontinued = _is_true(disc_text)
        target: Decimal | None = None
        if v.get("target", "") == "":
            if not discontinued:
                bad(
                    "target", "a target is required (it may be blank only when discontinued is yes)"
                )
        else:
            try:
                target = _number(v["target"])
            except ValueError as exc:
                bad("target", f"{exc}; expected a number such as 85 or 12.5")
        ttype = v.get("tolerance_type", "").lower() or ""
        tol_text = v.get("tolerance", "")
        tolerance = Decimal(0)
        if tol_text:
            percent = tol_text.endswith("%")
            try:
                tolerance = _number(tol_text[:-1] if percent else tol_text)
                if percent:
                    tolerance = tolerance / 100
                    if ttype == "absolute":
                        bad(
                            "tolerance",
                            "a tolerance written with % is relative, but tolerance_type says absolute",
                        )
                    ttype = "relative"
                if tolerance < 0:
                    bad("tolerance", "a tolerance must not be negative")
            except ValueError as exc:
                bad(
                    "tolerance",
                    f"{exc}; expected a number such as 2 or 0.05, or a percentage such as 5%",
                )
        ttype = ttype or "absolute"
        if ttype not in TOLERANCE_TYPES:
            bad("tolerance_type", "expected absolute or relative")
        elif ttype == "relative" and tolerance > 1:
            bad(
                "tolerance",
                "a relative tolerance is a fraction of the target between 0 and 1 (0.05 = 5%)",
            )
        if len(problems) > before:
            continue
        key = (ind, year)
        if key in first_seen:
            problems.append(
                TargetProblem(
                    name,
                    row.where,
                    "indicator_id",
                    ind,
                    f"a second target for {ind} {year} (the first is at {first_seen[key]})",
                )
            )
            continue
        first_seen[key] = row.where
        specs.append(
            (
                row.where,
                TargetSpec(ind, year, target, tolerance, ttype, discontinued, v.get("note", "")),
            )
        )
    return specs


def parse_target_text(
    text: str,
    *,
    name: str = "targets",
    fmt: str | None = None,
    known_ids: Iterable[str] | None = None,
) -> list[TargetSpec]:
    """Validate the text of a targets file; raise :class:`TargetFileError` listing every problem.

    ``fmt`` is ``csv`` or ``yaml`` (guessed from ``name`` when None).
    ``known_ids`` (the catalogue's ids), when given, makes unknown ids errors.
    """
    fmt = fmt or _format_of(name)
    problems: list[TargetProblem] = []
    raw = _csv_rows(name, text, problems) if fmt == "csv" else _yaml_rows(name, text, problems)
    specs = _validate(name, raw, known_ids, problems)
    if problems:
        raise TargetFileError(problems)
    return [s for _, s in specs]


def _format_of(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix in (".yml", ".yaml"):
        return "yaml"
    if suffix in (".csv", ".txt"):
        return "csv"
    raise TargetFileError(
        [
            TargetProblem(
                name, "", "", "", "cannot tell the format: name the file .csv, .yml or .yaml"
            )
        ]
    )


def parse_target_file(
    path: Path | str, *, known_ids: Iterable[str] | None = None
) -> list[TargetSpec]:
    """Read and validate a targets file (CSV or YAML by its extension)."""
    path = Path(path)
    fmt = _format_of(path.name)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TargetFileError(
            [TargetProblem(str(path), "", "", "", f"cannot read the file: {exc.strerror or exc}")]
        ) from None
    decoded = decode(data)  # the readers' encoding rule: UTF-16 by its BOM, UTF-8, Windows-1252
    text = decoded[0] if decoded else data.decode("cp1252", errors="replace")
    return parse_target_text(text, name=str(path), fmt=fmt, known_ids=known_ids)


# --------------------------------------------------------------------------
# Database: import with history, export, read
# --------------------------------------------------------------------------


def _spec_of(row: Any) -> TargetSpec:
    return TargetSpec(
        indicator_id=row.indicator_id,
        year=row.year,
        target=None if row.target is None else Decimal(row.target),
        tolerance=Decimal(row.tolerance or 0),
        tolerance_type=row.tolerance_type,
        discontinued=bool(row.discontinued),
        note=row.note or "",
    )


def _same(a: TargetSpec, b: TargetSpec, name: str) -> bool:
    return a.field_text(name) == b.field_text(name)


def import_specs(
    specs: list[TargetSpec], *, user: Any = "", source: str = "", replace: bool = False
) -> ImportSummary:
    """Store validated targets in one transaction, writing history for every change.

    ``user`` is the account making the change: an accounts.User, a user name,
    or "" for the CLI's current account (csc_scorecard.services.accounts).
    With ``replace``, targets not in ``specs`` are deleted (with history) -
    but only for the years the file covers.
    """
    from django.db import transaction
    from django.utils import timezone

    from csc_scorecard.rating.models import Target, TargetChange
    from csc_scorecard.services.accounts import resolve_account

    account = resolve_account(user)

    summary = ImportSummary(file=source, rows=len(specs))
    now = timezone.now()
    changes: list[TargetChange] = []

    def record(spec: TargetSpec, action: str, name: str, old: str, new: str) -> None:
        changes.append(
            TargetChange(
                indicator_id=spec.indicator_id,
                year=spec.year,
                action=action,
                field=name,
                old_value=old,
                new_value=new,
                changed_at=now,
                changed_by_account=account,
                source=source[:500],
            )
        )

    with transaction.atomic():
        existing = {(t.indicator_id, t.year): t for t in Target.objects.select_for_update().all()}
        for spec in specs:
            row = existing.get((spec.indicator_id, spec.year))
            if row is None:
                Target.objects.create(
                    indicator_id=spec.indicator_id,
                    year=spec.year,
                    target=spec.target,
                    tolerance=spec.tolerance,
                    tolerance_type=spec.tolerance_type,
                    discontinued=spec.discontinued,
                    note=spec.note,
                    updated_by_account=account,
                )
                for name in FIELDS:
                    if spec.field_text(name):  # a blank note is not worth a line
                        record(spec, "created", name, "", spec.field_text(name))
                summary.created += 1
                continue
            old = _spec_of(row)
            changed = [n for n in FIELDS if not _same(old, spec, n)]
            if not changed:
                summary.unchanged += 1
                continue
            for name in changed:
                record(spec, "updated", name, old.field_text(name), spec.field_text(name))
                setattr(row, name, getattr(spec, name))
            row.updated_by_account = account
            row.save()
            summary.updated += 1
        if replace:
            keep = {(s.indicator_id, s.year) for s in specs}
            years = {s.year for s in specs}
            for key, row in existing.items():
                if key not in keep and row.year in years:
                    old = _spec_of(row)
                    for name in FIELDS:
                        if old.field_text(name):
                            record(old, "deleted", name, old.field_text(name), "")
                    row.delete()
                    summary.deleted += 1
        TargetChange.objects.bulk_create(changes)
    summary.changes = len(changes)
    return summary


def import_targets(
    path: Path | str,
    *,
    user: Any = "",
    known_ids: Iterable[str] | None = None,
    replace: bool = False,
) -> ImportSummary:
    """Validate ``path`` strictly, then store it all or nothing (see :func:`import_specs`)."""
    specs = parse_target_file(path, known_ids=known_ids)
    return import_specs(specs, user=user, source=Path(path).name, replace=replace)


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


def target_history(
    indicator_id: str | None = None, *, year: str | None = None
) -> list[Mapping[str, Any]]:
    """Every recorded change, oldest first: who, when, what, old and new value."""
    from csc_scorecard.rating.models import TargetChange

    rows = TargetChange.objects.all()
    if indicator_id:
        rows = rows.filter(indicator_id=indicator_id)
    if year:
        rows = rows.filter(year=year)
    history = []
    for row in rows.order_by("changed_at", "id").values(
        "indicator_id", "year", "action", "field", "old_value", "new_value", "changed_at",
        "changed_by_account__username", "source",
    ):
        row["changed_by"] = row.pop("changed_by_account__username") or ""
        history.append(row)
    return history

"""Reading and strictly validating a targets file (CSV or YAML); pure, no database.

Every problem in the file is collected (file, row or line, column, value, what
was expected) and raised together as a TargetFileError.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from csc_scorecard.rating.rag import TOLERANCE_TYPES
from csc_scorecard.rating.target_spec import (
    COLUMNS,
    REQUIRED_COLUMNS,
    TargetFileError,
    TargetProblem,
    TargetSpec,
)
from csc_scorecard.returns.textfile import decode

_YEAR = re.compile(r"(\d{4})-(\d{2})")
_TRUE = {"yes", "y", "true", "1", "t"}
_FALSE = {"no", "n", "false", "0", "f", ""}


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


def _node_problem(name: str, node: Node, message: str) -> TargetProblem:
    """A problem with the whole of a YAML node, placed at its first line."""
    return TargetProblem(name, f"line {node.start_mark.line + 1}", "", "", message)


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
                _node_problem(
                    name, root, "expected a list of targets, or a mapping with only 'targets:'"
                )
            )
            return []
        root = inner[0]
    if not isinstance(root, SequenceNode):
        problems.append(
            _node_problem(name, root, "expected a list of targets (- indicator_id: ...)")
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

"""Year-aware SSDA903 column specifications.

The files in ``spec/`` describe each collection year: ``2017-18.yml`` in full,
every later year as the year it builds on plus a list of changes. This
module loads them strictly (an unknown key, a code YAML read as a boolean or
a change naming a column that does not exist is a ``SpecError``) and merges
them into one :class:`YearSpec` per year.

Change entries (each names a ``table``, usually a ``column``, may say ``why``,
and carries exactly one action):

``add_table``      a whole new table (same form as in the base file)
``drop_table``     true: the table is no longer collected
``add_column``     a new column (same form as in the base file)
``drop_column``    true
``set_codes``      the column's code list, replaced
``add_codes``      codes appended to the list
``remove_codes``   codes taken out of the list
``update``         other column keys replaced (codes, store_as, code_ends, ...)
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from csc_scorecard.yaml_load import safe_load

SPEC_PACKAGE = "csc_scorecard.returns.ssda903.spec"

COLUMN_TYPES = {
    "child_id", "date", "code", "bool", "int", "decimal", "text", "postcode", "partial_date",
}
#: where a column's values come from: "" the council's files, "xml" only the XML, "derived"
#: what DfE derives from the postcodes (PL_DISTANCE, PL_LA): a council's export may carry
#: it or not, so its absence is no problem and it does not help recognise a table
COLUMN_SOURCES = ("", "xml", "derived")
COLUMN_KEYS = {
    "field",
    "type",
    "required",
    "on_bad",
    "codes",
    "store_as",
    "also_accepted",
    "code_ends",
    "dated_by",
    "min",
    "max",
    "max_length",
    "xml_name",
    "source",
}
TABLE_KEYS = {"canonical", "xml", "columns"}
XML_KEYS = {"element", "flat", "present_if_any"}
CHANGE_ACTIONS = {
    "add_table",
    "drop_table",
    "add_column",
    "drop_column",
    "set_codes",
    "add_codes",
    "remove_codes",
    "update",
}
CHANGE_KEYS = {"table", "column", "why"} | CHANGE_ACTIONS
_YEAR = re.compile(r"^(\d{4})-(\d{2})$")


class SpecError(ValueError):
    """A spec file is malformed: a bug in the package, never in the user's data."""


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    field: str
    type: str
    required: bool = False
    on_bad: str = "warning"
    codes: tuple[str, ...] = ()
    store_as: dict[str, str] = field(default_factory=dict)
    also_accepted: dict[str, str] = field(default_factory=dict)
    code_ends: dict[str, dt.date] = field(default_factory=dict)
    dated_by: str = ""
    min: float | None = None  # an int's or decimal's range
    max: float | None = None
    max_length: int | None = None
    xml_name: str = ""
    source: str = ""  # see COLUMN_SOURCES

    @property
    def in_csv(self) -> bool:
        return self.source != "xml"

    @property
    def derived(self) -> bool:
        """DfE derives the value; a file may or may not carry the column (see COLUMN_SOURCES)."""
        return self.source == "derived"

    @property
    def critical(self) -> bool:
        """A bad or missing value makes the row unusable."""
        return self.on_bad == "error"


@dataclass(frozen=True)
class TableSpec:
    name: str
    canonical: str
    columns: dict[str, ColumnSpec]
    xml_element: str = ""
    xml_flat: bool = False
    present_if_any: tuple[str, ...] = ()

    @property
    def csv_columns(self) -> list[str]:
        """The columns a council's CSV of this table has (derived ones are optional extras)."""
        return [c.name for c in self.columns.values() if c.in_csv and not c.derived]

    def fields(self) -> list[str]:
        return ["child_id", "source_row"] + [
            c.field for c in self.columns.values() if c.field and c.field != "child_id"
        ]


@dataclass(frozen=True)
class YearSpec:
    year: str
    tables: dict[str, TableSpec]
    # (table, column) -> code -> the years it is valid in (every spec year)
    code_years: dict[tuple[str, str], dict[str, tuple[str, ...]]] = field(
        default_factory=dict, compare=False, repr=False
    )

    @property
    def end_year(self) -> int:
        return int(self.year[:4]) + 1

    def other_years_for(self, table: str, column: str, code: str) -> tuple[str, ...]:
        return self.code_years.get((table, column), {}).get(code, ())


def spec_years() -> list[str]:
    """Every collection year with a spec file, oldest first."""
    folder = resources.files(SPEC_PACKAGE)
    years = [
        p.name[:-4]
        for p in folder.iterdir()
        if p.name.endswith(".yml") and _YEAR.match(p.name[:-4])
    ]
    return sorted(years)


def nearest_spec_year(year: str) -> str:
    """The spec year to read `year` with: itself, else the closest one available."""
    years = spec_years()
    if year in years:
        return year
    if not _YEAR.match(year or ""):
        return years[-1]
    return years[0] if year < years[0] else years[-1]


@functools.cache
def load_spec(year: str) -> YearSpec:
    """The merged spec for one collection year ("2024-25")."""
    years = spec_years()
    if year not in years:
        raise SpecError(f"no SSDA903 spec for {year!r}; known years {', '.join(years)}")
    raw_tables = _raw_tables(year)
    tables = {name: _build_table(name, raw) for name, raw in raw_tables.items()}
    return YearSpec(year=year, tables=tables, code_years=_code_years())


@functools.cache
def _code_years() -> dict[tuple[str, str], dict[str, tuple[str, ...]]]:
    """(table, column) -> code -> the years whose spec lists it: the same for every
    year's spec, so worked out once (each YearSpec holds this one mapping)."""
    code_years: dict[tuple[str, str], dict[str, list[str]]] = {}
    for other in spec_years():  # only read here: the cached tables, not a copy of them
        for tname, traw in _raw_tables_cached(other).items():
            for cname, craw in traw["columns"].items():
                for code in craw.get("codes", []) or []:
                    code_years.setdefault((tname, cname), {}).setdefault(
                        str(code).upper(), []
                    ).append(other)
    return {k: {c: tuple(v) for c, v in m.items()} for k, m in code_years.items()}


@functools.cache
def all_tables() -> dict[str, TableSpec]:
    """Every table any year has, each as its latest year describes it (for recognising files)."""
    merged: dict[str, TableSpec] = {}
    for year in spec_years():
        merged.update(load_spec(year).tables)
    return merged


# -- loading ------------------------------------------------------------------


def _read_file(year: str) -> dict[str, Any]:
    path = resources.files(SPEC_PACKAGE) / f"{year}.yml"
    data = safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise SpecError(f"{year}.yml: not a mapping")
    allowed = {"year", "based_on", "tables", "changes"}
    _no_unknown(data, allowed, f"{year}.yml")
    if str(data.get("year")) != year:
        raise SpecError(f"{year}.yml says year {data.get('year')!r}")
    if ("tables" in data) == ("based_on" in data):
        raise SpecError(f"{year}.yml: give either tables (a base year) or based_on and changes")
    return data


@functools.cache
def _raw_tables_cached(year: str) -> dict[str, Any]:
    return _merge(year, set())


def _raw_tables(year: str) -> dict[str, Any]:
    """The merged raw tables of a year, as a copy the caller may change."""
    return copy.deepcopy(_raw_tables_cached(year))


def _merge(year: str, seen: set[str]) -> dict[str, Any]:
    if year in seen:
        raise SpecError(f"{year}.yml: based_on loops back to itself")
    seen.add(year)
    data = _read_file(year)
    if "tables" in data:
        tables = data["tables"]
        if not isinstance(tables, dict):
            raise SpecError(f"{year}.yml: tables must be a mapping")
        for name, raw in tables.items():
            _check_table(raw, f"{year}.yml {name}")
        return tables
    base = str(data["based_on"])
    if base >= year:
        raise SpecError(f"{year}.yml: based_on {base} is not an earlier year")
    if base in seen:
        raise SpecError(f"{year}.yml: based_on loops back to itself")
    tables = _raw_tables(base)
    changes = data.get("changes") or []
    if not isinstance(changes, list):
        raise SpecError(f"{year}.yml: changes must be a list")
    for i, change in enumerate(changes, 1):
        _apply(tables, change, f"{year}.yml change {i}")
    return tables


def _apply(tables: dict[str, Any], change: Any, where: str) -> None:
    if not isinstance(change, dict):
        raise SpecError(f"{where}: not a mapping")
    _no_unknown(change, CHANGE_KEYS, where)
    actions = [k for k in change if k in CHANGE_ACTIONS]
    if len(actions) != 1:
        raise SpecError(f"{where}: needs exactly one of {', '.join(sorted(CHANGE_ACTIONS))}")
    action = actions[0]
    value = change[action]
    table = change.get("table")
    if not table:
        raise SpecError(f"{where}: no table named")
    if action == "add_table":
        if table in tables:
            raise SpecError(f"{where}: table {table} already exists")
        _check_table(value, f"{where} {table}")
        tables[table] = value
        return
    if table not in tables:
        raise SpecError(f"{where}: no table {table}")
    if action == "drop_table":
        del tables[table]
        return
    columns = tables[table]["columns"]
    column = change.get("column")
    if not column:
        raise SpecError(f"{where}: no column named")
    if action == "add_column":
        if column in columns:
            raise SpecError(f"{where}: column {column} already exists")
        _check_column(value, f"{where} {column}")
        columns[column] = value
        return
    if column not in columns:
        raise SpecError(f"{where}: no column {table}.{column}")
    spec = columns[column]
    if action == "drop_column":
        del columns[column]
    elif action == "set_codes":
        spec["codes"] = _codes(value, where)
    elif action == "add_codes":
        current = spec.get("codes") or []
        spec["codes"] = current + [c for c in _codes(value, where) if c not in current]
    elif action == "remove_codes":
        drop = set(_codes(value, where))
        missing = drop - set(spec.get("codes") or [])
        if missing:
            raise SpecError(f"{where}: cannot remove {sorted(missing)}: not in {table}.{column}")
        spec["codes"] = [c for c in spec["codes"] if c not in drop]
    elif action == "update":
        if not isinstance(value, dict):
            raise SpecError(f"{where}: update must be a mapping")
        spec.update(value)
    _check_column(spec, f"{where} {table}.{column}")


def _check_table(raw: Any, where: str) -> None:
    if not isinstance(raw, dict):
        raise SpecError(f"{where}: not a mapping")
    _no_unknown(raw, TABLE_KEYS, where)
    if not raw.get("canonical") or not isinstance(raw.get("columns"), dict):
        raise SpecError(f"{where}: needs canonical and columns")
    xml = raw.get("xml") or {}
    if not isinstance(xml, dict):
        raise SpecError(f"{where}: xml must be a mapping")
    _no_unknown(xml, XML_KEYS, f"{where} xml")
    if bool(xml.get("element")) == bool(xml.get("flat")):
        raise SpecError(f"{where}: xml needs either element or flat")
    if "CHILD" not in raw["columns"]:
        raise SpecError(f"{where}: every table needs a CHILD column")
    for name, col in raw["columns"].items():
        _check_column(col, f"{where}.{name}")


def _check_column(raw: Any, where: str) -> None:
    if not isinstance(raw, dict):
        raise SpecError(f"{where}: not a mapping")
    _no_unknown(raw, COLUMN_KEYS, where)
    if raw.get("type") not in COLUMN_TYPES:
        raise SpecError(f"{where}: type must be one of {', '.join(sorted(COLUMN_TYPES))}")
    if "field" not in raw or not isinstance(raw["field"], str):
        raise SpecError(f'{where}: field must be given ("" when not stored)')
    if raw.get("source", "") not in COLUMN_SOURCES:
        raise SpecError(f"{where}: source must be one of xml, derived (or absent)")
    if raw.get("on_bad", "warning") not in ("error", "warning"):
        raise SpecError(f"{where}: on_bad must be error or warning")
    for key in ("required",):
        if key in raw and not isinstance(raw[key], bool):
            raise SpecError(f"{where}: {key} must be true or false")
    if raw["type"] == "code":
        codes = _codes(raw.get("codes"), where)
        if not codes:
            raise SpecError(f"{where}: a code column needs codes")
        for key in ("store_as", "also_accepted"):
            mapping = raw.get(key) or {}
            if not isinstance(mapping, dict):
                raise SpecError(f"{where}: {key} must be a mapping")
            for k, v in mapping.items():
                if not isinstance(k, str) or not isinstance(v, str):
                    raise SpecError(f"{where}: {key} entries must be quoted text ({k!r}: {v!r})")
        for alias, target in (raw.get("also_accepted") or {}).items():
            if target not in codes:
                raise SpecError(
                    f"{where}: also_accepted {alias!r} points at {target!r}, not a valid code"
                )
        ends = raw.get("code_ends") or {}
        if ends:
            if not raw.get("dated_by"):
                raise SpecError(f"{where}: code_ends needs dated_by")
            for code, when in ends.items():
                if not isinstance(when, (dt.date, str)):
                    raise SpecError(f"{where}: code_ends {code} needs a date")
                if isinstance(when, str):
                    try:
                        dt.date.fromisoformat(when)
                    except ValueError as exc:
                        raise SpecError(
                            f"{where}: code_ends {code}: {when!r} is not a date"
                        ) from exc
    elif raw.get("codes"):
        raise SpecError(f"{where}: codes given for a {raw['type']} column")


def _codes(value: Any, where: str) -> list[str]:
    if not isinstance(value, list):
        raise SpecError(f"{where}: codes must be a list")
    for code in value:
        if not isinstance(code, str):
            # YAML reads YES/NO as booleans and 0 as a number: codes must be quoted.
            raise SpecError(f"{where}: code {code!r} must be quoted text")
    return list(value)


def _no_unknown(data: dict, allowed: set[str], where: str) -> None:
    unknown = set(data) - allowed
    if unknown:
        raise SpecError(f"{where}: unknown keys {', '.join(sorted(map(str, unknown)))}")


def _build_table(name: str, raw: dict[str, Any]) -> TableSpec:
    xml = raw.get("xml") or {}
    columns = {cname: _build_column(cname, craw) for cname, craw in raw["columns"].items()}
    for col in columns.values():
        if col.dated_by and col.dated_by not in columns:
            raise SpecError(f"{name}.{col.name}: dated_by {col.dated_by} is not a column")
    return TableSpec(
        name=name,
        canonical=raw["canonical"],
        columns=columns,
        xml_element=xml.get("element") or "",
        xml_flat=bool(xml.get("flat")),
        present_if_any=tuple(xml.get("present_if_any") or ()),
    )


def _build_column(name: str, raw: dict[str, Any]) -> ColumnSpec:
    ends = {}
    for code, when in (raw.get("code_ends") or {}).items():
        ends[str(code)] = when if isinstance(when, dt.date) else dt.date.fromisoformat(when)
    return ColumnSpec(
        name=name,
        field=raw["field"],
        type=raw["type"],
        required=bool(raw.get("required", False)),
        on_bad=raw.get("on_bad", "warning"),
        codes=tuple(raw.get("codes") or ()),
        store_as=dict(raw.get("store_as") or {}),
        also_accepted=dict(raw.get("also_accepted") or {}),
        code_ends=ends,
        dated_by=raw.get("dated_by") or "",
        min=raw.get("min"),
        max=raw.get("max"),
        max_length=raw.get("max_length"),
        xml_name=raw.get("xml_name") or "",
        source=raw.get("source") or "",
    )

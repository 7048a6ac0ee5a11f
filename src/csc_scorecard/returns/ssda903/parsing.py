"""What the CSV and XML readers share: reading one 903 row by its year's spec,
recognising a table by its headers, and working out the collection year.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from csc_scorecard.periods import financial_year_of
from csc_scorecard.returns.cleaning import (
    Parsed,
    clean_child_id,
    clean_header,
    clean_text,
    code_key,
    collection_year_ending,
    fold_code,
    parse_bool,
    parse_date,
    parse_float,
    parse_int,
    year_from_text,
)
from csc_scorecard.returns.issue_codes import Code
from csc_scorecard.returns.issues import IssueLog
from csc_scorecard.returns.ssda903.yearspec import (
    ColumnSpec,
    TableSpec,
    YearSpec,
    all_tables,
    spec_years,
)

# -- headers ------------------------------------------------------------------


def header_key(value: object) -> str:
    """A header as a comparison key: BOM, case, spacing, hyphens and quotes folded.

    'Place Provider', ' place_provider ' and 'PLACE-PROVIDER' all give PLACE_PROVIDER.
    """
    text = clean_header(value).strip("\"'")
    return re.sub(r"[\s\-]+", "_", text.strip())


def _synonyms(table: TableSpec) -> dict[str, str]:
    """Header key -> column name, including the XML element names (PL for PLACE)."""
    names: dict[str, str] = {}
    for col in table.columns.values():
        if not col.in_csv:
            continue
        names[col.name] = col.name
        if col.xml_name:
            names.setdefault(col.xml_name, col.name)
    return names


def _signatures() -> dict[str, tuple[set[str], set[str]]]:
    """table -> (its CSV columns, the columns no other 903 table has)."""
    tables = all_tables()
    columns = {name: set(t.csv_columns) for name, t in tables.items()}
    result = {}
    for name, cols in columns.items():
        others = set().union(*(c for n, c in columns.items() if n != name))
        result[name] = (cols, cols - others)
    return result


MAX_EXTRA_COLUMNS = 2
MAX_MISSING_COLUMNS = 2


def match_columns(headers: Iterable[str], table: TableSpec) -> tuple[dict[int, str], list[str]]:
    """Map header positions to the table's column names; also list the extras."""
    synonyms = _synonyms(table)
    mapping: dict[int, str] = {}
    extras: list[str] = []
    for i, header in enumerate(headers):
        key = header_key(header)
        if not key:
            continue
        name = synonyms.get(key)
        if name is None or name in mapping.values():
            extras.append(clean_text(header))
        else:
            mapping[i] = name
    return mapping, extras


def identify_csv_header(headers: list[str]) -> str | None:
    """The 903 table ("Episodes", "Header", ...) a CSV's header row belongs to, or None.

    Headers are compared ignoring case, spacing, BOMs and quotes. A table is
    claimed when the file has at least half of the columns only that table
    has, lacks at most two of its columns, and has at most two columns of its
    own. Annex A lists and local extracts (child_id, team, ...) never match.
    """
    keys = [header_key(h) for h in headers]
    keys = [k for k in keys if k]
    if not keys:
        return None
    tables = all_tables()
    best: tuple[int, int, str] | None = None
    for name, (cols, unique) in _signatures().items():
        synonyms = _synonyms(tables[name])
        present = {synonyms[k] for k in keys if k in synonyms}
        extras = [k for k in keys if k not in synonyms]
        if len(extras) > MAX_EXTRA_COLUMNS:
            continue
        if len(cols - present) > MAX_MISSING_COLUMNS:
            continue
        if unique and len(unique & present) < math.ceil(len(unique) / 2):
            continue
        score = (len(present), -len(extras), name)
        if best is None or score > best:
            best = score
    return best[2] if best else None


# -- rows -----------------------------------------------------------------------

DATE_FORMAT = "dd/mm/yyyy"
_POSTCODE_FULL = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$")
_POSTCODE_OUTWARD = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
# a postcode sector ("TA1 4"), as the 903's partial postcodes are: the space tells it
# from an outward code ("TA14")
_POSTCODE_SECTOR = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ([0-9])$")
_PARTIAL_DATE = re.compile(r"^(\d{1,2}|ZZ)/(\d{1,2}|ZZ)/(\d{4})$", re.IGNORECASE)




def blank_value(col: ColumnSpec) -> Any:
    """What a blank cell of `col` is stored as."""
    return None if col.type in ("date", "bool", "int", "decimal") else ""


# A blank cell reads the same every time: one Parsed each, not one per cell.
_BLANK: Parsed[Any] = Parsed(None)
_BLANK_TEXT: Parsed[Any] = Parsed("")


def year_span(years: tuple[str, ...]) -> str:
    if not years:
        return ""
    all_years = spec_years()
    idx = [all_years.index(y) for y in years if y in all_years]
    if idx and idx == list(range(idx[0], idx[0] + len(idx))):
        return years[0] if len(years) == 1 else f"{years[0]} to {years[-1]}"
    return ", ".join(years)


class RowParser:
    """Reads one table's rows for one year, recording every problem in `log`.

    `parse` returns the canonical row, or None when the row is unusable (the
    caller quarantines it). `where` prefixes messages (the XML readers say
    "line N"); `table_label` is the table or element named in issues.
    """

    def __init__(self, spec: YearSpec, table: TableSpec, log: IssueLog, *, table_label: str = ""):
        self.spec = spec
        self.table = table
        self.log = log
        self.table_label = table_label or table.name
        self.pivot = spec.end_year
        # column -> {folded spelling: code} for the valid codes and the other accepted spellings
        self.code_keys = {
            c.name: {code_key(code): code for code in c.codes}
            for c in table.columns.values()
            if c.type == "code"
        }
        # column -> {code: its Parsed value}, built once (most cells hold a valid code)
        self.code_values = {
            c.name: {code: Parsed(c.store_as.get(code, code)) for code in c.codes}
            for c in table.columns.values()
            if c.type == "code"
        }
        self.alias_keys = {
            c.name: {code_key(k): v for k, v in c.also_accepted.items()}
            for c in table.columns.values()
        }

    def parse(
        self,
        raw: Mapping[str, Any],
        row: int | None,
        *,
        where: str = "",
        table_label: str = "",
    ) -> dict | None:
        label = table_label or self.table_label
        prefix = f"{where}: " if where else ""
        out: dict[str, Any] = {"child_id": "", "source_row": row}
        codes_read: dict[str, str] = {}
        dates_read: dict[str, dt.date | None] = {}
        ok = True
        for col in self.table.columns.values():
            if col.source == "xml" and col.name not in raw:
                if col.field:
                    out[col.field] = blank_value(col)
                continue
            present = col.name in raw
            text = clean_text(raw.get(col.name)) if present else ""
            parsed = self._value(col, text, codes_read)
            value = parsed.value
            if parsed.error or parsed.warning:
                fatal = bool(parsed.error) and col.critical
                tail = (
                    "; the row cannot be used"
                    if fatal
                    else "; left blank"
                    if parsed.error and value is None
                    else ""
                )
                self.log.report(
                    parsed,
                    fatal=fatal,
                    error=prefix + parsed.error + tail,
                    warning=prefix + parsed.warning,
                    table=label,
                    row=row,
                    column=col.name,
                    value=text,
                )
                if fatal:
                    ok = False
                if value is None:
                    value = blank_value(col)
            elif not text and col.required and present:
                if col.critical:
                    self.log.error(
                        prefix + f"{col.name} is required and blank; the row cannot be used",
                        table=label,
                        row=row,
                        column=col.name,
                        code=Code.MISSING_VALUE,
                    )
                    ok = False
                else:
                    self.log.warning(
                        prefix + f"{col.name} is required but blank",
                        table=label,
                        row=row,
                        column=col.name,
                        code=Code.MISSING_VALUE,
                    )
            if col.type == "date":
                dates_read[col.name] = value
            if col.field:
                out[col.field] = value
        if ok:
            self._check_code_dates(codes_read, dates_read, row, label, prefix)
        return out if ok else None

    # Each returns a Parsed whose messages name the column. An error follows the
    # column's criticality (the row is unusable, or the value is blanked - or kept,
    # for a postcode); a warning keeps the value.
    def _value(self, col: ColumnSpec, text: str, codes_read: dict[str, str]) -> Parsed[Any]:
        if col.type == "child_id":
            return Parsed(clean_child_id(text))
        if not text:
            return _BLANK_TEXT if blank_value(col) == "" else _BLANK
        if col.type == "date":
            parsed = parse_date(text, pivot_year=self.pivot)
            if not (parsed.error or parsed.warning):
                return parsed
            return replace(
                parsed,
                error=f"{col.name} is {parsed.error}" if parsed.error else "",
                warning=f"{col.name}: {parsed.warning}" if parsed.warning else "",
                expected=f"a date as {DATE_FORMAT}",
            )
        if col.type == "code":
            return self._code(col, text, codes_read)
        if col.type == "bool":
            parsed = parse_bool(text)
            if not parsed.ok:
                return replace(parsed, error=f"{col.name} is {parsed.error}", expected="0 or 1")
            return parsed
        if col.type == "int":
            parsed = parse_int(
                text,
                minimum=None if col.min is None else int(col.min),
                maximum=None if col.max is None else int(col.max),
            )
            if not parsed.ok:
                return replace(parsed, error=f"{col.name} is {parsed.error}")
            return parsed
        if col.type == "decimal":
            number = parse_float(text)
            if number.ok and number.value is not None and not (
                (col.min is None or number.value >= col.min)
                and (col.max is None or number.value <= col.max)
            ):
                return Parsed(
                    error=f"{col.name} is out of range",
                    expected=f"a number from {col.min} to {col.max}",
                    code=Code.BAD_NUMBER,
                )
            if not number.ok:
                return replace(number, error=f"{col.name} is {number.error}")
            return number
        if col.type == "text":
            if col.max_length and len(text) > col.max_length:
                return Parsed(
                    error=f"{col.name} is longer than {col.max_length} characters",
                    expected=f"at most {col.max_length} characters",
                    code=Code.TOO_LONG,
                )
            return Parsed(text)
        if col.type == "postcode":
            return self._postcode(col, text)
        if col.type == "partial_date":
            match = _PARTIAL_DATE.match(text)
            if not match:
                return Parsed(
                    error=f"{col.name} is not a date (parts not known may be given as zz)",
                    expected="dd/mm/yyyy, or zz/zz/yyyy when only the year is known",
                    code=Code.BAD_DATE,
                )
            d, m, y = match.groups()
            return Parsed(f"{d.upper().zfill(2)}/{m.upper().zfill(2)}/{y}")
        raise AssertionError(col.type)

    def _code(self, col: ColumnSpec, text: str, codes_read: dict[str, str]) -> Parsed[str]:
        key = fold_code(text)
        code = self.code_keys[col.name].get(key)
        if code is not None:
            codes_read[col.name] = code
            return self.code_values[col.name][code]
        if col.also_accepted:
            code = self.alias_keys[col.name].get(key)
            if code is not None:
                codes_read[col.name] = code
                stored = col.store_as.get(code, code)
                return Parsed(
                    stored,
                    warning=f"{col.name} {text!r} is not the {self.spec.year} coding; read as {stored}",
                    expected=", ".join(col.codes),
                    warning_code=Code.RECODED,
                )
        years = self.spec.other_years_for(self.table.name, col.name, key)
        if years:
            codes_read[col.name] = key
            return Parsed(
                col.store_as.get(key, key),
                warning=f"{col.name} {key} is not a valid code in {self.spec.year} (it is valid in "
                f"{year_span(years)}); kept as given",
                expected=", ".join(col.codes),
                warning_code=Code.CODE_NOT_THIS_YEAR,
            )
        return Parsed(
            error=f"{col.name} is not a valid {self.spec.year} code",
            expected=", ".join(col.codes),
            code=Code.BAD_CODE,
        )

    def _postcode(self, col: ColumnSpec, text: str) -> Parsed[str]:
        compact = re.sub(r"\s+", "", text).upper()
        sector = _POSTCODE_SECTOR.match(re.sub(r"\s+", " ", text.strip()).upper())
        if sector:
            return Parsed(f"{sector.group(1)} {sector.group(2)}")
        match = _POSTCODE_FULL.match(compact)
        if match:
            return Parsed(f"{match.group(1)} {match.group(2)}")
        if _POSTCODE_OUTWARD.match(compact):
            return Parsed(compact)
        return Parsed(
            text.upper() if len(text) <= 8 else None,
            error=f"{col.name} does not look like a postcode",
            expected="a postcode such as AB1 2CD, or its sector such as AB1 2",
            code=Code.BAD_POSTCODE,
        )

    def _check_code_dates(self, codes_read, dates_read, row, label, prefix) -> None:
        for col in self.table.columns.values():
            if not col.code_ends:
                continue
            code = codes_read.get(col.name)
            when = dates_read.get(col.dated_by)
            end = col.code_ends.get(code or "")
            if code is None or when is None or end is None or when < end:
                continue
            still_valid = [
                c for c in col.codes if not (c in col.code_ends and when >= col.code_ends[c])
            ]
            self.log.warning(
                prefix
                + f"{col.name} {code} cannot be used for a row whose {col.dated_by} is on or after "
                f"{end:%d/%m/%Y}; kept as given",
                table=label,
                row=row,
                column=col.name,
                value=code,
                code=Code.CODE_ENDED,
                expected=", ".join(still_valid),
            )


# -- the collection year --------------------------------------------------------


def normalise_year(year: str) -> str:
    """'2024-25', '2024/25', '202425', '2024-2025' or '2025' (the end year) -> '2024-25'."""
    text = clean_text(year)
    if not text:
        return ""
    found = year_from_text(text.replace("/", "-"))
    if found:
        return found
    if re.fullmatch(r"20\d{2}", text):
        return collection_year_ending(int(text))
    raise ValueError(f"not a collection year: {year!r} (expected e.g. 2024-25)")


def year_from_names(paths: Iterable[Any]) -> str:
    """The collection year named by the files, else by their folders ('' when none do)."""
    paths = list(paths)
    for p in paths:
        found = year_from_text(p.name)
        if found:
            return found
    for p in paths:
        for parent in list(p.parents)[:2]:
            found = year_from_text(parent.name)
            if found:
                return found
    return ""


class YearVotes:
    """Counts episode dates by the financial year (1 April to 31 March) they fall in.

    The rule for a file that does not say its year: the collection year is the
    financial year in which most episode end dates (DEC) fall, since a return
    only holds episodes ending in its own year; with no end dates, the year in
    which most start dates (DECOM) fall. Dates after today are ignored (they
    are typing errors), as are review dates (fake and real data both carry
    planned reviews in later years). Ties go to the later year.
    """

    def __init__(self) -> None:
        # financial year label ("2024-25") -> dates in it
        self.ends: Counter[str] = Counter()
        self.starts: Counter[str] = Counter()
        self.today = dt.date.today()

    def add(self, kind: str, text: object) -> None:
        parsed = parse_date(text, pivot_year=self.today.year)
        if parsed.ok:
            self.add_date(kind, parsed.value)

    def add_date(self, kind: str, d: dt.date | None) -> None:
        if d is None or d > self.today:
            return
        (self.ends if kind == "DEC" else self.starts)[financial_year_of(d)] += 1

    def decide(self) -> tuple[str, str]:
        """(year, how it was decided) or ('', reason)."""
        for counter, what in (
            (self.ends, "episode end dates (DEC)"),
            (self.starts, "episode start dates (DECOM)"),
        ):
            if counter:
                year = max(counter, key=lambda y: (counter[y], y))
                return year, (
                    f"collection year {year} inferred from the content: most {what} "
                    f"({counter[year]} of {sum(counter.values())}) fall in it"
                )
        return "", "no episode dates to infer the collection year from"

    def add_episode(self, row: dict) -> None:
        self.add_date("DECOM", row.get("start_date"))
        self.add_date("DEC", row.get("end_date"))

    def check(self, year: str, how: str, log: IssueLog) -> None:
        """Warn when the episode dates point to another year than the one `how` gave."""
        inferred, _ = self.decide()
        if inferred and year and inferred != year:
            log.warning(
                f"the collection year {year} was {how}, but most episode dates point to "
                f"{inferred}: check this is the right file",
                code=Code.YEAR_MISMATCH,
                expected=year,
            )

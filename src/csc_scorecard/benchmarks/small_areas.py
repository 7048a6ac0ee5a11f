"""ONS small-area population estimates (wards or LSOAs), for areas a council defines as lists of them.

``reference import DIR`` recognises such a CSV by its header: a small-area code
column and either a 0-17 total or single-year-of-age columns for 0 to 17.

- The code column: ``area_code``, ``code``, or a name with "lsoa" or "ward" and
  "code"/"cd" in it (``LSOA 2021 Code``, ``lsoa21cd``, ``WD24CD``, ``Ward Code``).
- The children: ``population_0_17`` (a file reduced to the columns needed), or
  the ages 0 to 17 by single year, which are summed: persons (``0`` ... ``17``,
  ``Age 0`` ..., ``age_0`` ...) or males and females (``M0`` ... ``M17`` and
  ``F0`` ... ``F17``, as ONS's mid-2021 onwards LSOA files are laid out).
- The year: a ``mid_year`` or ``year`` column (``2024`` or ``mid-2024``), else a
  year in the file name ("sapelsoasyoa20222024.csv" takes its last, "mid-2022"
  its only one). A file with neither is refused.

Numbers may carry thousands separators. A value that is not a whole number of 0
or more, a blank code, or one code given twice for the same year refuses the
file, naming its row (as a spreadsheet numbers it) and column. Several files (one
per year) are combined; ``small_areas.parquet`` then holds one row per code and
mid-year: ``area_code``, ``mid_year``, ``population_0_17``, ``source_file``.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import polars as pl

from csc_scorecard.benchmarks.errors import ReferenceImportError
from csc_scorecard.benchmarks.side_files import write_side_file

SMALL_AREAS_FILE = "small_areas.parquet"
SMALL_AREAS_MANIFEST = "small_areas.json"
AGES = range(18)

SCHEMA: dict[str, pl.DataType] = {
    "area_code": pl.String(),
    "mid_year": pl.Int64(),
    "population_0_17": pl.Int64(),
    "source_file": pl.String(),
}

_CODE_EXACT = ("area_code", "code", "small_area_code")
_CODE_PATTERN = re.compile(r"^(?=.*(lsoa|ward|wd\d\d))(?=.*(code|cd)).*$")
_YEAR_HEADERS = ("mid_year", "year")
_YEAR_TEXT = re.compile(r"^(?:mid[-\s]?)?(\d{4})$", re.IGNORECASE)


def _fold(header: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", header.strip().lstrip("\ufeff").lower()).strip("_")


def _header(path: Path) -> list[str]:
    try:
        with path.open("r", encoding="utf-8-sig", errors="replace", newline="") as fh:
            first = fh.readline()
    except OSError:
        return []
    return next(csv.reader(io.StringIO(first)), [])


def _layout(header: list[str]) -> tuple[int, list[int], int | None] | None:
    """(code column, the columns summed to 0-17, year column) by position, or None."""
    folded = [_fold(h) for h in header]
    code = next((i for i, h in enumerate(folded) if h in _CODE_EXACT), None)
    if code is None:
        code = next((i for i, h in enumerate(folded) if _CODE_PATTERN.match(h)), None)
    if code is None:
        return None
    year = next((i for i, h in enumerate(folded) if h in _YEAR_HEADERS), None)
    if "population_0_17" in folded:
        return code, [folded.index("population_0_17")], year
    sexes = [[folded.index(f"{s}{a}") for a in AGES if f"{s}{a}" in folded] for s in ("m", "f")]
    if all(len(cols) == len(AGES) for cols in sexes):
        return code, sexes[0] + sexes[1], year
    for form in ("{}", "age_{}", "age{}"):
        cols = [folded.index(form.format(a)) for a in AGES if form.format(a) in folded]
        if len(cols) == len(AGES):
            return code, cols, year
    return None


def is_small_area_population(path: Path) -> bool:
    """True when the CSV's header has a small-area code and the ages 0-17 (or their total)."""
    return path.suffix.lower() == ".csv" and _layout(_header(path)) is not None


def _year_from_name(name: str) -> int | None:
    years = re.findall(r"(?<!\d)(20\d{2}|19\d{2})(?!\d)", name)
    if not years:
        # "sapelsoasyoa20222024" holds two years run together: the later is the estimate's
        years = re.findall(r"(20\d{2})(?=20\d{2}(?!\d)|(?!\d))", name)
    return int(years[-1]) if years else None


def _whole(text: str) -> int | None:
    value = text.strip().replace(",", "")
    if re.fullmatch(r"\d+(\.0+)?", value):
        return int(float(value))
    return None


def read_small_area_population(path: Path) -> pl.DataFrame:
    """One file's 0-17 populations (see the module docstring); raises ReferenceImportError."""
    header = _header(path)
    layout = _layout(header)
    if layout is None:
        raise ReferenceImportError(
            path, "a small-area population file needs a ward or LSOA code column and the "
            "ages 0 to 17 (or population_0_17)"
        )
    code_col, age_cols, year_col = layout
    name_year = _year_from_name(path.stem)
    if year_col is None and name_year is None:
        raise ReferenceImportError(
            path, "the file gives no year: add a mid_year column, or name the file with the "
            "estimate's year (mid-2024)"
        )
    rows: list[tuple[str, int, int]] = []
    seen: dict[tuple[str, int], int] = {}
    try:
        with path.open("r", encoding="utf-8-sig", errors="strict", newline="") as fh:
            reader = csv.reader(fh)
            next(reader, None)
            for excel_row, record in enumerate(reader, start=2):
                if not any(v.strip() for v in record):
                    continue
                rows.append(_row(path, header, record, excel_row, layout, name_year, seen))
    except UnicodeDecodeError:
        raise ReferenceImportError(path, "is not UTF-8 text (save it as CSV UTF-8)") from None
    except (OSError, csv.Error) as exc:
        raise ReferenceImportError(path, f"could not be read as CSV: {exc}") from None
    if not rows:
        raise ReferenceImportError(path, "holds a header and no rows")
    return pl.DataFrame(
        [(c, y, n, path.name) for c, y, n in rows], schema=SCHEMA, orient="row"
    )


def _row(path, header, record, excel_row, layout, name_year, seen) -> tuple[str, int, int]:
    code_col, age_cols, year_col = layout

    def cell(i: int) -> str:
        return record[i] if i < len(record) else ""

    def refuse(col: int, problem: str) -> ReferenceImportError:
        value = cell(col).strip()[:40]
        return ReferenceImportError(
            path, f"row {excel_row}, column {header[col].strip()!r}"
            + (f", value {value!r}" if value else "") + f": {problem}"
        )

    code = cell(code_col).strip().upper()
    if not code:
        raise refuse(code_col, "the area code is blank")
    year = name_year
    if year_col is not None:
        match = _YEAR_TEXT.match(cell(year_col).strip())
        if not match:
            raise refuse(year_col, "not a year (expected 2024 or mid-2024)")
        year = int(match.group(1))
    assert year is not None
    total = 0
    for col in age_cols:
        value = _whole(cell(col))
        if value is None:
            raise refuse(col, "not a whole number of people (0 or more)")
        total += value
    if (code, year) in seen:
        raise refuse(code_col, f"this area is also given for mid-{year} at row {seen[(code, year)]}")
    seen[(code, year)] = excel_row
    return code, year, total


def combine(frames: list[pl.DataFrame]) -> pl.DataFrame:
    """Several files' rows as one; a code and year in two files is refused, naming both."""
    frame = pl.concat(frames, how="vertical")
    twice = frame.filter(pl.struct("area_code", "mid_year").is_duplicated())
    if twice.height:
        code, year = twice.row(0)[:2]
        files = sorted(set(twice.filter(pl.col("area_code") == code)["source_file"].to_list()))
        raise ReferenceImportError(
            Path(files[0]), f"area {code} mid-{year} is also in {', '.join(files[1:])}"
        )
    return frame.sort("area_code", "mid_year")


def write_small_areas(frame: pl.DataFrame, sources: list[Path], dest: Path) -> None:
    """Put small_areas.parquet and its manifest in ``dest``; other reference files are untouched."""
    write_side_file(frame, dest, SMALL_AREAS_FILE, SMALL_AREAS_MANIFEST, {
        "source_files": [p.name for p in sources],
        "areas": int(frame["area_code"].n_unique()),
        "mid_years": sorted(int(y) for y in frame["mid_year"].unique().to_list()),
    })


def small_area_populations(ref_dir: Path | str | None = None) -> pl.DataFrame | None:
    """The imported small-area 0-17 populations (:data:`SCHEMA`), or None when none are imported."""
    from csc_scorecard.benchmarks.paths import reference_file

    path = reference_file(SMALL_AREAS_FILE, ref_dir)
    return pl.read_parquet(path) if path is not None else None

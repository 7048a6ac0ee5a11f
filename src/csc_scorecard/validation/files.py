"""Validate returns straight from files, without storing them (the pre-submission check).

    run_files(paths, year="2024-25", la="933", last_year=[...]) -> ValidationRun

Each path is a file or a folder. The SSDA903 CSV tables make one return, each
903 XML is a return of its own (a folder often holds the same return in both
forms), and so is each CIN census XML; anything else is
listed as skipped with the reason. ``last_year`` files are last year's 903,
read as ``Header_last``, ``Episodes_last``, ... for the rules that compare years.

The collection year is ``year`` when given, else the one the files' names
carry, else worked out from the data (the year the latest 903 episode date,
or the census reference date, falls in).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from csc_scorecard.returns import detect
from csc_scorecard.returns.cleaning import year_from_text
from csc_scorecard.returns.issues import FileRejected
from csc_scorecard.returns.ssda903.parsing import year_from_names
from csc_scorecard.validation.core import Context, Outcome, RuleResult, RuleSeverity


class BadInput(ValueError):
    """The files cannot be validated at all (none found, none a return, a bad year)."""


@dataclass
class ReturnRun:
    """One return's files and the rule results on them."""

    return_type: str  # "ssda903" or "cin"
    year: str
    files: list[str]
    sources: dict[str, str]  # table -> the file it came from
    results: list[RuleResult]
    year_how: str = ""

    @property
    def label(self) -> str:
        """Which return this is, in a few words: its one file, or how many CSV tables."""
        return self.files[0] if len(self.files) == 1 else f"{len(self.files)} CSV files"


@dataclass
class ValidationRun:
    returns: list[ReturnRun] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "file: why"

    @property
    def results(self) -> list[RuleResult]:
        return [r for run in self.returns for r in run.results]

    def count(self, outcome: Outcome) -> int:
        return sum(r.outcome is outcome for r in self.results)

    @property
    def errors(self) -> int:
        return sum(r.failure_count for r in self.results if r.spec.severity is RuleSeverity.ERROR)


def collection_year_of(day: dt.date) -> str:
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def _check_year(year: str) -> str:
    if not year:
        return ""
    found = year_from_text(year)
    if found != year:
        raise BadInput(f"--year {year!r} is not a collection year like 2024-25")
    return year


def _903_year_from_data(tables: dict[str, pl.DataFrame]) -> str:
    from csc_scorecard.validation.ssda903.common import date

    ep = tables.get("Episodes")
    if ep is None:
        return ""
    cols = [c for c in ("DECOM", "DEC") if c in ep.columns]
    if not cols:
        return ""
    latest = ep.select(pl.max_horizontal([date(c) for c in cols]).max()).item()
    return collection_year_of(latest) if latest else ""


def _classify(paths: Iterable[Path]) -> tuple[list[list[Path]], list[Path], list[str]]:
    """903 returns (the CSV tables together, each XML alone), CIN files, and notes."""
    collected = detect.collect_files(list(paths))
    skipped = [f"{m.path}: {m.reason}" for m in collected.missing]
    csvs, xmls, cin = [], [], []
    for path in collected.files:
        found = detect.classify(path)
        if isinstance(found, detect.Unrecognised):
            skipped.append(f"{path.name}: {found.reason}")
        elif found.kind == detect.SSDA903_CSV:
            csvs.append(path)
        elif found.kind == detect.SSDA903_XML:
            xmls.append([path])
        elif found.kind == detect.CIN_XML:
            cin.append(path)
        else:
            kind = {"annex_a": "an Annex A", "local": "a local extract"}.get(
                detect.RETURN_OF_KIND[found.kind], f"a {detect.RETURN_OF_KIND[found.kind]}")
            skipped.append(f"{path.name}: {kind} file; the DfE rules cover the SSDA903 and the CIN census")
    ssda903 = ([csvs] if csvs else []) + xmls
    return ssda903, cin, skipped


def run_903(
    files: Sequence[Path], *, year: str, la: str, last_year: Sequence[Path] = ()
) -> tuple[ReturnRun, list[str]]:
    """The 903 rules on one return's files; also the notes on files not used."""
    from csc_scorecard.validation import ssda903
    from csc_scorecard.validation.ssda903.tables import load_903_tables

    loaded = load_903_tables(list(files))
    tables = dict(loaded.tables)
    if last_year:
        last = load_903_tables(list(last_year), suffix="_last")
        tables.update(last.tables)
        loaded.skipped.extend(last.skipped)
        loaded.sources.update(last.sources)
    how = "given"
    if not year:
        year, how = year_from_names(files), "from the file names"
    if not year:
        year, how = _903_year_from_data(tables), "from the latest episode date"
    if not year:
        raise BadInput("the collection year cannot be told from the 903 files; give --year")
    results = ssda903.run_903(tables, Context(year, la or None))
    run = ReturnRun("ssda903", year, [p.name for p in files], loaded.sources, results, how)
    return run, loaded.skipped


def cin_rules_available() -> bool:
    try:
        from csc_scorecard.validation import cin  # noqa: F401
    except ImportError:  # the CIN rules ship separately in some builds
        return False
    return True


def run_cin(path: Path, *, year: str, la: str) -> ReturnRun:
    from csc_scorecard.validation import cin

    tables = cin.load_cin_tables(path)
    how = "given"
    if not year:
        year, how = year_from_names([path]), "from the file name"
    if not year and "Header" in tables and "ReferenceDate" in tables["Header"].columns:
        from csc_scorecard.validation.ssda903.common import date

        ref = tables["Header"].select(date("ReferenceDate").max()).item()
        if ref is not None:
            year, how = collection_year_of(ref), "from the census reference date"
    if not year:
        raise BadInput(f"{path.name}: the collection year cannot be told from the census; give --year")
    results = cin.check_cin_tables(tables, Context(year, la or None))
    return ReturnRun("cin", year, [path.name], {t: path.name for t in tables}, results, how)


def run_files(
    paths: Sequence[Path | str],
    year: str = "",
    la: str = "",
    last_year: Sequence[Path | str] = (),
) -> ValidationRun:
    """Run the DfE rules on the returns in `paths` (see the module docstring)."""
    year = _check_year(year)
    ssda903, cin, skipped = _classify(Path(p) for p in paths)
    last_returns, _, last_skipped = _classify(Path(p) for p in last_year) if last_year else ([], [], [])
    skipped += [f"last year: {s}" for s in last_skipped]
    if len(last_returns) > 1:
        raise BadInput("--last-year holds more than one 903 return (CSVs and XML): give one of them")
    last_903 = last_returns[0] if last_returns else []
    if not ssda903 and not (cin and cin_rules_available()):
        why = "; ".join(skipped) if skipped else "no files found"
        raise BadInput(f"no SSDA903 or CIN census file to validate ({why})")
    out = ValidationRun(skipped=skipped)
    try:
        for files in ssda903:
            run, notes = run_903(files, year=year, la=la, last_year=last_903)
            out.returns.append(run)
            out.skipped.extend(notes)
        for path in cin:
            if cin_rules_available():
                out.returns.append(run_cin(path, year=year, la=la))
            else:
                out.skipped.append(f"{path.name}: the CIN census rules are not installed in this build")
    except FileRejected as exc:
        raise BadInput(f"{exc.file}: {exc.reason}") from None
    return out

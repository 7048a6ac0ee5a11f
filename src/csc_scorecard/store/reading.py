"""Running the right reader for a group of files, with no database in sight.

Kept apart from store/ingest.py (which needs Django) so a read-ahead worker
(store/read_worker.py) can import it in a fresh interpreter cheaply.
"""

from __future__ import annotations

from csc_scorecard.returns import detect
from csc_scorecard.returns.base import ReadResult
from csc_scorecard.returns.issues import FileRejected


def read_group(
    group: detect.FileGroup, *, year: str, la_code: str, sink, rule_tables: dict | None = None
) -> ReadResult:
    """Run the right reader for a group of files.

    With `rule_tables`, the CIN census reader also builds the DfE rules' tables
    as it streams the file (validation.cin.tables.TableTap), put there as
    "cin", so validation does not parse the file a second time.
    """
    if group.kind == detect.SSDA903_CSV:
        from csc_scorecard.returns.ssda903 import read_csv_tables

        result = read_csv_tables(group.paths, year=year, la_code=la_code, sink=sink)
    elif group.kind == detect.SSDA903_XML:
        from csc_scorecard.returns.ssda903 import read_xml

        result = read_xml(group.paths[0], year=year, la_code=la_code, sink=sink)
    elif group.kind == detect.CIN_XML:
        from csc_scorecard.returns.cin_census import read_cin_census
        from csc_scorecard.validation.cin.tables import TableTap

        tap = TableTap() if rule_tables is not None else None
        result = read_cin_census(group.paths[0], year=year, la_code=la_code, sink=sink, tap=tap)
        frames = tap.frames() if tap is not None else None
        if frames is not None and rule_tables is not None:
            rule_tables["cin"] = frames
    elif group.kind == detect.ANNEX_A_XLSX:
        from csc_scorecard.returns.annex_a import read_annex_a_workbook

        result = read_annex_a_workbook(group.paths[0], year=year, la_code=la_code, sink=sink)
    elif group.kind == detect.ANNEX_A_CSV:
        from csc_scorecard.returns.annex_a import read_annex_a_csvs

        result = read_annex_a_csvs(group.paths, year=year, la_code=la_code, sink=sink)
    elif group.kind == detect.LOCAL_CSV:
        from csc_scorecard.returns.local import read_local_csv

        result = read_local_csv(group.paths[0], subtype=group.subtype, sink=sink)
    else:  # pragma: no cover - detect only produces the kinds above
        raise FileRejected(group.label, f"no reader for {group.kind}")
    return result.finish()

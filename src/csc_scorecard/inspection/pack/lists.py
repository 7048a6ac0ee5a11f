"""An Annex A workbook read list by list (1-11), one Polars frame per list.

The project's Annex A reader (csc_scorecard.returns.annex_a) recognises the
lists, cleans every value and reports problems; it then merges the lists
into the canonical tables.  Inspectors look at the *lists*, so the pack
keeps each good row of each list as the reader cleaned it (the reader's
``emit`` step is where a cleaned row is handed over) with its Excel row.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from csc_scorecard.returns.annex_a.canonical import CanonicalRows
from csc_scorecard.returns.annex_a.spec import load_spec
from csc_scorecard.returns.annex_a.tables import ListReader
from csc_scorecard.returns.base import ReadResult
from csc_scorecard.returns.issues import FileRejected

__all__ = ["COMMON", "AnnexALists", "list_label", "read_lists"]

COMMON = ("child_id", "sex", "ethnicity", "birth_date", "disability", "team", "worker")


class _KeepingRows(CanonicalRows):
    """The reader's canonical step, also keeping each list's cleaned rows."""

    kept: dict[int, list[dict]]

    def emit(self, log, spec, table, v, excel_row) -> None:  # noqa: ANN001 - as CanonicalRows
        self.kept.setdefault(spec.number, []).append({**v, "excel_row": excel_row})
        super().emit(log, spec, table, v, excel_row)


class AnnexALists(dict):
    """list number -> frame of its rows; ``issues`` the reader's problems, ``source`` the file."""

    issues: list
    source: str


def list_label(number: int) -> str:
    return load_spec().lists[number].label


def read_lists(path: Path | str) -> AnnexALists:
    """Every recognised list of the workbook; FileRejected when it is not a usable Annex A."""
    import openpyxl

    path = Path(path)
    result = ReadResult(return_type="annex_a", files=[path])
    log = result.log(path)
    reader = ListReader(result)
    rows = _KeepingRows(result)
    rows.kept = {}
    reader.rows = rows
    # opened as a file object: the store keeps raw files under their checksum, with no suffix
    with path.open("rb") as handle:
        try:
            book = openpyxl.load_workbook(handle, read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for broken files
            raise FileRejected(path.name,
                               f"the workbook cannot be opened ({type(exc).__name__})") from exc
        try:
            for sheet in book.worksheets:
                sheet.reset_dimensions()
                reader.read_table(log, sheet.iter_rows(values_only=True, max_col=300),
                                  source=sheet.title, in_workbook=True)
        finally:
            book.close()
    if not reader.lists_found:
        raise FileRejected(path.name, "no Annex A list was recognised in any sheet")
    result.finish()
    out = AnnexALists()
    spec = load_spec()
    for number, kept in sorted(rows.kept.items()):
        keys = list(dict.fromkeys(k for row in kept for k in row))
        for key in COMMON:
            if key not in keys:
                keys.append(key)
        frame = pl.DataFrame([{k: row.get(k) for k in keys} for row in kept],
                             infer_schema_length=None)
        out[number] = frame.with_columns(
            pl.col(c).cast(pl.Utf8).fill_null("") for c in ("sex", "ethnicity", "disability",
                                                             "team", "worker", "child_id"))
    for number in spec.lists:
        out.setdefault(number, None)
    out.issues = list(result.issues)
    out.source = path.name
    return out

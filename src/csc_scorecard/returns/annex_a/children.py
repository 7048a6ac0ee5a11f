"""The one `child` row of each child an Annex A names, merged from every list.

Every list carries some of a child's details (sex, birth date, ethnicity,
disability, UASC, team); the child gets one row. The first list to give sex,
birth date or ethnicity keeps it and a later one that differs is reported;
disability and UASC are taken as the lists give them; the team and worker are
those of the child's latest event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from csc_scorecard.returns.base import ColumnBatch, ReadResult
from csc_scorecard.returns.issue_codes import Code
from csc_scorecard.returns.issues import IssueLog

# the details a list's values may give (their keys in the lists' values), in the
# order merge_children takes them
CHILD_DETAILS = ("sex", "birth_date", "ethnicity", "disability", "uasc")


@dataclass(slots=True)  # slots: its fields are read for every row of every list
class ChildInfo:
    source_row: int
    where: str  # "List 1 (contacts), sheet 'List 1' row 5": for conflict messages
    sex: str = ""
    birth_date: dt.date | None = None
    ethnicity: str = ""
    disabilities: str = ""
    asylum_seeker: bool | None = None
    team: str = ""
    worker: str = ""
    team_date: dt.date | None = None
    team_seen: bool = False


def merge_children(
    children: dict[str, ChildInfo], log: IssueLog, table: str, *columns: Sequence
) -> None:
    """Each row's details into its child's one row, in row order: columns of the
    child id, the Excel row, each of CHILD_DETAILS, team, worker and event date.
    (One row at a time from CanonicalRows.emit, a run of clean rows from
    canonical_columns.py.)"""
    for (
        cid,
        excel_row,
        sex,
        birth_date,
        ethnicity,
        disability,
        uasc,
        team,
        worker,
        event,
    ) in zip(*columns, strict=True):
        info = children.get(cid)
        if info is None:
            info = children[cid] = ChildInfo(excel_row, f"{table} row {excel_row}")
        # the first list to give a detail keeps it (written out: the loop is hot)
        if sex is not None and sex != "" and sex != info.sex:
            _keep_first(log, table, excel_row, info, "sex", sex)
        if birth_date is not None and birth_date != "" and birth_date != info.birth_date:
            _keep_first(log, table, excel_row, info, "birth_date", birth_date)
        if ethnicity is not None and ethnicity != "" and ethnicity != info.ethnicity:
            _keep_first(log, table, excel_row, info, "ethnicity", ethnicity)
        if disability and (not info.disabilities or info.disabilities == "NONE"):
            info.disabilities = disability
        if uasc is not None and info.asylum_seeker is not True:
            info.asylum_seeker = uasc
        if team:
            later = not info.team_seen or (
                event is not None and (info.team_date is None or event >= info.team_date)
            )
            if later:
                info.team, info.worker, info.team_date, info.team_seen = (
                    team,
                    worker,
                    event,
                    True,
                )


def _keep_first(
    log: IssueLog, table: str, excel_row: int, info: ChildInfo, name: str, new: object
) -> None:
    """A detail of the child's other than the one it has: taken if it has none yet,
    else reported (the first is kept)."""
    old = getattr(info, name)
    if old is None or old == "":
        setattr(info, name, new)
        return
    log.warning(
        f"this child's {name.replace('_', ' ')} differs from the one given in {info.where}; the first is kept",
        table=table,
        row=excel_row,
        column=name.replace("_", " "),
        value=new.isoformat() if isinstance(new, dt.date) else new,
        code=Code.CHILD_CONFLICT,
    )


def child_rows(children: dict[str, ChildInfo]) -> ColumnBatch:
    """The children's rows, a column at a time, in the order they were first named."""
    infos = list(children.values())

    def column(name: str) -> list:
        return [getattr(info, name) for info in infos]

    return ColumnBatch(
        len(infos),
        {
            "child_id": list(children),
            "source_row": column("source_row"),
            "sex": column("sex"),
            "birth_date": column("birth_date"),
            "ethnicity": column("ethnicity"),
            "disabilities": column("disabilities"),
            "asylum_seeker": column("asylum_seeker"),
            "team": column("team"),
            "worker": column("worker"),
        },
        fixed={
            "upn": "",
            "expected_birth_date": None,
            "death_date": None,
            "mother": None,
            "child_birth_date": None,
        },
    )


def add_dicts(result: ReadResult, table: str, rows: list[dict]) -> None:
    """Rows of one table held back as dicts: as one batch when they all have the same
    fields (as the rows of one list function do), else one by one."""
    if rows and all(row.keys() == rows[0].keys() for row in rows):
        names = list(rows[0])
        result.add_columns(
            table, ColumnBatch(len(rows), {n: [row[n] for row in rows] for n in names})
        )
        return
    for row in rows:
        result.add_row(table, row)

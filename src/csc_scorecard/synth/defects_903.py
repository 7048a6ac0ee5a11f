"""Known defects for an SSDA903 written as CSV tables: each one value that breaks a DfE rule.

A defect sets one column of one of a child's rows in one table to a value the
DfE's rule rejects, on a row where the column holds something (so a reason
ceased is only spoiled on an episode that ended). Each defect names its rule;
some break others too (an invalid date of birth upsets every age rule), the
one named is the one it is there for.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Defect903:
    rule: str
    file: str  # the synthetic 903's file for the table (synth.write_903.TABLES)
    column: str
    value: str
    what: str  # in words, for the manifest

    @property
    def name(self) -> str:
        return f"{self.rule}:{self.file.removesuffix('.csv')}_{self.column.lower()}"


DEFECTS_903 = {
    d.name: d
    for d in (
        Defect903("101", "header.csv", "SEX", "X", "sex X, not a code"),
        Defect903("102", "header.csv", "DOB", "31/02/2012", "date of birth 31 February"),
        Defect903("103", "header.csv", "ETHNIC", "XXXX", "ethnicity XXXX, not a code"),
        Defect903("143", "episodes.csv", "RNE", "X", "reason for new episode X"),
        Defect903("144", "episodes.csv", "LS", "Z9", "legal status Z9"),
        Defect903("145", "episodes.csv", "CIN", "N9", "category of need N9"),
        Defect903("146", "episodes.csv", "PLACE", "Z9", "placement type Z9"),
        Defect903("149", "episodes.csv", "REC", "X9", "reason episode ceased X9 (on an ended episode)"),
        Defect903("392c", "episodes.csv", "HOME_POST", "NOTAPC", "home postcode NOTAPC"),
        Defect903("167", "reviews.csv", "REVIEW_CODE", "PN9", "review participation code PN9"),
        Defect903("180", "oc2.csv", "SDQ_SCORE", "99", "SDQ score 99 (0 to 40)"),
        Defect903("131", "oc3.csv", "IN_TOUCH", "MAYBE", "in touch MAYBE"),
        Defect903("1006", "missing.csv", "MISSING", "X", "missing type X (M or A)"),
    )
}


def _read(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    return (rows[0], rows[1:]) if rows else ([], [])


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8", newline="")


def inject_903(folder: Path, *, counts: dict[str, int], seed: int) -> list[tuple[str, str, int]]:
    """Give each defect named in ``counts`` to that many children of the 903 CSVs in ``folder``
    (rewritten in place), one defect per child at most. Answers (defect, child, Excel row)
    for each; fewer than asked when too few children have a row the defect can spoil."""
    rng = random.Random(seed)
    tables: dict[str, tuple[list[str], list[list[str]]]] = {}
    used: set[str] = set()
    done = []
    for name in sorted(counts):
        defect = DEFECTS_903[name]
        path = folder / defect.file
        if not path.exists():
            continue
        if defect.file not in tables:
            tables[defect.file] = _read(path)
        header, rows = tables[defect.file]
        if "CHILD" not in header or defect.column not in header:
            continue
        child_at, col = header.index("CHILD"), header.index(defect.column)
        candidates = [i for i, r in enumerate(rows) if r[col].strip() and r[child_at] not in used]
        rng.shuffle(candidates)
        given = 0
        for i in candidates:
            if given == counts[name]:
                break
            if rows[i][child_at] in used:  # another row of a child already given one
                continue
            given += 1
            rows[i][col] = defect.value
            used.add(rows[i][child_at])
            done.append((name, rows[i][child_at], i + 2))  # Excel's row: the header is row 1
    for file, (header, rows) in tables.items():
        _write(folder / file, header, rows)
    return done

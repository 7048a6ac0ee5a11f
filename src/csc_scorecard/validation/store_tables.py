"""Last year's 903 from the store, for the rules that compare years when validating at ingest.

    last_year_from_store("2024-25", "933") -> {"Header_last": frame, "Episodes_last": frame, ...}

The store keeps every received file byte for byte (raw/<sha256>), so last
year's return is read again from its current submission's raw files, exactly
as if its files had been given with --last-year. No current submission for
the year before gives no tables: those rules are then reported *not run*.
"""

from __future__ import annotations

import polars as pl


def previous_year(year: str) -> str:
    start = int(year[:4]) - 1
    return f"{start}-{(start + 1) % 100:02d}"


def last_year_from_store(year: str, la_code: str = "") -> dict[str, pl.DataFrame]:
    from csc_scorecard.store.ingest import raw_dir
    from csc_scorecard.store.models import Submission
    from csc_scorecard.validation.ssda903.tables import load_903_tables

    found = Submission.objects.filter(return_type="ssda903", year=previous_year(year), is_current=True)
    if la_code:
        found = found.filter(la_code=la_code)
    submission = found.order_by("-id").first()
    if submission is None:
        return {}
    files = list(submission.raw_files.order_by("id"))
    paths = [raw_dir() / f.sha256 for f in files]
    present = [(p, f.name) for p, f in zip(paths, files, strict=True) if p.exists()]
    if not present:
        return {}
    loaded = load_903_tables([p for p, _ in present], suffix="_last", names=[n for _, n in present])
    return loaded.tables

"""The store's canonical tables, one frame per return and table, for the cross-return checks.

    load_cross_tables("2024-25", la_code="933") -> {"cin_child": frame, ...}

The indicators combine the returns into one view (one child row, the latest
characteristic winning); the cross checks need the opposite: each return's
own version, side by side. So every frame here comes from the current
submission(s) of one return type for the collection year, and is named
``<return>_<table>``:

- ``cin_child``, ``cin_referral``, ``cin_assessment``, ``cin_s47``, ``cin_cp_plan``
  from the CIN census;
- ``ssda903_child``, ``cla_episode`` from the SSDA903;
- ``annexa_referral``, ``annexa_assessment``, ``annexa_s47``, ``annexa_cp_plan``
  from Annex A.

A return with no current submission for the year gives no frames at all, so
the checks that need it are reported "not run" with the reason. Every frame
has ``child_id``, the fields the checks read (READS), ``_child`` (the child id)
and ``_row`` ("CIN census line 120", "SSDA903 row 14", "Annex A row 9": where
the record was in its file).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator

import polars as pl

from csc_scorecard.indicators.casedata import SCHEMAS

# frame name -> (return type, canonical table)
SOURCES: dict[str, tuple[str, str]] = {
    "cin_child": ("cin_census", "child"),
    "cin_referral": ("cin_census", "referral"),
    "cin_assessment": ("cin_census", "assessment"),
    "cin_s47": ("cin_census", "s47"),
    "cin_cp_plan": ("cin_census", "cp_plan"),
    "ssda903_child": ("ssda903", "child"),
    "cla_episode": ("ssda903", "cla_episode"),
    "annexa_referral": ("annex_a", "referral"),
    "annexa_assessment": ("annex_a", "assessment"),
    "annexa_s47": ("annex_a", "s47"),
    "annexa_cp_plan": ("annex_a", "cp_plan"),
}
# frame name -> the model fields the checks (rules.py) read besides child_id. Only these
# are read from the store (a county year's children and referrals are tens of thousands
# of rows, each column of them fetched one Python value at a time), and frames_from_rows
# gives the tests the same columns, so a check reading another field fails its tests.
READS: dict[str, tuple[str, ...]] = {
    "cin_child": ("sex", "birth_date", "ethnicity"),
    "cin_referral": ("referral_date", "closure_date"),
    "cin_assessment": ("start_date",),
    "cin_s47": ("start_date",),
    "cin_cp_plan": ("start_date", "end_date"),
    "ssda903_child": ("sex", "birth_date", "ethnicity"),
    "cla_episode": ("start_date", "legal_status", "end_date"),
    "annexa_referral": ("referral_date",),
    "annexa_assessment": ("start_date",),
    "annexa_s47": ("start_date",),
    "annexa_cp_plan": ("start_date",),
}
RETURN_LABELS = {"cin_census": "CIN census line", "ssda903": "SSDA903 row", "annex_a": "Annex A row"}


def with_bookkeeping(frame: pl.DataFrame, return_type: str) -> pl.DataFrame:
    """Add ``_child`` and ``_row`` to a frame of one return's canonical rows."""
    label = RETURN_LABELS[return_type]
    source = (
        pl.col("source_row").cast(pl.Utf8) if "source_row" in frame.columns else pl.lit(None, pl.Utf8)
    )
    return frame.with_columns(
        pl.col("child_id").alias("_child"),
        pl.concat_str(pl.lit(label + " "), source.fill_null("?")).alias("_row"),
    )


def _schema(name: str) -> dict:
    """The columns of a cross frame as read: source_row, child_id, then what the checks read."""
    model = SCHEMAS[SOURCES[name][1]]
    return {"source_row": pl.Int64} | {c: model[c] for c in ("child_id", *READS[name])}


def frames_from_rows(rows: dict[str, Iterable[dict]]) -> dict[str, pl.DataFrame]:
    """Cross tables from hand-made rows (tests): each named frame typed as its model,
    with the columns load_cross_tables reads (others given are left out)."""
    out: dict[str, pl.DataFrame] = {}
    for name, given in rows.items():
        return_type = SOURCES[name][0]
        schema = _schema(name)
        frame = pl.DataFrame(
            [{c: r.get(c) for c in schema} for r in given], schema=schema, orient="row"
        )
        out[name] = with_bookkeeping(frame, return_type)
    return out


# Frames already read inside a shared_reads() block: (frame name, submission ids) -> frame.
_SHARED: dict[tuple[str, tuple[int, ...]], pl.DataFrame] | None = None


@contextlib.contextmanager
def shared_reads() -> Iterator[None]:
    """Inside it, load_cross_tables reads a return's table once for the same submissions.

    For a caller running the checks for several years or LAs of a store that does not
    change meanwhile: ingest_paths, after it has stored all its returns, checks each
    (year, LA) it stored one for, and a council's returns often differ only in whether
    they carry its LA code, so both runs compare the same submissions. A submission's
    canonical rows never change once stored; what the block assumes is only that none is
    deleted and its id reused while it lasts."""
    global _SHARED
    outer = _SHARED
    _SHARED = {} if outer is None else outer
    try:
        yield
    finally:
        _SHARED = outer


def load_cross_tables(year: str, la_code: str | None = None) -> dict[str, pl.DataFrame]:
    """The frames of the current submissions for ``year`` (Django must be set up)."""
    from csc_scorecard.store.frames import read_frame
    from csc_scorecard.store.models import CANONICAL_TABLES, Submission

    query = Submission.objects.filter(is_current=True, year=year)
    if la_code:
        query = query.filter(la_code__in=[la_code, ""])
    by_type: dict[str, list[int]] = {}
    for sub_id, return_type in query.values_list("id", "return_type"):
        by_type.setdefault(return_type, []).append(sub_id)

    out: dict[str, pl.DataFrame] = {}
    for name, (return_type, table) in SOURCES.items():
        ids = by_type.get(return_type)
        if not ids:
            continue
        key = (name, tuple(ids))
        if _SHARED is not None and key in _SHARED:
            out[name] = _SHARED[key]
            continue
        frame = read_frame(CANONICAL_TABLES[table], _schema(name), ids)
        out[name] = with_bookkeeping(frame, return_type)
        if _SHARED is not None:
            _SHARED[key] = out[name]
    return out

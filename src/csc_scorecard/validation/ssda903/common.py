"""What the 903 rules share: reading a table's columns, the 903's dates, ages,
the collection year's bounds, code lists by year, and shaping failing rows.

Every value in a 903 table frame is a string as the file gave it (blank = null),
so a rule decides for itself what "valid" means. Dates are the 903's
dd/mm/yyyy; the XML's yyyy-mm-dd is read too (the schema's own form).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping

import polars as pl

from csc_scorecard.returns.ssda903.yearspec import load_spec, nearest_spec_year
from csc_scorecard.validation.core import Context, NotRunnable, collect, memo, shared
from csc_scorecard.validation.runs import after, before, ends_run, running_sum, starts_run

Tables = Mapping[str, pl.DataFrame]


# -- tables -------------------------------------------------------------------


def get(t: Tables, name: str, *columns: str) -> pl.DataFrame:
    """The table with `columns` guaranteed (absent ones read as blank)."""
    df = t[name]
    missing = [c for c in ("_row", "_child", *columns) if c not in df.columns]
    if missing:
        df = df.with_columns([pl.lit(None, dtype=pl.Utf8).alias(c) for c in missing])
    return df


def has(t: Tables, name: str) -> bool:
    return name in t


def fail(df: pl.DataFrame, table: str, mask: pl.Expr | None, fields: Iterable[str]) -> pl.DataFrame:
    """The rows of `df` where `mask` holds, shaped as a rule's answer."""
    keep = [c for c in dict.fromkeys(fields) if c in df.columns and not c.startswith("_")]
    # One lazy query, not a filter then a select: only the kept columns are carried
    # through the filter, and Polars is entered once (on a 903's few thousand rows
    # entering it costs as much as the work).
    rows = df.lazy() if mask is None else df.lazy().filter(mask.fill_null(False))
    return collect(rows.select(
        pl.lit(table).alias("_table"),
        pl.col("_row"),
        pl.col("_child"),
        *[pl.col(c).cast(pl.Utf8) for c in keep],
    ))


def none() -> pl.DataFrame:
    """No failures (for a rule that finds nothing to look at)."""
    return pl.DataFrame(
        {"_table": [], "_row": [], "_child": []},
        schema={"_table": pl.Utf8, "_row": pl.Int64, "_child": pl.Utf8},
    )


def needs_column(t: Tables, table: str, column: str, why: str) -> None:
    """Stop with NOT_RUN when a derived column (PL_LA, PL_DISTANCE, ...) is absent."""
    if table not in t or column not in t[table].columns:
        raise NotRunnable(f"needs {column} in {table}, {why}")


# -- values -------------------------------------------------------------------


def date(col: str) -> pl.Expr:
    """A 903 date column as a date (null when blank or not a date)."""
    text = pl.col(col).str.strip_chars()
    return pl.coalesce(
        text.str.strptime(pl.Date, "%d/%m/%Y", strict=False),
        text.str.strptime(pl.Date, "%Y-%m-%d", strict=False),
    )


def blank(col: str) -> pl.Expr:
    return pl.col(col).is_null() | (pl.col(col).str.strip_chars() == "")


def filled(col: str) -> pl.Expr:
    return ~blank(col)


def bad_date(col: str) -> pl.Expr:
    """Completed but not a date in the 903's form."""
    return filled(col) & date(col).is_null()


def is_in(col: str, codes: Iterable[str]) -> pl.Expr:
    return pl.col(col).str.strip_chars().is_in(list(codes))


def age(born: pl.Expr, on: pl.Expr) -> pl.Expr:
    """Whole years of age on a date (a birthday counts on the day)."""
    before = (on.dt.month().cast(pl.Int32) * 100 + on.dt.day().cast(pl.Int32)) < (
        born.dt.month().cast(pl.Int32) * 100 + born.dt.day().cast(pl.Int32)
    )
    return on.dt.year().cast(pl.Int32) - born.dt.year().cast(pl.Int32) - before.cast(pl.Int32)


def birthday(born: pl.Expr, years: int) -> pl.Expr:
    """The date a child born on `born` turns `years` (29 February -> 1 March)."""
    return born.dt.offset_by(f"{years}y")


def lit_date(value: dt.date) -> pl.Expr:
    return pl.lit(value, dtype=pl.Date)


# -- the collection year --------------------------------------------------------


def year_start(ctx: Context) -> dt.date:
    return dt.date(ctx.year_start, 4, 1)


def year_end(ctx: Context) -> dt.date:
    return dt.date(ctx.year_start + 1, 3, 31)


@functools.cache
def _codes(year: str, table: str, column: str) -> tuple[str, ...]:
    spec = load_spec(nearest_spec_year(year))
    tab = spec.tables.get(table)
    if tab is None or column not in tab.columns:
        raise NotRunnable(f"no code list for {table}.{column} in the {year} specification")
    return tab.columns[column].codes


def codes(ctx: Context, table: str, column: str) -> tuple[str, ...]:
    """The column's valid codes in the context's collection year (returns/ssda903/spec)."""
    return _codes(ctx.collection_year, table, column)


# -- joins ----------------------------------------------------------------------


def with_header(df: pl.DataFrame, t: Tables, *columns: str, suffix: str = "") -> pl.DataFrame:
    """`df` with the child's Header `columns` (first Header row per child)."""
    if "Header" not in t:
        raise NotRunnable("needs the Header table, not supplied")
    head = _header_columns(t, columns, suffix)
    drop = [c + suffix for c in columns if c + suffix in df.columns]
    return df.drop(drop).join(head, on="CHILD", how="left")


def _header_columns(t: Tables, columns: tuple[str, ...], suffix: str) -> pl.DataFrame:
    def make() -> pl.DataFrame:
        head = get(t, "Header", "CHILD", *columns).unique("CHILD", keep="first", maintain_order=True)
        return head.select("CHILD", *[pl.col(c).alias(c + suffix) for c in columns])

    return memo(t["Header"], ("header columns", columns, suffix), make)


def episodes(t: Tables, name: str = "Episodes") -> pl.DataFrame:
    """Episodes in date order per child, with their dates parsed (_start, _end)
    and the neighbouring episode's values (_prev_*, _next_*)."""
    return memo(t[name], "episodes", lambda: _episodes(t, name))


def _episodes(t: Tables, name: str) -> pl.DataFrame:
    df = get(t, name, "CHILD", "DECOM", "DEC", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER",
             "REC", "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN")
    # One query; sorted by CHILD, so a child's neighbours come from validation.runs.
    key = "CHILD"
    return collect(df.lazy().with_columns(_start=date("DECOM"), _end=date("DEC")).sort(["CHILD", "_start", "_row"]).with_columns(
        _first=starts_run(key),
        _last=ends_run(key),
        _prev_end=before(pl.col("_end"), key),
        _prev_start=before(pl.col("_start"), key),
        _prev_rec=before(pl.col("REC"), key),
        _prev_place=before(pl.col("PLACE"), key),
        _prev_ls=before(pl.col("LS"), key),
        _prev_post=before(pl.col("PL_POST"), key),
        _prev_urn=before(pl.col("URN"), key),
        _prev_provider=before(pl.col("PLACE_PROVIDER"), key),
        _next_start=after(pl.col("_start"), key),
        _next_rne=after(pl.col("RNE"), key),
        _next_place=after(pl.col("PLACE"), key),
        _next_post=after(pl.col("PL_POST"), key),
    ))


def open_at(df: pl.DataFrame, day: dt.date) -> pl.Expr:
    """Episode (with _start/_end) open on `day`."""
    d = lit_date(day)
    return (pl.col("_start") <= d) & (pl.col("_end").is_null() | (pl.col("_end") > d))


RESPITE = ("V3", "V4")


@shared("Episodes")
def twelve_months(t: Tables, ctx: Context) -> frozenset[str]:
    """Children looked after continuously for at least 12 months at 31 March (the OC2
    cohort): a run of episodes, each starting the day the last one ended, open at the
    year's end and begun on or before its start, leaving out respite (V3/V4) episodes."""
    ep = episodes(t).filter(~is_in("LS", RESPITE).fill_null(False))
    # Still sorted by CHILD (a filter keeps the order): validation.runs, not over().
    ep = ep.with_columns(
        _prev_end=before(pl.col("_end"), "CHILD"),
    ).with_columns(_new_run=(pl.col("_prev_end").is_null() | (pl.col("_prev_end") != pl.col("_start"))))
    ep = ep.with_columns(_run=running_sum(pl.col("_new_run").cast(pl.Int32), "CHILD"))
    runs = ep.group_by("CHILD", "_run").agg(
        start=pl.col("_start").min(), open_end=pl.col("_end").is_null().any(), end=pl.col("_end").max()
    )
    start, end = year_start(ctx), year_end(ctx)
    ok = runs.filter(
        (pl.col("start") <= lit_date(start)) & (pl.col("open_end") | (pl.col("end") > lit_date(end)))
    )
    return frozenset(ok["CHILD"].to_list())


def in_cohort(ids: frozenset[str] | set[str]) -> pl.Expr:
    return pl.col("CHILD").is_in(list(ids))


def children_in(t: Tables, name: str) -> set[str]:
    if name not in t:
        return set()
    return {c for c in t[name]["CHILD"].to_list() if c is not None}


def periods_of_care(ep: pl.DataFrame) -> pl.DataFrame:
    """Episodes (from `episodes`) with _poc numbering each period of care: a new
    period starts at RNE S (started to be looked after) or after a gap."""
    new = (pl.col("RNE") == "S") | pl.col("_prev_end").is_null() | (pl.col("_prev_end") != pl.col("_start"))
    return ep.with_columns(_poc=running_sum(new.cast(pl.Int32), "CHILD"))  # ep is sorted by CHILD


def dates_of(df: pl.DataFrame, **cols: str) -> pl.DataFrame:
    """Parsed copies of date columns: dates_of(df, _dob="DOB")."""
    return df.with_columns(**{name: date(col) for name, col in cols.items()})

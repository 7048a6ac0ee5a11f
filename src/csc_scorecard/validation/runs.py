"""Per-child window expressions for frames already sorted by the child's key.

    frame.sort(["CHILD", "_start", "_row"]).with_columns(
        _first=starts_run("CHILD"), _prev_end=before(pl.col("_end"), "CHILD"))

Polars' ``expr.shift(1).over("CHILD")`` and ``cum_sum().over("CHILD")`` work
each child's rows out as a group of their own: on a 903's 1,500 children that
cost 1-2 ms per expression, and the episodes frame alone carries fourteen of
them. On a frame sorted by the key a child's rows are one run, so the same
answers come from shifting the whole column and cutting it where the key
changes. They are exact replacements only on such a frame (the key's equal
values adjacent, nulls among them counting as one key, as ``over`` groups
them); tests/validation/test_runs.py compares each with its ``over`` form.
"""

from __future__ import annotations

import polars as pl


def starts_run(key: str) -> pl.Expr:
    """The row is its key's first (``pl.col(x).cum_count().over(key) == 1`` for a non-null x)."""
    k = pl.col(key)
    return (pl.int_range(pl.len()) == 0) | k.ne_missing(k.shift(1))


def ends_run(key: str) -> pl.Expr:
    """The row is its key's last (``cum_count(reverse=True).over(key) == 1``)."""
    k = pl.col(key)
    return (pl.int_range(pl.len()) == pl.len() - 1) | k.ne_missing(k.shift(-1))


def before(value: pl.Expr, key: str) -> pl.Expr:
    """The value on the key's row before (``value.shift(1).over(key)``)."""
    return pl.when(~starts_run(key)).then(value.shift(1))


def after(value: pl.Expr, key: str) -> pl.Expr:
    """The value on the key's row after (``value.shift(-1).over(key)``)."""
    return pl.when(~ends_run(key)).then(value.shift(-1))


def running_sum(value: pl.Expr, key: str) -> pl.Expr:
    """The key's running total (``value.cum_sum().over(key)``): null where the value is,
    the nulls adding nothing, the total starting again at each key."""
    zeroed = value.fill_null(0)
    total = zeroed.cum_sum()
    carried = pl.when(starts_run(key)).then(total - zeroed).forward_fill()
    return pl.when(value.is_not_null()).then(total - carried)

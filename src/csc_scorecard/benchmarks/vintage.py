"""How recent a set of reference data is, worked out from the data itself.

The vintage is what a report must name beside a benchmark: which year's
published figures, which ONS population estimate and which statistical
neighbour model. It is written into the manifest of every import and of the
shipped snapshot; for an older import without it, it is worked out again
from the parquet files.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

Frame = pl.DataFrame | pl.LazyFrame


def _lazy(frame: Frame | None) -> pl.LazyFrame | None:
    if frame is None:
        return None
    return frame.lazy() if isinstance(frame, pl.DataFrame) else frame


def _latest_end(measures: pl.LazyFrame, month: int) -> dt.date | None:
    """The latest reference date falling at the end of ``month`` (3 = 31 March, 9 = 30 September)."""
    found = (
        measures.filter(pl.col("period_end").dt.month() == month, pl.col("value").is_not_null())
        .select(pl.col("period_end").max())
        .collect()
        .item()
    )
    return found


def describe_vintage(
    measures: Frame | None, population: Frame | None = None, neighbours: Frame | None = None
) -> dict[str, Any]:
    """A dictionary describing the data's vintage, with a one-line ``label``.

    ``latest_year_end`` is the last 31 March with a published figure (ISO
    date), ``workforce_at`` the last 30 September snapshot, ``population`` the
    newest ONS estimate ("mid-2024") and ``neighbour_models`` the models held.
    """
    out: dict[str, Any] = {
        "latest_year_end": None,
        "latest_year": None,
        "workforce_at": None,
        "population": None,
        "neighbour_models": [],
    }
    m = _lazy(measures)
    if m is not None:
        # DfE's own open data dates the vintage; LAIT mixes in other sources and
        # calendars (a few of its measures run a year ahead), so it counts only
        # when there is no DfE row at all
        dfe = m.filter(pl.col("source") == "dfe")
        if dfe.select(pl.len()).collect().item():
            m = dfe
        march = _latest_end(m, 3)
        september = _latest_end(m, 9)
        if march is not None:
            out["latest_year_end"] = march.isoformat()
            out["latest_year"] = f"{march.year - 1}-{march.year % 100:02d}"
        if september is not None:
            out["workforce_at"] = september.isoformat()
    p = _lazy(population)
    if p is not None:
        newest = (
            p.filter(pl.col("population_0_17").is_not_null())
            .select(pl.col("mid_year").max())
            .collect()
            .item()
        )
        if newest is not None:
            out["population"] = f"mid-{newest}"
    n = _lazy(neighbours)
    if n is not None:
        out["neighbour_models"] = sorted(
            n.select(pl.col("model").unique()).collect()["model"].to_list()
        )
    out["label"] = vintage_label(out)
    return out


def vintage_label(v: dict[str, Any]) -> str:
    """ "DfE/LAIT figures to 2024-25 (workforce 30 Sep 2025), ONS mid-2024, neighbours 2025 model"."""
    parts = []
    if v.get("latest_year"):
        text = f"DfE/LAIT figures to {v['latest_year']}"
        if v.get("workforce_at"):
            at = dt.date.fromisoformat(v["workforce_at"])
            text += f" (workforce at {at.day} {at:%b %Y})"
        parts.append(text)
    if v.get("population"):
        parts.append(f"ONS {v['population']} population")
    models = v.get("neighbour_models") or []
    if models:
        parts.append(f"statistical neighbours {models[-1]} model")
    return ", ".join(parts) if parts else "no published figures"

"""Our cross-return checks (codes XR01...): what one return says that another contradicts.

No DfE rule compares returns, yet every council's 903, CIN census and Annex A
describe the same children. Each check here is a warning (ours, not the
DfE's): docs/validation.md says why each matters. They run over the frames of
validation.cross.tables for one collection year (1 April to 31 March).

Date spans: an episode or plan runs from its start to its end (or on while it
has none); two spans overlap when each starts before the other ends. Only the
part inside the collection year is compared.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from csc_scorecard.validation.core import Context, RuleSeverity, rule

# Legal statuses under which the council holds parental responsibility by a final
# order: full care order (C2), freeing order (D1), placement order (E1).
FINAL_ORDERS = ("C2", "D1", "E1")
# Ethnicity codes that record no answer rather than an answer.
NO_ETHNICITY = ("NOBT", "REFU")


def cross_rule(code: str, message: str, tables: tuple[str, ...], fields: tuple[str, ...] = ()):
    return rule(code, return_type="cross", message=message, tables=tables, fields=fields,
                severity=RuleSeverity.WARNING)


def _year(ctx: Context) -> tuple[dt.date, dt.date]:
    return dt.date(ctx.year_start, 4, 1), dt.date(ctx.year_start + 1, 3, 31)


def _iso(col: str) -> pl.Expr:
    return pl.col(col).dt.to_string("%Y-%m-%d")


def _clipped(frame: pl.DataFrame, start: str, end: str, ctx: Context, prefix: str) -> pl.DataFrame:
    """Rows whose span touches the year, with the span clipped to it as <prefix>_from/_to."""
    first, last = _year(ctx)
    return frame.filter(
        (pl.col(start) <= last) & (pl.col(end).is_null() | (pl.col(end) >= first))
    ).with_columns(
        pl.max_horizontal(pl.col(start), pl.lit(first)).alias(f"{prefix}_from"),
        pl.min_horizontal(pl.col(end).fill_null(last), pl.lit(last)).alias(f"{prefix}_to"),
    )


@cross_rule(
    "XR01",
    "Looked after in the SSDA903 but no CIN episode open in the CIN census at that time",
    tables=("cla_episode", "cin_referral"),
    fields=("looked_after", "cla_episodes"),
)
def looked_after_without_cin_episode(t, ctx):
    cla = _clipped(t["cla_episode"], "start_date", "end_date", ctx, "cla")
    cin = _clipped(t["cin_referral"], "referral_date", "closure_date", ctx, "cin").select(
        "child_id", "cin_from", "cin_to"
    )
    covered = (
        cla.join(cin, on="child_id", how="inner")
        .filter((pl.col("cin_from") <= pl.col("cla_to")) & (pl.col("cla_from") <= pl.col("cin_to")))
        .select("_row")
        .unique()
    )
    uncovered = cla.join(covered, on="_row", how="anti")
    return (
        uncovered.sort("cla_from")
        .group_by("child_id", maintain_order=True)
        .agg(
            pl.col("_row").first(),
            pl.col("_child").first(),
            (_iso("cla_from").min() + " to " + _iso("cla_to").max()).alias("looked_after"),
            pl.len().cast(pl.Utf8).alias("cla_episodes"),
        )
        .select("_row", "_child", "looked_after", "cla_episodes", pl.lit("cla_episode").alias("_table"))
    )


@cross_rule(
    "XR02",
    "Child protection plan in the CIN census while the SSDA903 has the child looked after "
    "under a final care, freeing or placement order",
    tables=("cin_cp_plan", "cla_episode"),
    fields=("cp_plan", "legal_status", "cla_episode"),
)
def cp_plan_under_final_order(t, ctx):
    plans = _clipped(t["cin_cp_plan"], "start_date", "end_date", ctx, "cp")
    orders = _clipped(
        t["cla_episode"].filter(pl.col("legal_status").is_in(FINAL_ORDERS)),
        "start_date", "end_date", ctx, "cla",
    ).select("child_id", "cla_from", "cla_to", "legal_status", pl.col("start_date").alias("decom"))
    # Strict on both ends: a plan ending the day the order starts does not overlap it.
    both = plans.join(orders, on="child_id").filter(
        (pl.col("cp_from") < pl.col("cla_to")) & (pl.col("cla_from") < pl.col("cp_to"))
    )
    return both.select(
        pl.lit("cin_cp_plan").alias("_table"),
        "_row",
        "_child",
        (_iso("start_date") + " to " + pl.coalesce(_iso("end_date"), pl.lit("open"))).alias("cp_plan"),
        "legal_status",
        ("from " + _iso("decom")).alias("cla_episode"),
    ).unique(subset=["_row", "legal_status", "cla_episode"], maintain_order=True)


def _both_children(t, field: str) -> pl.DataFrame:
    cin = t["cin_child"].select("child_id", "_row", "_child", pl.col(field).alias("cin"))
    lac = t["ssda903_child"].select(
        "child_id", pl.col("_row").alias("_row_903"), pl.col(field).alias("ssda903")
    )
    return cin.join(lac, on="child_id", how="inner")


def _disagreement(rows: pl.DataFrame, field: str) -> pl.DataFrame:
    return rows.select(
        pl.lit("cin_child").alias("_table"),
        (pl.col("_row") + " / " + pl.col("_row_903")).alias("_row"),
        "_child",
        pl.col("cin").cast(pl.Utf8).alias(f"cin_{field}"),
        pl.col("ssda903").cast(pl.Utf8).alias(f"ssda903_{field}"),
    )


@cross_rule(
    "XR03",
    "Date of birth in the CIN census differs from the SSDA903's",
    tables=("cin_child", "ssda903_child"),
    fields=("cin_birth_date", "ssda903_birth_date"),
)
def birth_dates_disagree(t, ctx):
    rows = _both_children(t, "birth_date").filter(pl.col("cin") != pl.col("ssda903"))
    return _disagreement(rows, "birth_date")


@cross_rule(
    "XR04",
    "Sex in the CIN census differs from the SSDA903's",
    tables=("cin_child", "ssda903_child"),
    fields=("cin_sex", "ssda903_sex"),
)
def sexes_disagree(t, ctx):
    known = ["M", "F"]  # "U" (not known) contradicts nothing
    rows = _both_children(t, "sex").filter(
        pl.col("cin").is_in(known) & pl.col("ssda903").is_in(known) & (pl.col("cin") != pl.col("ssda903"))
    )
    return _disagreement(rows, "sex")


@cross_rule(
    "XR05",
    "Ethnicity in the CIN census differs from the SSDA903's",
    tables=("cin_child", "ssda903_child"),
    fields=("cin_ethnicity", "ssda903_ethnicity"),
)
def ethnicities_disagree(t, ctx):
    def answered(col: str) -> pl.Expr:
        value = pl.col(col).str.strip_chars()
        return (value != "") & ~value.is_in(NO_ETHNICITY)

    rows = _both_children(t, "ethnicity").filter(
        answered("cin") & answered("ssda903")
        & (pl.col("cin").str.strip_chars() != pl.col("ssda903").str.strip_chars())
    )
    return _disagreement(rows, "ethnicity")


# Annex A list -> (its frame, the census frame, the date both are counted by, what is counted).
# Lists 3-5 have a row per event; list 7 a row per child (their latest plan), so for it the
# children with a plan starting in the window are counted.
ANNEX_A_LISTS = {
    "List 3 (referrals)": ("annexa_referral", "cin_referral", "referral_date", "records"),
    "List 4 (assessments)": ("annexa_assessment", "cin_assessment", "start_date", "records"),
    "List 5 (section 47 enquiries)": ("annexa_s47", "cin_s47", "start_date", "records"),
    "List 7 (child protection plans)": ("annexa_cp_plan", "cin_cp_plan", "start_date", "children"),
}


@cross_rule(
    "XR06",
    "An Annex A list counts a different number of records than the CIN census for the same dates",
    tables=tuple(name for entry in ANNEX_A_LISTS.values() for name in entry[:2]),
    fields=("window", "annex_a", "cin_census", "counted", "only_in_annex_a", "only_in_cin_census"),
)
def annex_a_counts_disagree(t, ctx):
    first, last = _year(ctx)
    found = []
    for label, (annex_name, census_name, date, counted) in ANNEX_A_LISTS.items():
        annex = t[annex_name].filter(pl.col(date).is_not_null())
        if annex.is_empty():
            continue
        # The window is the part of the census year the Annex A list covers.
        start = max(annex[date].min(), first)
        end = min(annex[date].max(), last)
        if start > end:
            continue
        key = ["child_id", date] if counted == "records" else ["child_id"]
        a, c = (
            frame.filter(pl.col(date).is_between(start, end)).select(key).unique()
            if counted == "children"
            else frame.filter(pl.col(date).is_between(start, end)).select(key)
            for frame in (annex, t[census_name])
        )
        if a.height == c.height:
            continue
        found.append(
            {
                "_table": annex_name,
                "_row": label,
                "_child": None,
                "window": f"{start:%Y-%m-%d} to {end:%Y-%m-%d}",
                "annex_a": str(a.height),
                "cin_census": str(c.height),
                "counted": counted,
                "only_in_annex_a": str(a.join(c, on=key, how="anti").height),
                "only_in_cin_census": str(c.join(a, on=key, how="anti").height),
            }
        )
    columns = ["_table", "_row", "_child", "window", "annex_a", "cin_census", "counted",
               "only_in_annex_a", "only_in_cin_census"]
    return pl.DataFrame(found, schema={c: pl.Utf8 for c in columns}, orient="row")

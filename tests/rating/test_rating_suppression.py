"""Publication mode: primary and secondary suppression, never recoverable by subtraction."""

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from csc_scorecard.rating.suppression import suppress


def frame(rows):
    return pl.DataFrame(
        rows,
        schema={
            "indicator_id": pl.String,
            "period": pl.String,
            "area": pl.String,
            "unit": pl.String,
            "numerator": pl.Float64,
            "denominator": pl.Float64,
            "value": pl.Float64,
        },
        orient="row",
    )


def count_rows(counts, indicator="cla_open_count", period="2024-25"):
    rows = [
        (indicator, period, area, "count", float(n), None, float(n)) for area, n in counts.items()
    ]
    rows.append(
        (
            indicator,
            period,
            "all",
            "count",
            float(sum(counts.values())),
            None,
            float(sum(counts.values())),
        )
    )
    return rows


def by_area(result):
    return {r["area"]: r for r in result.to_dicts()}


def test_primary_zero_and_large_counts():
    out = by_area(suppress(frame(count_rows({"North": 0, "South": 3, "East": 40, "West": 12}))))
    assert out["North"]["value_display"] == "0" and not out["North"]["suppressed"]
    assert out["South"]["value_display"] == "c" and out["South"]["suppression"] == "primary"
    # exactly one suppressed: the next smallest non-zero area goes too
    assert out["West"]["value_display"] == "c" and out["West"]["suppression"] == "secondary"
    assert out["East"]["value_display"] == "40"
    assert out["all"]["value_display"] == "55"
    # redacted: the numbers are gone from the frame, not only the display
    assert out["South"]["value"] is None and out["West"]["numerator"] is None


def test_boundaries_1_and_5_and_6():
    out = by_area(suppress(frame(count_rows({"A": 1, "B": 5, "C": 6, "D": 60}))))
    assert out["A"]["suppressed"] and out["B"]["suppressed"]
    assert not out["C"]["suppressed"] and not out["D"]["suppressed"]  # two already suppressed


def test_suppressed_total_needs_a_partner():
    # total of 4 is primary; cells sum to it only with an unallocated remainder
    rows = count_rows({"A": 0, "B": 0})
    rows[-1] = ("cla_open_count", "2024-25", "all", "count", 4.0, None, 4.0)
    out = by_area(suppress(frame(rows)))
    assert out["all"]["suppressed"]
    assert sum(r["suppressed"] for r in out.values()) >= 2


def test_single_cell_and_total_suppresses_the_total():
    # one area with 3 of the council's 30 (the rest unallocated): the total must go too
    rows = [
        ("x", "2024-25", "A", "count", 3.0, None, 3.0),
        ("x", "2024-25", "all", "count", 30.0, None, 30.0),
    ]
    out = by_area(suppress(frame(rows)))
    assert out["A"]["suppressed"] and out["all"]["suppressed"]
    assert out["all"]["suppression"] == "secondary"


def test_percentages_follow_their_numerator_and_denominator():
    rows = [
        ("cla_health_check_pct", "2024-25", "North", "percent", 4.0, 10.0, 40.0),
        ("cla_health_check_pct", "2024-25", "South", "percent", 0.0, 3.0, 0.0),
        ("cla_health_check_pct", "2024-25", "East", "percent", 30.0, 40.0, 75.0),
        ("cla_health_check_pct", "2024-25", "West", "percent", 50.0, 60.0, 83.33),
        ("cla_health_check_pct", "2024-25", "all", "percent", 84.0, 113.0, 74.34),
    ]
    out = by_area(suppress(frame(rows)))
    assert out["North"]["value_display"] == "c" and out["North"]["numerator_display"] == "c"
    assert out["South"]["suppressed"]  # denominator of 3 children
    assert out["West"]["value_display"] == "83.3"  # two suppressed already: no secondary needed
    assert out["all"]["value_display"] == "74.3"


def test_groups_are_independent_and_order_is_kept():
    rows = count_rows({"A": 3, "B": 50, "C": 60}) + count_rows(
        {"A": 30, "B": 50, "C": 60}, period="2023-24"
    )
    result = suppress(frame(rows))
    assert result.select("period", "area").rows() == [(r[1], r[2]) for r in rows]
    prev = {r["area"]: r for r in result.filter(pl.col("period") == "2023-24").to_dicts()}
    assert not any(r["suppressed"] for r in prev.values())


def test_no_suppression_when_nothing_small_and_keep_numbers_without_redact():
    out = by_area(suppress(frame(count_rows({"A": 3, "B": 50})), redact=False))
    assert out["A"]["value"] == 3.0 and out["A"]["suppressed"]


areas = st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=8)


@settings(max_examples=300, deadline=None)
@given(st.lists(areas, min_size=1, max_size=3), st.integers(min_value=0, max_value=6))
def test_no_suppressed_cell_can_be_recovered_by_subtraction(groups, unallocated):
    rows = []
    for g, counts in enumerate(groups):
        total = sum(counts) + (unallocated if g == 0 else 0)
        for i, n in enumerate(counts):
            rows.append((f"ind{g}", "2024-25", f"area{i}", "count", float(n), None, float(n)))
        rows.append((f"ind{g}", "2024-25", "all", "count", float(total), None, float(total)))
    result = suppress(frame(rows), redact=False)
    for (ind,), grp in result.group_by(["indicator_id"]):
        cells = grp.filter(pl.col("area") != "all")
        total = grp.filter(pl.col("area") == "all")
        total_hidden = total["suppressed"].item()
        hidden = cells.filter(pl.col("suppressed"))
        # every count of 1-5 is suppressed, zeros never primary
        for r in grp.to_dicts():
            if 1 <= r["numerator"] <= 5:
                assert r["suppressed"] and r["value_display"] == "c"
            if r["suppression"] == "primary":
                assert 1 <= r["numerator"] <= 5
            if not r["suppressed"]:
                assert r["value_display"] == str(int(r["numerator"]))
        # a suppressed cell always has a suppressed partner (or the total is suppressed)
        for _ in hidden.iter_rows():
            assert hidden.height >= 2 or total_hidden, (ind, grp.to_dicts())
        # a suppressed total cannot be rebuilt from visible cells alone
        if total_hidden and cells.height:
            assert hidden.height >= 1, (ind, grp.to_dicts())
        # and subtraction gives only the sum of two or more unknowns
        if hidden.height and not total_hidden:
            visible_sum = cells.filter(~pl.col("suppressed"))["numerator"].sum()
            residual = total["numerator"].item() - visible_sum
            assert residual == hidden["numerator"].sum() + (unallocated if ind == "ind0" else 0)
            assert hidden.height >= 2


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 12), st.integers(0, 12)).map(lambda t: (min(t), max(t))),
        min_size=1,
        max_size=6,
    )
)
def test_percentages_with_a_suppressed_numerator_are_suppressed(pairs):
    rows = []
    for i, (num, den) in enumerate(pairs):
        rows.append(
            (
                "p",
                "2024-25",
                f"a{i}",
                "percent",
                float(num),
                float(den),
                (100.0 * num / den) if den else None,
            )
        )
    n, d = sum(p[0] for p in pairs), sum(p[1] for p in pairs)
    rows.append(
        ("p", "2024-25", "all", "percent", float(n), float(d), (100.0 * n / d) if d else None)
    )
    result = suppress(frame(rows))
    for r, original in zip(result.to_dicts(), rows, strict=True):
        if 1 <= original[4] <= 5 or 1 <= original[5] <= 5:
            assert r["suppressed"]
            assert r["value_display"] == r["numerator_display"] == r["denominator_display"] == "c"
            assert r["value"] is None and r["numerator"] is None and r["denominator"] is None

"""Trend charts are deterministic and readable without colour."""

from __future__ import annotations

from csc_scorecard.reporting.charts import trend_chart

LABELS = ["Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar"]
SERIES = [("2023-24", [5.0, 6, None, 8, 9, 10, 11, 12, 13, 14, 15, 16]),
          ("2024-25", [7.0, 8, 9, 10, 11, 12, None, None, None, None, None, None])]


def test_same_figures_give_the_same_bytes():
    a = trend_chart(LABELS, SERIES, y_label="Number", colour="#1d70b8", integer=True)
    b = trend_chart(LABELS, SERIES, y_label="Number", colour="#1d70b8", integer=True)
    assert a == b
    svg, png = a
    assert svg.startswith("<svg") and "<dc:date>" not in svg
    assert png.startswith(b"\x89PNG")
    assert b"Software" not in png[:200]


def test_lines_differ_by_style_as_well_as_colour():
    svg, _ = trend_chart(LABELS, SERIES, y_label="%", colour="#1d70b8", percent=True)
    assert "stroke-dasharray" in svg  # last year dashed, this year solid
    assert "2023-24" in svg and "2024-25" in svg  # legend as text

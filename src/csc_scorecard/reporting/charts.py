"""Monthly trend charts: matplotlib, SVG for HTML and PDF, PNG for Word.

Output is deterministic: the same figures give byte-identical files (no
dates in the metadata, a fixed SVG hash salt, fixed element ids).  The two
lines differ by style and marker as well as colour, so the chart reads in
greyscale; every chart also carries alternative text and its data as a table
in the report.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

__all__ = ["trend_chart"]

_GREY = "#505a5f"
_RC = {
    "svg.hashsalt": "csc-scorecard",
    "svg.fonttype": "none",  # text stays text (searchable, smaller)
    "font.family": ["DejaVu Sans"],
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#0b0c0c",
    "axes.labelcolor": "#0b0c0c",
    "xtick.color": "#0b0c0c",
    "ytick.color": "#0b0c0c",
    "path.simplify": False,
}


def trend_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    y_label: str,
    colour: str,
    integer: bool = False,
    percent: bool = False,
) -> tuple[str, bytes]:
    """(SVG text, PNG bytes) of a line chart: one line per (name, values), earliest first
    (at most two); None leaves a gap."""
    with plt.rc_context(_RC):
        fig, ax = plt.subplots(figsize=(6.4, 2.6), dpi=100)
        # series come earliest first; the last (the current year) is the solid, coloured line
        styles = [
            {"color": _GREY, "linestyle": "--", "marker": "s", "linewidth": 1.5},
            {"color": colour, "linestyle": "-", "marker": "o", "linewidth": 2.0},
        ][-len(series):]
        x = list(range(len(labels)))
        ymax = 0.0
        for (name, values), style in zip(series, styles, strict=True):
            ys = [float("nan") if v is None else float(v) for v in values]
            ax.plot(x, ys, label=name, markersize=4, **style)
            ymax = max([ymax] + [v for v in ys if v == v])
        ax.set_xticks(x)
        ax.set_xticklabels(labels)
        ax.set_ylabel(y_label)
        top = 100.0 if percent and ymax <= 100 else (ymax * 1.15 if ymax > 0 else 1.0)
        ax.set_ylim(0, top)
        if integer:
            ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(axis="y", color="#d9d9d9", linewidth=0.6)
        ax.set_axisbelow(True)
        handles, names = ax.get_legend_handles_labels()
        ax.legend(handles, names, frameon=False, loc="lower center",
                  bbox_to_anchor=(0.5, 1.0), ncol=2)
        fig.tight_layout()
        svg = io.BytesIO()
        fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
        png = io.BytesIO()
        fig.savefig(png, format="png", dpi=150, metadata={"Software": None})
        plt.close(fig)
    text = svg.getvalue().decode("utf-8")
    # drop the XML prolog and DOCTYPE so the SVG can be embedded as it is
    start = text.find("<svg")
    return text[start:], png.getvalue()

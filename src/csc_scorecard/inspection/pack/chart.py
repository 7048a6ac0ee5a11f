"""The journey chart: horizontal bars, SVG for HTML and PDF, PNG for Word (matplotlib)."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

__all__ = ["journey_chart"]

_RC: dict = {"svg.hashsalt": "csc-scorecard", "svg.fonttype": "none", "font.family": ["DejaVu Sans"],
       "font.size": 9, "axes.spines.top": False, "axes.spines.right": False}


def journey_chart(steps: list[str], in_list: list[int], reached: list[int],
                  colour: str = "#1d70b8") -> tuple[str, bytes]:
    """(SVG, PNG): per step, the children in the list (grey) and those who came this far."""
    with plt.rc_context(_RC):
        fig, ax = plt.subplots(figsize=(6.4, 2.8), dpi=100)
        y = list(range(len(steps)))[::-1]
        ax.barh([v + 0.2 for v in y], in_list, height=0.38, color="#b1b4b6",
                label="Children in the list")
        ax.barh([v - 0.2 for v in y], reached, height=0.38, color=colour,
                label="Came this far from a contact")
        for v, a, b in zip(y, in_list, reached, strict=True):
            ax.text(a, v + 0.2, f" {a}", va="center", fontsize=8)
            ax.text(b, v - 0.2, f" {b}", va="center", fontsize=8)
        ax.set_yticks(y)
        ax.set_yticklabels(steps)
        ax.set_xlabel("Children")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlim(0, max([*in_list, *reached, 1]) * 1.15)
        ax.legend(frameon=False, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2)
        fig.tight_layout()
        svg, png = io.BytesIO(), io.BytesIO()
        fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
        fig.savefig(png, format="png", dpi=150, metadata={"Software": None})
        plt.close(fig)
    text = svg.getvalue().decode("utf-8")
    return text[text.find("<svg"):], png.getvalue()

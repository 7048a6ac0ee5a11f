"""HTML renderer: the report model through a Django template (the engine used standalone).

The page is self-contained (CSS inline, charts as SVG data URIs with
alternative text), so one file can be mailed or put on the intranet.  Every
figure cell carries ``data-indicator``, ``data-period``, ``data-area`` and
``data-field`` naming the stored result it shows.
"""

from __future__ import annotations

import base64
from functools import lru_cache
from pathlib import Path

from django.template import Context, Engine

from csc_scorecard.reporting.findings import long_date
from csc_scorecard.reporting.model import Chart, Report

__all__ = ["CSS_FILE", "render_html"]

HERE = Path(__file__).resolve().parent
CSS_FILE = HERE / "report.css"


@lru_cache(maxsize=1)
def _engine() -> Engine:
    return Engine(dirs=[str(HERE / "templates")], autoescape=True, debug=False,
                  string_if_invalid="")


def render_html(report: Report) -> str:
    for section in report.sections:
        for block in section.blocks:
            if isinstance(block, Chart) and not hasattr(block, "svg_uri"):
                data = base64.b64encode(block.svg.encode("utf-8")).decode("ascii")
                block.svg_uri = f"data:image/svg+xml;base64,{data}"  # type: ignore[attr-defined]
    template = _engine().get_template("reporting/report.html")
    computed = long_date(report.computed_at.date()) if report.computed_at else ""
    return template.render(Context({
        "report": report,
        "css": CSS_FILE.read_text(encoding="utf-8"),
        "computed": computed,
    }))

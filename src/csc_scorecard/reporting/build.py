"""Build the report model (model.Report) from stored results, once.

:func:`build_annual_report` and :func:`build_quarterly_report` read the
council's stored results for the period, the same period a year before and
(annual) every month of both years through one :class:`~.values.ResultSet`;
the scorecard (targets, RAG, direction, benchmarks) is built over the same
values.  Every figure, sentence and chart in the report comes from there.
"""


from __future__ import annotations

from csc_scorecard.reporting.annual import build_annual_report
from csc_scorecard.reporting.context import period_name, unavailable_text
from csc_scorecard.reporting.quarterly import build_quarterly_report
from csc_scorecard.reporting.values import ReportError

__all__ = ["ReportError", "build_annual_report", "build_quarterly_report", "period_name",
           "unavailable_text"]

"""The scrutiny app's vocabularies (no Django here, so the template can be read before set-up)."""

PAPER_TYPES = [
    ("performance_report", "Performance report"),
    ("highlight_report", "Highlight report"),
    ("plan_summary", "Plan summary"),
    ("plan_update", "Plan update"),
    ("other", "Other"),
]
REPORT_KINDS = [("", "not a performance report"), ("annual", "annual"), ("quarterly", "quarterly")]


def paper_type_label(value: str) -> str:
    return dict(PAPER_TYPES).get(value, value)

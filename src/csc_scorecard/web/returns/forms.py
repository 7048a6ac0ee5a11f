"""The upload and issue-filter forms."""

from __future__ import annotations

from django import forms

from csc_scorecard.services.returns import ISSUE_FILTERS


class IssueFilterForm(forms.Form):
    """Filters on the issues table; choices come from the submission's own issues."""

    def __init__(self, data, choices: dict[str, list[str]]):
        super().__init__(data)
        labels = {"severity": "Severity", "rule": "Rule", "table": "Table", "column": "Column", "code": "Issue code"}
        # severities read as the table's tags do
        shown = {"error": "Error", "query": "Query", "warning": "Warning", "info": "Note"}
        for name in ISSUE_FILTERS:
            options = [("", "All")] + [(c, shown.get(c, c) if name == "severity" else c) for c in choices.get(name, [])]
            self.fields[name] = forms.ChoiceField(label=labels[name], choices=options, required=False)

    def chosen(self) -> dict[str, str]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}

"""Committee-ready reports: the quarterly performance report and the annual report.

One report model (:mod:`csc_scorecard.reporting.model`) is built from the
stored indicator results once; three renderers turn it into HTML
(:mod:`~csc_scorecard.reporting.render_html`), PDF
(:mod:`~csc_scorecard.reporting.render_pdf`, WeasyPrint on the HTML) and Word
(:mod:`~csc_scorecard.reporting.render_docx`).  See docs/reports.md.
"""

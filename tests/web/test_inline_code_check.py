"""The browser tests' check for inline code the CSP forbids (check_page), on HTML we write here."""

from __future__ import annotations

from tests.web.browser.browser_support import inline_code

CLEAN = """<!DOCTYPE html>
<html lang="en"><head>
<script src="/static/app/js-enabled.js"></script>
<link rel="stylesheet" href="/static/app.css">
</head><body class="govuk-template__body">
<img src="/chart.svg" alt="Chart"><br/>
<p>Say "style=" or onclick= in text: that is not markup.</p>
<script type="module" src="/static/app/init.mjs"></script>
</body></html>
"""


def test_clean_page_has_nothing_to_report():
    assert inline_code(CLEAN) == []


def test_each_kind_of_inline_code_is_named_with_its_line():
    html = (
        "<html><body>\n"  # line 1
        "<script>alert(1)</script>\n"  # line 2: inline script
        '<div style="color: red">x</div>\n'  # line 3: style attribute
        '<button onclick="go()">Go</button>\n'  # line 4: event attribute
        "<style>p {}</style>\n"  # line 5: style element
        '<img src="a.png" alt="" onerror="x()"/>\n'  # line 6: self-closing, event attribute
        "</body></html>\n"
    )
    assert inline_code(html) == [
        "line 2 <script>: inline script (no src)",
        "line 3 <div>: style= attribute",
        "line 4 <button>: onclick= event attribute",
        "line 5 <style>: inline style element",
        "line 6 <img>: onerror= event attribute",
    ]


def test_attribute_names_are_read_case_insensitively():
    # HTML attribute names are case-insensitive: STYLE= and OnLoad= are the same attributes
    assert inline_code('<body OnLoad="x()"><p STYLE="x">a</p></body>') == [
        "line 1 <body>: onload= event attribute",
        "line 1 <p>: style= attribute",
    ]

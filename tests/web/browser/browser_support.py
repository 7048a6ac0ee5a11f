"""Paths and the password the browser tests share."""

from __future__ import annotations

import os
from html.parser import HTMLParser
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
CHROMIUM = Path(os.environ.get("CSC_SCORECARD_CHROMIUM", "/usr/bin/chromium"))
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "browser test passphrase 2026"


# -- the HTML as served, and the inline code CSP forbids in it -----------------------------

_DOCUMENTS: dict[object, list] = {}  # page -> its main-frame document responses, in order


def watch_documents(page) -> None:
    """Keep the page's main-frame document responses, so check_page reads the HTML as the
    server sent it: the DOM after scripts may differ (setting a style through the CSSOM is
    allowed by CSP, a style= attribute in the markup is not)."""
    kept = _DOCUMENTS.setdefault(page, [])

    def keep(response) -> None:
        if response.request.resource_type == "document" and response.frame == page.main_frame:
            kept.append(response)

    page.on("response", keep)


def served_html(page) -> str:
    """The HTML of the page's current document as served (redirects passed over)."""
    kept = [r for r in _DOCUMENTS.get(page, []) if not 300 <= r.status < 400]
    assert kept, "check_page needs watch_documents(page) before the page is loaded"
    return kept[-1].text()


class _InlineCode(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        where = f"line {self.getpos()[0]} <{tag}>"
        names = [name for name, _value in attrs]
        if tag == "script" and "src" not in names:
            self.found.append(f"{where}: inline script (no src)")
        if tag == "style":
            self.found.append(f"{where}: inline style element")
        for name in names:
            if name == "style":
                self.found.append(f"{where}: style= attribute")
            elif name.startswith("on"):
                self.found.append(f"{where}: {name}= event attribute")

    handle_startendtag = handle_starttag


def inline_code(html: str) -> list[str]:
    """What the page's CSP (no 'unsafe-inline') would refuse: <script> without src, <style>
    elements, style= attributes and on*= event handler attributes, each with its line."""
    parser = _InlineCode()
    parser.feed(html)
    parser.close()
    return parser.found

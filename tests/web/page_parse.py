"""Read the scorecard table back out of a page's HTML (as a reader sees it: text only)."""

from __future__ import annotations

from html.parser import HTMLParser


class _Table(HTMLParser):
    def __init__(self, table_id: str):
        super().__init__()
        self.table_id = table_id
        self.inside = False
        self.rows: list[dict[str, str]] = []
        self.headings: list[str] = []
        self._col: str | None = None
        self._in_head = False
        self._text: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table" and a.get("id") == self.table_id:
            self.inside = True
        if not self.inside:
            return
        if tag == "thead":
            self._in_head = True
        if tag == "tr" and not self._in_head:
            self.rows.append({"_indicator": a.get("data-indicator", "")})
        if tag in ("td", "th"):
            self._col = a.get("data-col") or ("_heading" if self._in_head else None)
            self._text = []
        if tag == "span" and ("govuk-visually-hidden" in (a.get("class") or "")
                              or a.get("aria-hidden") == "true"):
            self._hidden += 1
        elif tag == "span" and self._hidden:
            self._hidden += 1

    def handle_endtag(self, tag):
        if not self.inside:
            return
        if tag == "span" and self._hidden:
            self._hidden -= 1
        if tag in ("td", "th") and self._col:
            text = " ".join("".join(self._text).split())
            if self._col == "_heading":
                self.headings.append(text)
            else:
                self.rows[-1][self._col] = text
            self._col = None
        if tag == "thead":
            self._in_head = False
        if tag == "table":
            self.inside = False

    def handle_data(self, data):
        if self._col and not self._hidden:
            self._text.append(data)


def read_table(html: str, table_id: str = "scorecard-table") -> tuple[list[str], list[dict[str, str]]]:
    parser = _Table(table_id)
    parser.feed(html)
    return parser.headings, parser.rows

"""PDF renderer: WeasyPrint on the report's HTML with the print styles.

The PDF is tagged (PDF/UA-1: structure tree from the HTML headings, tables
with header cells, figures with their alternative text, document language
and title), so screen readers can follow it.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["PDF_VARIANT", "render_pdf"]

PDF_VARIANT = "pdf/ua-1"


def render_pdf(html: str, out: Path | str | None = None, *, base_url: str | None = None) -> tuple[bytes, int]:
    """(PDF bytes, number of pages); written to ``out`` when given."""
    import logging

    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    document = HTML(string=html, base_url=base_url or str(Path.cwd())).render()
    data = document.write_pdf(pdf_variant=PDF_VARIANT)
    if out is not None:
        Path(out).write_bytes(data)
    return data, len(document.pages)

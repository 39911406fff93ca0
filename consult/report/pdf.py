"""The report as PDF: the HTML page printed by WeasyPrint (A4, the stylesheet's print rules)."""

from __future__ import annotations

import logging

from consult.report.html import render_html
from consult.report.model import Report

MARK = b"Produced with consult"  # the PDF's file identifier: how consult knows a PDF it wrote


def render_pdf(report: Report) -> bytes:
    from weasyprint import HTML  # heavy: imported only when a PDF is asked for

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    return HTML(string=render_html(report), base_url=None).write_pdf(pdf_identifier=MARK)

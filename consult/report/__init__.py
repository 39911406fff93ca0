"""The report for Government: ``consult report``.

:func:`build_report` gathers what the report says into one model (:mod:`consult.report.model`);
writers turn it into HTML (Jinja2 templates), Markdown, Word (python-docx) and PDF (WeasyPrint,
from the HTML). Consent and redaction are :mod:`consult.report.privacy`; the small-number rule is
:mod:`consult.report.disclosure`; themes come only through :mod:`consult.report.source`.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from consult.report.build import build_report
from consult.report.docx import render_docx
from consult.report.html import render_html
from consult.report.markdown import render_markdown
from consult.report.model import Report

FORMATS = {".html": "html", ".htm": "html", ".md": "markdown", ".markdown": "markdown",
           ".docx": "docx", ".pdf": "pdf"}
PRIVATE_MODE = 0o600  # a report quotes members: readable by its owner only


def render(report: Report, fmt: str) -> bytes:
    """The report in ``fmt`` ('html', 'markdown', 'docx' or 'pdf') as bytes."""
    if fmt == "html":
        return render_html(report).encode("utf-8")
    if fmt == "markdown":
        return render_markdown(report).encode("utf-8")
    if fmt == "docx":
        return render_docx(report)
    if fmt == "pdf":
        from consult.report.pdf import render_pdf
        return render_pdf(report)
    raise ValueError(f"unknown report format {fmt!r}")


def format_for(path: Path) -> str | None:
    return FORMATS.get(path.suffix.lower())


def write_report(report: Report, path: Path, fmt: str | None = None) -> None:
    """Write the report whole or not at all, 0600: a temporary file beside ``path`` is renamed
    over it only once complete."""
    data = render(report, fmt or format_for(path) or "html")
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_MODE)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        raise


__all__ = ["Report", "build_report", "render", "render_html", "render_markdown", "render_docx",
           "write_report", "format_for", "FORMATS"]

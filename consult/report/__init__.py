"""The report for Government: ``consult report``.

:func:`build_report` gathers what the report says into one model (:mod:`consult.report.model`);
writers turn it into HTML (Jinja2 templates), Markdown, Word (python-docx) and PDF (WeasyPrint,
from the HTML). Consent and redaction are :mod:`consult.report.privacy`; the small-number rule is
:mod:`consult.report.disclosure`; themes come only through :mod:`consult.report.source`.
"""

from __future__ import annotations

from pathlib import Path

from consult.files import FileExists, write_private_atomic
from consult.report.build import build_report
from consult.report.docx import render_docx
from consult.report.html import render_html
from consult.report.markdown import render_markdown
from consult.report.model import Report

FORMATS = {".html": "html", ".htm": "html", ".md": "markdown", ".markdown": "markdown",
           ".docx": "docx", ".pdf": "pdf"}


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


MARK = b"Produced with consult"  # every report carries it, so consult knows a file it made


def made_by_consult(path: Path) -> bool:
    """True when ``path`` is a report consult wrote (so writing it again replaces only our own)."""
    try:
        if path.suffix.lower() == ".docx":
            from docx import Document
            return Document(str(path)).core_properties.comments == MARK.decode()
        with path.open("rb") as handle:
            data = handle.read(50_000_000)
        return MARK in data or MARK.hex().encode() in data.lower()  # a PDF's identifier is hex
    except Exception:  # unreadable or not what its name says: not ours
        return False


def write_report(report: Report, path: Path, fmt: str | None = None) -> None:
    """Write the report whole or not at all, readable by its owner only; an existing file is
    replaced only if it is a report consult made (:class:`consult.files.FileExists` otherwise)."""
    data = render(report, fmt or format_for(path) or "html")
    exists = path.exists() or path.is_symlink()
    if exists and (path.is_symlink() or not made_by_consult(path)):
        raise FileExists(f"{path} already exists and is not a report consult wrote: consult never "
                         "writes over it; choose a new name")
    write_private_atomic(path, data, overwrite=exists)


__all__ = ["Report", "build_report", "render", "render_html", "render_markdown", "render_docx",
           "write_report", "format_for", "FORMATS", "FileExists", "made_by_consult"]

"""The thematic report for Government: ``consult report``.

:func:`build_report` gathers what the report says from the store, the bank and the latest analysis
run into plain data (:class:`ReportData`); :func:`render_html` and :func:`render_markdown` turn
that into one self-contained HTML file or Markdown. Privacy rules (consent, attribution, small
cells, redaction) are in :mod:`consult.report.privacy`.
"""

from __future__ import annotations

from pathlib import Path

from consult.report.build import ReportData, build_report
from consult.report.html import render_html
from consult.report.markdown import render_markdown

FORMATS = {".html": "html", ".htm": "html", ".md": "markdown", ".markdown": "markdown"}


def render(data: ReportData, fmt: str) -> str:
    if fmt == "html":
        return render_html(data)
    if fmt == "markdown":
        return render_markdown(data)
    raise ValueError(f"unknown report format {fmt!r}")


def format_for(path: Path) -> str | None:
    return FORMATS.get(path.suffix.lower())


def write_report(data: ReportData, path: Path, fmt: str | None = None) -> None:
    fmt = fmt or format_for(path) or "html"
    path.write_text(render(data, fmt), encoding="utf-8")


__all__ = ["ReportData", "build_report", "render", "render_html", "render_markdown", "write_report",
           "format_for"]

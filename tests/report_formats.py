"""Helpers for the report tests: every format as the text a reader sees, and small-count finders."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

from docx import Document
from markdown_it import MarkdownIt

from consult.report import render
from consult.report.model import Report

FORMATS = ("html", "markdown", "docx", "pdf")


def docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        lines += [" | ".join(c.text for c in row.cells) for row in table.rows]
    return "\n".join(lines)


def docx_headings(data: bytes) -> list[str]:
    doc = Document(io.BytesIO(data))
    return [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]


def pdf_text(data: bytes, tmp: Path) -> str:
    path = tmp / "report.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                          check=True, timeout=120).stdout


def visible(report: Report, fmt: str, tmp: Path) -> tuple[str, str]:
    """``(raw, text)``: the file as written (decoded) and the text a reader of it sees."""
    data = render(report, fmt)
    if fmt == "html":
        raw = data.decode("utf-8")
        return raw, raw
    if fmt == "markdown":
        raw = data.decode("utf-8")
        return raw, MarkdownIt("commonmark").enable("table").render(raw)
    if fmt == "docx":
        text = docx_text(data)
        return text, text
    text = pdf_text(data, tmp)
    return text, text


def have_pdftotext() -> bool:
    return shutil.which("pdftotext") is not None


# A count of 1-4 printed as a figure: "3 of 40", "of 3 organisations", "3 organisations", "3 (8%)",
# or alone in a table cell (HTML <td>, Markdown | 3 |, Word/PDF lines holding just the figure).
SMALL = [
    re.compile(r"(?<![\d,.£-])\b[1-4] (?:of|organisations?|responses?|answers?|drafts?|respondents?)\b"),
    re.compile(r"\bof [1-4] (?:organisations?|responses?)\b"),
    re.compile(r"(?<![\d,.£])\b[1-4] \(\d+%\)"),
    re.compile(r"<td[^>]*>\s*[1-4]\s*</td>"),
    re.compile(r"\|\s*[1-4]\s*(?=\|)"),
    re.compile(r"^\s*[1-4]\s*$", re.MULTILINE),
]


def small_counts(text: str, fmt: str) -> list[str]:
    patterns = SMALL if fmt != "pdf" else SMALL[:3]  # a PDF line "3" may be a page number
    return [m.group(0) for p in patterns for m in p.finditer(text)]

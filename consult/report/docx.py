"""The report as a Word document (python-docx), from the same model as the HTML: real headings,
tables and quote styles, so that a policy officer can edit it in Word or LibreOffice."""

from __future__ import annotations

from io import BytesIO

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Pt, RGBColor

from consult.report.charts import NO_BAR, text_bar
from consult.report.model import (
    Chart,
    Quote,
    Report,
    Table,
    ThemeView,
    question_heading,
    section_heading,
)
from consult.text import clean

MUTED = RGBColor(0x5B, 0x67, 0x70)
ACCENT = RGBColor(0x1F, 0x5F, 0x8B)


def _t(text: str) -> str:
    return clean(text)


def _para(doc, text: str, *, style: str | None = None, italic: bool = False, muted: bool = False):
    p = doc.add_paragraph(style=style)
    run = p.add_run(_t(text))
    run.italic = italic or None
    if muted:
        run.font.color.rgb = MUTED
        run.font.size = Pt(9)
    return p


def _quote(doc, q: Quote) -> None:
    doc.add_paragraph(_t(q.text), style="Quote")
    p = doc.add_paragraph()
    run = p.add_run("\u2014 " + _t(q.attribution))
    run.font.size = Pt(9)
    run.font.color.rgb = MUTED


def _theme(doc, t: ThemeView, style: str) -> None:
    p = doc.add_paragraph(style=style)
    p.add_run(_t(t.label)).bold = True
    p.add_run(f": {_t(t.figure)}.")
    if t.description:
        d = _t(t.description)
        p.add_run(" " + (f"\u201c{d}\u201d" if t.description_is_quote else d))


def _table(doc, t: Table) -> None:
    cap = doc.add_paragraph()
    cap.add_run(_t(t.caption)).bold = True
    table = doc.add_table(rows=1, cols=len(t.header))
    table.style = "Light List Accent 1"
    for cell, h in zip(table.rows[0].cells, t.header, strict=True):
        cell.text = _t(h)
    for row in t.rows:
        cells = table.add_row().cells
        for i, (cell, value) in enumerate(zip(cells, row, strict=True)):
            cell.text = _t(value)
            if i >= t.numeric_from:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for n in t.notes:
        _para(doc, n, muted=True)


def _chart(doc, c: Chart) -> None:
    """The chart as a native table of text bars: Word has no SVG renderer we can count on, and
    turning the SVG into a picture would need a new dependency (consult.report.charts)."""
    cap = doc.add_paragraph()
    cap.add_run(_t(c.title)).bold = True
    table = doc.add_table(rows=0, cols=3)
    scale = c.scale
    for bar in c.bars:
        label, drawn, figure = table.add_row().cells
        label.text = _t(bar.label)
        run = drawn.paragraphs[0].add_run(text_bar(bar, scale) or NO_BAR)
        run.font.color.rgb = MUTED if bar.other or bar.share is None else ACCENT
        run.italic = bar.share is None or None
        figure.text = _t(bar.figure)
        figure.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _para(doc, f"A full bar stands for {round(scale * 100)}% of the organisations answering."
          + (" " + c.note if c.note else ""), muted=True)


def render_docx(r: Report) -> bytes:
    doc = Document()
    doc.core_properties.title = _t(r.title)
    doc.core_properties.author = _t(r.publisher)
    doc.core_properties.comments = "Produced with consult"
    if r.series:
        _para(doc, r.series, muted=True)
    doc.add_heading(_t(r.title), level=0)
    if r.subtitle:
        _para(doc, r.subtitle, style="Subtitle")
    _para(doc, "What members said: a report to Government")
    facts = ([("Published by", r.publisher)] if r.publisher else []) + (
        [("Discussion paper", r.date)] if r.date else []) + [
        ("Responses counted", r.counted_line), ("Report produced", r.generated_at)]
    for k, v in facts:
        p = doc.add_paragraph()
        p.add_run(k + ": ").bold = True
        p.add_run(_t(v))
    for p in r.introduction:
        _para(doc, p)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    doc.add_heading("Key messages", level=1)
    _para(doc, r.key_messages_note)
    for m in r.key_messages:
        p = doc.add_paragraph(style="List Number")
        p.add_run(_t(m.label) + ". ").bold = True
        p.add_run(_t(m.text) + f" (See Q{m.question_number}.)")
        if m.quote:
            _quote(doc, m.quote)
    doc.add_heading("Summary by section", level=1)
    for s in r.sections:
        doc.add_heading(f"{s.number}. {_t(s.title)}", level=2)
        _para(doc, s.summary)
        if s.summary_quote:
            _quote(doc, s.summary_quote)
    doc.add_heading("Who responded", level=1)
    for p in r.respondents:
        _para(doc, p)
    for t in r.respondent_tables:
        _table(doc, t)
    doc.add_heading("How the answers were analysed", level=1)
    for p in r.method + [r.privacy]:
        _para(doc, p)
    for s in r.sections:
        doc.add_heading(_t(section_heading(s)), level=1)
        for q in s.questions:
            doc.add_heading(_t(question_heading(q)), level=2)
            _para(doc, q.answered_line, muted=True)
            if q.chart:
                _chart(doc, q.chart)
            if q.distribution:
                _table(doc, q.distribution)
            for t in q.themes:
                _theme(doc, t, "List Bullet")
                for c in t.children:
                    _theme(doc, c, "List Bullet 2")
            for quote in q.quotes:
                _quote(doc, quote)
            for n in q.notes:
                _para(doc, n, muted=True)
    if r.conclusion:
        doc.add_heading("Conclusion", level=1)
        for p in r.conclusion:
            _para(doc, p)
    if r.about or r.contact:
        doc.add_heading(_t(r.about_heading), level=1)
        for p in r.about:
            _para(doc, p)
        if r.contact:
            p = doc.add_paragraph()
            p.add_run("Contact: ").bold = True
            p.add_run(_t(r.contact))
    doc.add_heading("Appendix: full tables", level=1)
    for t in r.appendix_profile:
        _table(doc, t)
    for q in r.questions:
        if q.full_table:
            doc.add_heading(f"Table Q{q.number}", level=2)
            _table(doc, q.full_table)
            for b in q.breakdowns:
                _table(doc, b)
            if q.breakdown_note:
                _para(doc, q.breakdown_note, muted=True)
    if r.technical:
        _table(doc, r.technical)
    buf = BytesIO()
    doc.save(buf)
    return buf.getvalue()

"""Charts of theme shares: one per themed question, broad themes largest first and Other last,
hidden figures without a bar, labels escaped, a text alternative, and the same in HTML, PDF
(WeasyPrint draws the SVG) and Word (a table of text bars)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from consult.questions import default_bank_path, load_bank
from consult.report import build_report, render
from consult.report import disclosure as dc
from consult.report.charts import NO_BAR, NOTHING_LABEL, svg
from consult.report.model import Bar, Chart
from consult.store import Store
from tests.report_formats import docx_text, have_pdftotext, pdf_text
from tests.test_report_fixtures import Q1, Q3, build_fixture
from tests.test_report_secondary import _members

NASTY = 'Fees & "costs" <script>alert(1)</script> \x1b[31mred\x1b[0m'
NASTY_SHOWN = 'Fees & "costs" <script>alert(1)</script> [31mred[0m'  # control characters removed


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    bank = load_bank(default_bank_path())
    store = Store(tmp_path_factory.mktemp("db") / "r.db")
    store.sync_bank(bank)
    groups = build_fixture(store, bank, with_run=False)
    r = [f"r{i:02d}" for i in range(30)]
    themes = [
        {"question_id": Q1, "kind": "theme", "label": "Financial risk", "terms": ["risk"],
         "members": _members(groups["funding"])},
        {"question_id": Q1, "kind": "theme", "label": NASTY, "terms": ["partnership"],
         "members": _members(groups["housing"])},
        {"question_id": Q1, "kind": "other", "label": "Other", "members": _members(["r28", "r29"])},
        {"question_id": Q1, "kind": "non_answer", "label": "No answer", "members": _members(["r26", "r27"])},
        {"question_id": Q3, "kind": "theme", "label": "Respect", "terms": ["respect"], "members": _members(r[:24])},
        {"question_id": Q3, "kind": "theme", "label": "Equal partnership", "terms": ["equal"],
         "members": _members(r[24:28])},
        {"question_id": Q3, "kind": "other", "label": "Other", "members": _members(r[28:])},
    ]
    store.save_run(bank.id, method="test-method", version="0.0", params={"seed": 0}, summary={}, themes=themes)
    return build_report(store, bank)


def _svgs(html: str) -> list[str]:
    return re.findall(r"<svg class=\"chart\".*?</svg>", html, re.S)


def test_one_chart_per_themed_question_largest_first_other_last(report):
    """"Nothing to add" is drawn too: left out, its figure would follow from the others'."""
    charted = [q for q in report.questions if q.chart]
    assert [q.number for q in charted] == [q.number for q in report.questions if q.full_table]
    q1, q3 = charted
    assert [b.label for b in q1.chart.bars] == [NASTY_SHOWN[:1].upper() + NASTY_SHOWN[1:], "Financial risk",
                                                NOTHING_LABEL, "Other (no common theme)"]
    assert [(b.label, b.figure, b.share is None) for b in q3.chart.bars] == [
        ("Respect", "24 (80%)", False), ("Equal partnership", dc.FEWER, True),
        ("Other (no common theme)", dc.FEWER, True)]
    assert q3.chart.bars[-1].other and not q3.chart.bars[0].other
    assert q3.chart.title == "Share of the 30 organisations answering Q3 that raised each theme"


def test_the_chart_shows_what_the_table_shows(report):
    for q in report.questions:
        if q.chart:
            table = {row[0]: row[1] for row in q.full_table.rows}
            for b in q.chart.bars:
                assert b.figure.split(" (")[0] == table[b.label], (q.number, b.label)
                assert (b.share is None) == (table[b.label] in (dc.FEWER, dc.HIDDEN))


def test_a_hidden_figure_gets_no_bar_and_says_so(report):
    html = render(report, "html").decode()
    q3 = next(s for s in _svgs(html) if "Q3" in s)
    assert len(re.findall(r'<rect [^>]*fill="(?!#ffffff)', q3)) == 1  # a bar for Respect only
    assert q3.count(f"{dc.FEWER} {NO_BAR}") == 2
    assert not re.search(r"fewer than 5 \(\d", q3)


def test_labels_in_the_svg_are_escaped(report):
    html = render(report, "html").decode()
    assert "<script" not in html.lower() and "\x1b" not in html
    q1 = next(s for s in _svgs(html) if "Q1" in s)
    assert "Fees &amp; &#34;costs&#34; &lt;script&gt;alert(1)&lt;/script&gt;" in q1
    root = ET.fromstring(q1)  # well-formed XML, as WeasyPrint needs it
    words = " ".join("".join(root.itertext()).split())
    assert "Fees & \"costs\" <script>alert(1)</script>" in words
    assert not root.findall(".//script") and "href" not in q1 and "http" not in q1 and "on" + "load" not in q1


def test_a_long_label_wraps_onto_two_lines_and_keeps_its_whole_text_for_screen_readers():
    long = "Partnership working with prime contractors across the whole probation area, mostly good"
    chart = Chart(title="T", bars=[Bar(label=long, share=0.5, figure="15 (50%)")])
    out = svg(chart, "c1")
    root = ET.fromstring(out)
    spans = [t.text for t in root.iter("tspan")]
    assert len(spans) == 2 and spans[-1].endswith("\u2026")
    assert long in root.find("desc").text


def test_the_chart_has_a_text_alternative(report):
    html = render(report, "html").decode()
    for q in report.questions:
        if not q.chart:
            continue
        s = next(s for s in _svgs(html) if f'chart-q{q.number}-t' in s)
        assert 'role="img"' in s and f'aria-labelledby="chart-q{q.number}-t chart-q{q.number}-d"' in s
        root = ET.fromstring(s)
        desc = root.find("desc").text
        assert root.find("title").text == q.chart.title
        assert all(f"{b.label}, {b.figure}" in desc for b in q.chart.bars)


def test_word_has_the_chart_as_a_table_of_text_bars(report):
    text = docx_text(render(report, "docx"))
    assert report.questions[2].chart.title in text
    assert "Respect | " + "\u2588" * 20 + " | 24 (80%)" in text  # the largest share is the full bar
    assert f"Equal partnership | {NO_BAR} | {dc.FEWER}" in text
    assert NASTY_SHOWN[1:] in text and "\x1b" not in text
    assert "A full bar stands for 80% of the organisations answering." in text


def test_the_pdf_draws_the_chart(report, tmp_path):
    if not have_pdftotext():
        pytest.skip("pdftotext (poppler-utils) not installed")
    text = " ".join(pdf_text(render(report, "pdf"), tmp_path).split())
    for q in report.questions:
        if q.chart:
            assert q.chart.title in text
    assert f"Equal partnership {dc.FEWER} {NO_BAR}" in text
    assert "Fees & \"costs\" <script>alert(1)</script>" in text

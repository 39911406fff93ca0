"""Secondary suppression: in no table of any format can a hidden figure be worked out as a total
less the figures printed beside it (row or column wise, and a breakdown's row against the theme's
count in the full table), and the method section states the rule once."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import pytest
from docx import Document
from markdown_it import MarkdownIt

from consult.questions import Bank, load_bank
from consult.report import build_report, charts, render
from consult.report import disclosure as dc
from consult.report.model import Report, Table
from consult.report.tables import ANSWERED, SUB
from consult.store import Store
from tests.report_formats import docx_text, have_pdftotext, pdf_text
from tests.test_report_choices import MIXED
from tests.test_report_choices import _fill as fill_mixed
from tests.test_report_fixtures import Q1, Q3, build_fixture

HIDDEN_TEXTS = (dc.FEWER, dc.HIDDEN)


def _members(ids):
    return [{"respondent_id": rid, "is_primary": True, "rank": n, "score": 1 - n / 100}
            for n, rid in enumerate(ids, start=1)]


def _small_groups(store: Store, bank: Bank) -> None:
    """The report fixture's 30 responses with sub-themes: Q1's broad theme splits 11 + 3 (so the
    11 must go too), Q3 has a small broad theme and a small Other."""
    groups = build_fixture(store, bank, with_run=False)
    housing, funding = groups["housing"], groups["funding"]
    r = [f"r{i:02d}" for i in range(30)]
    themes = [
        {"question_id": Q1, "kind": "theme", "label": "Partnership with primes", "terms": ["partnership"],
         "members": _members(housing)},
        {"question_id": Q1, "kind": "theme", "label": "Housing support", "parent": "Partnership with primes",
         "terms": ["housing"], "members": _members(housing[:11])},
        {"question_id": Q1, "kind": "theme", "label": "Training & <script>", "parent": "Partnership with primes",
         "terms": ["training"], "members": _members(housing[11:])},
        {"question_id": Q1, "kind": "theme", "label": "Financial risk", "terms": ["risk"], "members": _members(funding)},
        {"question_id": Q1, "kind": "other", "label": "Other", "members": _members(["r28", "r29"])},
        {"question_id": Q1, "kind": "non_answer", "label": "No answer", "members": _members(["r26", "r27"])},
        {"question_id": Q3, "kind": "theme", "label": "Respect", "terms": ["respect"], "members": _members(r[:24])},
        {"question_id": Q3, "kind": "theme", "label": "Equal partnership", "terms": ["equal"],
         "members": _members(r[24:28])},
        {"question_id": Q3, "kind": "other", "label": "Other", "members": _members(r[28:])},
    ]
    store.save_run(bank.id, method="test-method", version="0.0", params={"seed": 0}, summary={}, themes=themes)


@pytest.fixture(scope="module", params=["themes", "choices"])
def reports(request, tmp_path_factory) -> tuple[Report, Report]:
    """The report, and the same report with nothing hidden (the truth a reader must not find)."""
    if request.param == "themes":
        from consult.questions import default_bank_path
        bank = load_bank(default_bank_path())
    else:
        bank = load_bank(MIXED)
    store = Store(tmp_path_factory.mktemp("db") / "r.db")
    store.sync_bank(bank)
    (_small_groups if request.param == "themes" else fill_mixed)(store, bank)
    report = build_report(store, bank)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(dc, "MIN_COUNT", 1)
        truth = build_report(store, bank)
    return report, truth


# ------------------------------------------------------------------ every table as a reader sees it
class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables:
            self.cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.tables[-1][-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def _html_tables(html: str) -> list[list[list[str]]]:
    p = _Tables()
    p.feed(html)
    return p.tables


def grids(report: Report, fmt: str) -> list[list[list[str]]]:
    """Every table of the report in ``fmt``, header row first, as the reader sees its cells."""
    data = render(report, fmt)
    if fmt == "html":
        return _html_tables(data.decode())
    if fmt == "markdown":
        return _html_tables(MarkdownIt("commonmark").enable("table").render(data.decode()))
    doc = Document(io.BytesIO(data))
    return [[[" ".join(c.text.split()) for c in row.cells] for row in t.rows] for t in doc.tables]


def model_tables(r: Report, fmt: str = "html") -> list[tuple[str, Table]]:
    """The report's tables in the order ``fmt`` prints them, each with what it is. In Word a
    chart is a table too (text bars), with no header row."""
    out = [("profile", t) for t in r.respondent_tables]
    for q in r.questions:
        if q.distribution:
            out.append((f"dist:{q.number}", q.distribution))
        if q.chart and fmt == "docx":
            out.append((f"chart:{q.number}", Table(caption=q.chart.title, header=[], rows=[
                [b.label, charts.text_bar(b, q.chart.scale) or charts.NO_BAR, b.figure] for b in q.chart.bars])))
    out += [("profile", t) for t in r.appendix_profile]
    for q in r.questions:
        if q.full_table:
            out.append((f"full:{q.number}", q.full_table))
            out += [(f"breakdown:{q.number}", b) for b in q.breakdowns]
    if r.technical:
        out.append(("technical", r.technical))
    return out


def _norm(row: list[str]) -> list[str]:
    return [" ".join(c.split()) for c in row]


# ------------------------------------------------------------------ the arithmetic a reader can do
def _number(cell: str) -> int | None:
    m = re.fullmatch(r"([\d,]+)(?: \(.*\))?", cell.strip())
    return int(m.group(1).replace(",", "")) if m else None


def _lines(kind: str, table: Table, rows: list[list[str]], report: Report,
           by_kind: dict[str, list[list[str]]]) -> list[tuple[tuple[int, int] | None, int | None, list[tuple[int, int]]]]:
    """``(total cell or None, total printed elsewhere, part cells)`` for every sum a reader can
    check in the table (cells as ``(row, column)`` of ``rows``, the header being row 0)."""
    lines = []
    body = list(range(1, len(rows)))
    last = rows[-1][0] if len(rows) > 1 else ""
    if last == ANSWERED:
        parts_rows = [i for i in body[:-1] if not rows[i][0].startswith(SUB.strip())]
        for j in range(1, len(rows[0])):
            if _number(rows[-1][j]) is not None or rows[-1][j] in HIDDEN_TEXTS:
                lines.append(((len(rows) - 1, j), None, [(i, j) for i in parts_rows]))
        for i in parts_rows:  # a broad theme and its sub-themes
            kids = []
            for k in range(i + 1, len(rows) - 1):
                if not rows[k][0].startswith(SUB.strip()):
                    break
                kids.append((k, 1))
            if kids:
                lines.append(((i, 1), None, kids))
    if kind.startswith("breakdown"):  # a theme's row against its count in the full table
        full = {row[0]: row[1] for row in by_kind["full:" + kind.split(":")[1]][1:]}
        for i in body[:-1]:
            lines.append((None, _number(full[rows[i][0]]), [(i, j) for j in range(1, len(rows[0]))]))
    if (kind.startswith("dist") or kind == "profile") and not any("several" in n for n in table.notes):
        said = (next(q.answered_line for q in report.questions if kind == f"dist:{q.number}")
                if kind.startswith("dist") else report.counted_line)
        lines.append((None, _number(said.split()[0]), [(i, 1) for i in body]))
    if kind.startswith("chart"):  # the bars against the number answering
        said = next(q.answered_line for q in report.questions if kind == f"chart:{q.number}")
        lines.append((None, _number(said.split()[0]), [(i, 2) for i in body]))
    return lines


def _truth(truth: Report, kind: str, table: Table, label: str, column: str | int) -> int:
    for k, t in model_tables(truth, "docx"):
        if k == kind and t.caption == table.caption:
            row = next(r for r in t.rows if r[0] == label)
            return _number(row[column if isinstance(column, int) else t.header.index(column)])
    raise AssertionError(f"no {kind} table {table.caption!r} in the unsuppressed report")


def recoverable(report: Report, truth: Report, fmt: str) -> list[str]:
    found = []
    models = model_tables(report, fmt)
    tables = grids(report, fmt)
    assert len(tables) == len(models), fmt
    by_kind: dict[str, list[list[str]]] = {}
    for (kind, table), rows in zip(models, tables, strict=True):
        rows = ([] if table.header else [[]]) + [_norm(r) for r in rows]  # row 0 is the header
        assert rows == [_norm(table.header)] + [_norm(r) for r in table.rows], (fmt, table.caption)
        by_kind.setdefault(kind, rows)
        for cells in rows[1:]:  # a hidden count never keeps its share, nor its bar
            if kind.startswith("chart") and cells[2] in HIDDEN_TEXTS:
                assert cells[1] == charts.NO_BAR, (fmt, cells)
            elif cells[1] in HIDDEN_TEXTS and len(cells) > 2 and kind not in ("technical",):
                assert "%" not in cells[2] or kind.startswith("breakdown"), (fmt, cells)

        def value(cell, rows=rows, kind=kind, table=table):
            i, j = cell
            return _truth(truth, kind, table, rows[i][0], rows[0][j] if table.header else j)

        for total, elsewhere, parts in _lines(kind, table, rows, report, by_kind):
            cells = parts + ([total] if total else [])
            hidden = [c for c in cells if rows[c[0]][c[1]] in HIDDEN_TEXTS]
            known_total = elsewhere if total is None else _number(rows[total[0]][total[1]])
            if len(hidden) != 1 or (total is None and known_total is None):
                continue
            (h,) = hidden
            seen = sum(_number(rows[i][j]) or 0 for i, j in parts if (i, j) != h)
            worked_out = seen if h == total else known_total - seen
            if worked_out == value(h):
                column = rows[0][h[1]] if rows[0] else h[1]
                found.append(f"{fmt}: {table.caption!r} {rows[h[0]][0]!r} / {column!r} = {worked_out}")
    return found


@pytest.mark.parametrize("fmt", ["html", "markdown", "docx"])
def test_no_hidden_figure_can_be_worked_out_from_a_total(reports, fmt):
    report, truth = reports
    assert any(c in HIDDEN_TEXTS for _, t in model_tables(report) for row in t.rows for c in row)
    assert recoverable(report, truth, fmt) == []


def test_the_pdf_prints_the_same_figures_as_the_html(reports, tmp_path):
    if not have_pdftotext():
        pytest.skip("pdftotext (poppler-utils) not installed")
    report, truth = reports
    text = " ".join(pdf_text(render(report, "pdf"), tmp_path).split())
    assert recoverable(report, truth, "html") == []
    for _, table in model_tables(report):  # each row's figures, in order, as the HTML has them
        for row in table.rows:
            figures = [re.escape(" ".join(c.split())) for c in row[1:] if c]
            assert re.search(r"\s*.*?".join(figures), text), (table.caption, row)
    html_text = re.sub(r"<[^>]+>", " ", render(report, "html").decode())
    assert text.count(dc.HIDDEN) == html_text.count(dc.HIDDEN) > 1


def test_the_breakdowns_needed_a_second_figure_hidden(reports):
    """The fixture is one where the rule before this change gave figures away."""
    report, _ = reports
    if not report.questions[0].breakdowns:
        pytest.skip("the choice report has no breakdowns")
    cells = [c for q in report.questions for b in q.breakdowns for row in b.rows for c in row]
    assert dc.HIDDEN in cells
    q1 = report.questions[0]
    assert [c.label for t in q1.themes for c in t.children] == []  # 11 of 14 would give the 3 away
    assert ["\u2003\u2013 Housing support", dc.HIDDEN, dc.DASH] in q1.full_table.rows
    assert dc.HIDDEN_NOTE in q1.full_table.notes


@pytest.mark.parametrize("fmt", ["html", "markdown", "docx", "pdf"])
def test_the_method_states_the_rule_once_in_plain_words(reports, fmt, tmp_path):
    report, _ = reports
    if fmt == "pdf" and not have_pdftotext():
        pytest.skip("pdftotext (poppler-utils) not installed")
    data = render(report, fmt)
    text = {"html": lambda: data.decode(), "markdown": lambda: data.decode().replace("\\", ""),
            "docx": lambda: docx_text(data), "pdf": lambda: pdf_text(data, tmp_path)}[fmt]()
    text = " ".join(text.replace("&#34;", '"').split())
    rule = " ".join(dc.rule_sentence().split())
    assert text.count(rule) == 1
    method = text[text.index("How the answers were analysed"):]
    assert method.index(rule) < method.index("Appendix: full tables")
    assert "fewer than 5" in rule and "not shown" in rule and "row or column" in rule


def test_figures_hide_one_more_in_every_sum_with_one_hidden():
    figs = dc.Figures()
    cols = [figs.add(n, fixed=True) for n in (10, 10)]
    a = [figs.add(n) for n in (3, 6)]
    b = [figs.add(n) for n in (7, 4)]
    for j, col in enumerate(cols):
        figs.sum(col, [a[j], b[j]])
    figs.sum(figs.add(9, fixed=True), a)
    figs.sum(figs.add(11, fixed=True), b)
    hidden = figs.protect()
    assert hidden == {a[0]: dc.FEWER, b[1]: dc.FEWER, b[0]: dc.HIDDEN, a[1]: dc.HIDDEN}
    assert figs.exposed() == []


def test_a_sum_that_does_not_add_up_needs_no_second_figure():
    figs = dc.Figures()
    parts = [figs.add(n) for n in (3, 9)]
    figs.sum(figs.add(20, fixed=True), parts)  # overlapping themes: 3 + 9 is not 20
    assert figs.protect() == {parts[0]: dc.FEWER}


def test_a_figure_printed_elsewhere_is_never_hidden_and_what_that_leaves_is_reported():
    figs = dc.Figures()
    parts = [figs.add(27, fixed=True), figs.add(3)]
    figs.sum(figs.add(30, fixed=True), parts)
    assert figs.protect() == {parts[1]: dc.FEWER}
    assert figs.exposed() == [parts[1]]


def test_where_a_remainder_follows_from_figures_printed_in_full_the_method_says_so(store, bank):
    """Two themes printed in full and a lone small "nothing to add": no figure can be hidden to
    protect it short of a theme's count, so the method says which figures can be worked out."""
    groups = build_fixture(store, bank, with_run=False)
    themes = [
        {"question_id": Q1, "kind": "theme", "label": "Partnership", "terms": ["partnership"],
         "members": _members(groups["housing"])},
        {"question_id": Q1, "kind": "theme", "label": "Financial risk", "terms": ["risk"],
         "members": _members(groups["funding"] + ["r28", "r29"])},
        {"question_id": Q1, "kind": "non_answer", "label": "No answer", "members": _members(["r26", "r27"])},
    ]
    store.save_run(bank.id, method="test-method", version="0.0", params={}, summary={}, themes=themes)
    report = build_report(store, bank)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(dc, "MIN_COUNT", 1)
        truth = build_report(store, bank)
    found = recoverable(report, truth, "docx")
    assert len(found) == 2 and all("Nothing to add" in f and f.endswith("= 2") for f in found)  # table, chart
    rule = dc.rule_sentence(remainder_follows=True)
    assert rule in report.method and "can still be worked out, though not whose answers they are" in rule
    assert dc.rule_sentence() in build_report_without_remainder(store, bank).method


def build_report_without_remainder(store: Store, bank: Bank) -> Report:
    """The same report once the lone "nothing to add" has company in "Other"."""
    themes = [
        {"question_id": Q1, "kind": "theme", "label": "Partnership", "terms": ["partnership"],
         "members": _members([f"r{i:02d}" for i in range(14)])},
        {"question_id": Q1, "kind": "theme", "label": "Financial risk", "terms": ["risk"],
         "members": _members([f"r{i:02d}" for i in range(14, 27)])},
        {"question_id": Q1, "kind": "other", "label": "Other", "members": _members(["r28", "r29"])},
        {"question_id": Q1, "kind": "non_answer", "label": "No answer", "members": _members(["r27"])},
    ]
    store.save_run(bank.id, method="test-method", version="0.0", params={}, summary={}, themes=themes)
    return build_report(store, bank)

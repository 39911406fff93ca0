"""The report on choice, multi and scale questions: counts and shares of each option, small
counts suppressed, no themes and no quotes, option texts escaped."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

from consult.cli import cli
from consult.questions import Bank, load_bank
from consult.report import build_report, render_html, render_markdown
from consult.report.disclosure import DASH, FEWER, HIDDEN
from consult.store import Store

MIXED = Path(__file__).resolve().parent / "banks" / "mixed.toml"
SUPPORT, SERVICES, CONFIDENCE, OPEN = ("views.support", "detail.services", "detail.confidence",
                                       "views.open")
HOSTILE = "Not sure <script>alert(1)</script> [bold]really[/] [@click=app.quit]x[/]"


@pytest.fixture
def mixed() -> Bank:
    return load_bank(MIXED)


def _fill(store: Store, bank: Bank) -> None:
    """12 submitted responses, 1 draft and 1 excluded one (neither counted).

    views.support: Yes 7, No 3, the hostile option 2.
    detail.services: Housing 12, Employment; training 0, Mentoring 6 (several per response).
    detail.confidence: 5 → 6, 4 → 5, 1 → 1 (answered by all 12).
    """
    yes, no = bank.question(SUPPORT).options[:2]
    records = []
    for i in range(12):
        support = yes if i < 7 else no if i < 10 else HOSTILE
        services = "Housing\nMentoring" if i % 2 else "Housing"
        confidence = "5" if i < 6 else "4" if i < 11 else "1"
        records.append({"respondent": f"r{i:02d}", "status": "submitted",
                        "profile": {"org_name": f"Org {i}"}, "consent": {"quote": True, "name": True},
                        "answers": {SUPPORT: support, SERVICES: services, CONFIDENCE: confidence,
                                    OPEN: f"QUOTABLE open answer number {i} about funding"}})
    records.append({"respondent": "draft", "status": "draft", "consent": {"quote": True},
                    "answers": {SUPPORT: "No", SERVICES: "Mentoring", CONFIDENCE: "1"}})
    records.append({"respondent": "spam", "status": "submitted", "consent": {"quote": True},
                    "answers": {SUPPORT: "No", SERVICES: "Mentoring", CONFIDENCE: "1"}})
    store.load_responses(bank.id, records)
    store.exclude_respondent("spam", "spam", by="test")


@pytest.fixture
def outputs(tmp_path, mixed):
    store = Store(tmp_path / "r.db")
    store.sync_bank(mixed)
    _fill(store, mixed)
    data = build_report(store, mixed)
    return data, render_html(data), render_markdown(data)


def _question_html(html: str, number: int) -> str:
    return re.search(rf'<article class="question" id="q{number}">.*?</article>', html, re.S).group(0)


def _question_md(md: str, number: int) -> str:
    return re.search(rf"### Q{number}\. .*?(?=\n### Q|\n## )", md, re.S).group(0)


def _rows(q):
    return [tuple(r) for r in q.distribution.rows]


def test_distribution_counts_and_shares(outputs):
    data, _, _ = outputs
    by_id = {q.id: q for q in data.questions}
    support = by_id[SUPPORT]
    assert support.answered_line == "12 organisations answered this question."  # no draft, no excluded
    assert _rows(support) == [("Yes", "7", "58%"), ("No", FEWER, DASH), (HOSTILE, FEWER, DASH)]
    assert _rows(by_id[SERVICES]) == [("Housing", "12", "100%"), ("Employment; training", "0", "0%"),
                                      ("Mentoring", "6", "50%")]
    # "1" is suppressed, and so is the next smallest, or it could be worked out from the 12.
    assert _rows(by_id[CONFIDENCE]) == [("1", FEWER, DASH), ("2", "0", "0%"), ("3", "0", "0%"),
                                        ("4", HIDDEN, DASH), ("5", "6", "50%")]
    for q in (support, by_id[SERVICES], by_id[CONFIDENCE]):
        assert q.themes == [] and q.quotes == [] and q.full_table is None
    assert by_id[OPEN].distribution is None


def test_html_shows_the_table_without_themes_or_quotes(outputs):
    _, html, _ = outputs
    q2 = _question_html(html, 2)
    assert '<tr><th scope="row">Yes</th><td class="n">7</td><td class="n">58%</td></tr>' in q2
    assert '<tr><th scope="row">No</th><td class="n">fewer than 5</td><td class="n">\u2013</td></tr>' in q2
    for n in (2, 3, 4):
        part = _question_html(html, n)
        assert "<figure" not in part and "<blockquote" not in part and 'class="themes"' not in part
        assert "QUOTABLE" not in part
    assert "shares add up to more than 100%" in _question_html(html, 3)
    q4 = _question_html(html, 4)
    assert "1 means not at all, 5 means very." in q4  # the scale's help explains the numbers
    assert '<td class="n">not shown</td>' in q4


def test_markdown_shows_the_distribution(outputs):
    _, _, md = outputs
    q2 = _question_md(md, 2)
    assert "| Option | Organisations | Share |" in q2
    assert "| Yes | 7 | 58% |" in q2 and "| No | fewer than 5 | \u2013 |" in q2
    q4 = _question_md(md, 4)
    assert "| Number | Organisations | Share |" in q4 and "| 5 | 6 | 50% |" in q4
    for part in (q2, q4):
        assert "QUOTABLE" not in part and "\n> " not in part


def test_option_text_with_markup_and_script_is_escaped(outputs):
    _, html, md = outputs
    assert "<script" not in html and "alert(1)</script>" not in html
    assert "Not sure &lt;script&gt;alert(1)&lt;/script&gt; [bold]really[/]" in html
    assert "<script>" not in md
    assert r"Not sure \<script\>alert(1)\</script\> [bold]really[/]" in md
    rendered = MarkdownIt("commonmark").enable("table").render(md)
    assert "<script" not in rendered and "<strong>really" not in rendered


def test_a_choice_question_nobody_answered(tmp_path, mixed):
    store = Store(tmp_path / "r.db")
    store.sync_bank(mixed)
    store.load_responses(mixed.id, [{"respondent": "a", "status": "submitted",
                                     "answers": {OPEN: "Only the open question"}}])
    data = build_report(store, mixed)
    q = next(q for q in data.questions if q.id == SUPPORT)
    assert q.answered_line == "Nobody answered this question." and q.distribution is None
    assert "Nobody answered this question." in _question_html(render_html(data), 2)
    assert "| Option |" not in _question_md(render_markdown(data), 2)


def test_report_command_with_the_mixed_bank(tmp_path, mixed):
    db = tmp_path / "r.db"
    store = Store(db)
    store.sync_bank(mixed)
    _fill(store, mixed)
    out = tmp_path / "report.html"
    result = CliRunner().invoke(cli, ["report", "--db", str(db), "--bank", str(MIXED), "--out",
                                      str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert '<td class="n">7</td>' in text and "<script" not in text
    run = Store(db).latest_run(mixed.id)
    assert run.params["questions"] == [OPEN]  # the analysis ran on the text question only

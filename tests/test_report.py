"""The thematic report: content, order, consent, escaping, empty cases, and the command."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

from consult.cli import cli
from consult.report import build_report, render_html, render_markdown
from consult.report.privacy import suppress
from consult.store import Store
from tests.test_report_fixtures import CONTACT_TEXT, Q1, Q2, Q3, REFUSER_TEXT, build_fixture


@pytest.fixture
def filled(store, bank):
    build_fixture(store, bank)
    return store


@pytest.fixture
def outputs(filled, bank):
    data = build_report(filled, bank)
    return data, render_html(data), render_markdown(data)


def _visible_md(md: str) -> str:
    """The Markdown rendered to HTML, as a reader's browser would show it."""
    return MarkdownIt("commonmark").enable("table").render(md)


# ----------------------------------------------------------------------------- structure
def test_every_question_present_in_paper_order(outputs, bank):
    data, html, md = outputs
    assert [q.id for q in data.questions] == [q.id for q in bank.questions]
    for text in (html, md):
        positions = []
        for q in bank.questions:
            needle = q.text.replace("'", "&#x27;") if text is html else q.text
            assert needle in text, q.id
            positions.append(text.index(needle, text.rindex("How the answers were analysed")))
        assert positions == sorted(positions)


def test_sections_and_front_matter(outputs, bank):
    _data, html, md = outputs
    for text in (html, md):
        assert bank.title in text and bank.publisher in text and bank.date in text
        assert "Summary" in text and "Who responded" in text and "How the answers were analysed" in text
        for s in bank.sections:
            assert s.title in text
    assert html.index("Summary") < html.index("Who responded") < html.index(bank.sections[0].title, html.index("Who responded"))


def test_counts_exclude_drafts_and_excluded(outputs):
    data, html, md = outputs
    assert (data.counted, data.submitted, data.drafts, data.excluded) == (30, 30, 2, 1)
    q1 = data.questions[0]
    assert q1.answered == 30 and q1.non_answers == 2 and q1.substantive == 28
    assert [(t.label, t.count) for t in q1.themes] == [
        ("Partnership with primes <i>works</i>", 14), ("Financial risk", 12), ("Other", 2)]
    for text in (html, md):
        assert "DRAFTONLY" not in text and "EXCLUDEDSPAM" not in text
        assert "2 drafts not yet submitted" in text and "1 excluded" in text
        assert "This report counts submitted responses: 30 responses." in text


def test_include_drafts_counts_drafts_but_never_quotes_them(filled, bank):
    data = build_report(filled, bank, include_drafts=True)
    assert data.counted == 32
    assert data.questions[0].themes[0].count == 16
    html = render_html(data)
    assert "DRAFTONLY" not in html and "DRAFTTWO" not in html
    assert "Counted" in html


def test_nobody_answered_and_non_answers(outputs):
    data, html, md = outputs
    q2 = next(q for q in data.questions if q.id == Q2)
    assert q2.answered == 0 and not q2.themes
    for text in (html, md):
        assert "Nobody answered this question." in text
        assert "2 of them gave no substantive answer" in text


def test_themes_ranked_with_counts_shares_chart_and_description(outputs):
    _data, html, md = outputs
    section = html[html.index('id="q1"'):html.index('id="q2"')]
    assert section.count("<svg") == 1
    assert section.index("Partnership with primes") < section.index("Financial risk") < section.index("Other (no common theme)")
    assert "14 answers, 50%" in section and "12 answers, 43%" in section
    # "Financial risk" has no description (as a theme staff made by splitting): its key words only
    risk = section[section.index("<h4>Financial risk"):section.index('<li class="theme other')]
    assert "Key words: risk, payment" in risk and '<p class="desc">' not in risk
    assert "| 1 | Partnership with primes \\<i\\>works\\</i\\> | 14 | 50% |" in md


def test_summary_names_agreement_and_division(outputs):
    data, html, _md = outputs
    assert [i.question.id for i in data.agreed] == [Q3]
    assert [i.question.id for i in data.divided] == [Q1]
    summary = html[html.index('id="summary"'):html.index('id="respondents"')]
    assert "Where members agreed" in summary and "Where views divided" in summary
    assert "Respect" in summary and "Financial risk" in summary


# ----------------------------------------------------------------------------- consent
def test_refused_quote_never_appears(outputs):
    data, html, md = outputs
    for text in (html, md):
        assert "ZEBRAFINCH" not in text
    assert all("ZEBRAFINCH" not in quote.text for q in data.questions for t in q.themes for quote in t.quotes)
    assert REFUSER_TEXT  # the fixture really gave r01 that answer


def test_organisation_named_only_with_consent(outputs):
    _data, html, md = outputs
    for text in (html, md):
        assert "Acme Named Housing Trust" in text  # r02 agreed to be named
        # nobody else agreed: no other organisation name anywhere, not even in quoted text
        assert not re.search(r"Organisation \d\d Trust", text)
        assert "Secret Society" not in text
        assert "[name removed] did the partnership work" in text.replace("\\[", "[").replace("\\]", "]")


def test_anonymous_attribution_is_never_too_specific(outputs, filled, bank):
    data, _html, _md = outputs
    attributions = {quote.attribution for q in data.questions for t in q.themes for quote in t.quotes}
    assert "A registered charity in the South West" in attributions
    for a in attributions - {"Acme Named Housing Trust"}:
        # income appears only where the type, region and income combination has 5+ organisations
        assert "annual income" not in a


def test_personal_fields_never_appear(outputs):
    _data, html, md = outputs
    for text in (html, md):
        assert "Contactname" not in text
        assert "private" not in text.lower().replace("privacy", "")
        assert "@example.org" not in text


def test_contact_details_redacted_in_quotes(outputs):
    _data, html, md = outputs
    assert "Call Jo on" in CONTACT_TEXT
    for text in (html, md):
        assert "07700 900123" not in text and "jo.bloggs" not in text and "BS1 4DJ" not in text
        assert "Call Jo" not in text  # the whole sentence with contact details goes
        assert "We were a sub-contractor to a prime. \\[contact details removed\\]" in text or \
            "We were a sub-contractor to a prime. [contact details removed]" in text


# ----------------------------------------------------------------------------- escaping
def test_markup_in_answers_is_escaped_in_html(outputs):
    _data, html, _md = outputs
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "[bold]x[/]" in html
    assert "<b>tag</b>" not in html and "&lt;b&gt;tag&lt;/b&gt;" in html
    assert "<i>works</i>" not in html and "&lt;i&gt;works&lt;/i&gt;" in html  # theme labels too


def test_markup_in_answers_is_escaped_in_markdown(outputs):
    _data, _html, md = outputs
    # CommonMark backslash escapes, not entities: they read as what was typed in plain text too
    assert "\\<script\\>alert(1)\\</script\\>" in md and "&lt;" not in md and "&gt;" not in md
    assert "<script>" not in md.lower() and "<b>" not in md and "<i>" not in md
    rendered = _visible_md(md)
    assert "<script" not in rendered.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered
    assert "<b>tag</b>" not in rendered and "<i>works</i>" not in rendered
    assert "<strong>bold</strong>" not in rendered  # **bold** in an answer stays literal
    assert "<h1>heading" not in rendered
    # a quote's lines stay inside its block quote, and its own "> " is text, not a nested quote
    assert "&gt; not a quote" in rendered
    assert "<blockquote>\n<blockquote>" not in rendered


def test_html_is_self_contained(outputs):
    _data, html, _md = outputs
    lowered = html.lower()
    assert "<script" not in lowered
    assert "http://" not in lowered and "https://" not in lowered
    links = re.findall(r"""(?:src|href)\s*=\s*["']?([^"'\s>]*)""", lowered)
    assert links and all(link.startswith("#") for link in links)
    assert "@import" not in lowered and "url(" not in lowered
    assert "<style>" in html and "@page" in html and "size: A4" in html
    assert "break-before: page" in html


def test_control_characters_are_removed(store, bank):
    build_fixture(store, bank)
    store.save_answer("r00", Q1, "Escape \x1b]0;pwned\x07 sequence \x9b2J here and more words to quote.")
    html = render_html(build_report(store, bank))
    assert "\x1b" not in html and "\x9b" not in html and "\x07" not in html


# ----------------------------------------------------------------------------- edge cases
def test_empty_database_gives_clear_report(store, bank):
    data = build_report(store, bank)
    assert data.empty
    html, md = render_html(data), render_markdown(data)
    for text in (html, md):
        assert "No responses have been received yet." in text
        for q in bank.questions:
            assert (q.text.replace("'", "&#x27;") if text is html else q.text) in text


def test_responses_but_no_run_yet(store, bank):
    build_fixture(store, bank, with_run=False)
    data = build_report(store, bank)
    assert data.method is None
    html = render_html(data)
    assert "These answers have not been analysed yet." in html
    assert "ZEBRAFINCH" not in html


def test_small_cells_suppressed():
    assert suppress([10, 3, 0, 7]) == [None, "fewer than 5", None, "not shown"]
    assert suppress([10, 3, 2, 7]) == [None, "fewer than 5", "fewer than 5", None]
    assert suppress([10, 3], total_known=False) == [None, "fewer than 5"]
    assert suppress([0, 0, 12]) == [None, None, None]


def test_breakdown_suppresses_small_groups(outputs):
    data, html, _md = outputs
    table = data.questions[0].breakdown
    assert table is not None
    assert table.columns[:3] == ["Under £10,000", "£10,000 to £100,000", "£100,000 to £1 million"]
    assert "Works with women" in table.columns and "Works with BME people" in table.columns
    for _label, cells in table.rows:
        for c in cells:
            assert c.hidden or c.count == 0 or c.count >= 5
    assert "fewer than 5 organisations" in html
    # too few answers for any breakdown on a small question
    assert "Who raised each theme" in html


def test_profile_counts_suppress_small_groups(store, bank):
    build_fixture(store, bank)
    store.load_responses(bank.id, [{"respondent": "lonely", "status": "submitted",
                                    "profile": {"org_type": "Faith-based organisation", "region": "Wales"},
                                    "answers": {Q3: "Respect for faith groups"}}])
    data = build_report(store, bank)
    types = next(p for p in data.profile if p.title.startswith("What kind"))
    shown = {r.label: r.shown for r in types.rows}
    assert "Faith-based organisation" not in shown
    # the 1 is combined with the next smallest group, so it cannot be worked out from the total
    combined = [label for label in shown if label.startswith("Combined to protect small numbers")]
    assert len(combined) == 1 and "Faith-based organisation" in combined[0] and shown[combined[0]] == "11"
    assert sorted(shown.values()) == ["10", "10", "11"]


# ----------------------------------------------------------------------------- command
def test_report_command_html_and_markdown(filled, tmp_path):
    runner = CliRunner()
    db = str(filled.path)
    for name in ("report.html", "report.md"):
        out = tmp_path / name
        result = runner.invoke(cli, ["report", "--db", db, "--out", str(out)])
        assert result.exit_code == 0, result.output
        text = out.read_text(encoding="utf-8")
        assert "ZEBRAFINCH" not in text and "<script>" not in text


def test_report_command_on_empty_database(tmp_path):
    out = tmp_path / "r.html"
    Store(tmp_path / "new.db")  # created, as `consult answer` would, but nobody has answered
    result = CliRunner().invoke(cli, ["report", "--db", str(tmp_path / "new.db"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "No responses have been received yet." in out.read_text(encoding="utf-8")


def test_report_command_rejects_unknown_format(tmp_path):
    result = CliRunner().invoke(cli, ["report", "--db", str(tmp_path / "x.db"), "--out", str(tmp_path / "r.pdf")])
    assert result.exit_code == 2
    assert "format" in result.output


def test_report_command_runs_analysis_when_none(store, bank, tmp_path):
    build_fixture(store, bank, with_run=False)
    out = tmp_path / "r.html"
    result = CliRunner().invoke(cli, ["report", "--db", str(store.path), "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    assert Store(store.path).latest_run(bank.id) is not None
    assert "ZEBRAFINCH" not in out.read_text(encoding="utf-8")


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium not installed")
def test_html_prints_to_pdf(outputs, tmp_path: Path):
    _data, html, _md = outputs
    page = tmp_path / "report.html"
    page.write_text(html, encoding="utf-8")
    pdf = tmp_path / "report.pdf"
    subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                    f"--print-to-pdf={pdf}", page.as_uri()], capture_output=True, timeout=120, check=False)
    assert pdf.exists() and pdf.read_bytes()[:4] == b"%PDF"


# ----------------------------------------------------------------------------- demo data
DEMO = Path(__file__).resolve().parent.parent / "consult" / "data" / "demo_responses.json"


@pytest.mark.skipif(not DEMO.exists(), reason="demo data not written yet")
def test_demo_data_report_honours_consent_and_escapes(tmp_path, bank):
    import json

    db = tmp_path / "demo.db"
    result = CliRunner().invoke(cli, ["demo", "--db", str(db)])
    assert result.exit_code == 0, result.output
    store = Store(db)
    # one theme per question holding every submitted answer, each ranked: every consenting answer
    # is a candidate quote, so consent is tested on all of them
    themes = []
    for q in bank.questions:
        ids = [rid for rid, _ in store.answers_to(q.id, submitted_only=True)]
        themes.append({"question_id": q.id, "kind": "theme", "label": "Everything", "terms": ["all"],
                       "members": [{"respondent_id": r, "rank": n} for n, r in enumerate(ids, 1)]})
    store.save_run(bank.id, method="test", version="0", params={}, summary={}, themes=themes)
    data = build_report(store, bank)
    html, md = render_html(data), render_markdown(data)
    records = json.loads(DEMO.read_text(encoding="utf-8"))["respondents"]
    quoted = {quote.text for q in data.questions for t in q.themes for quote in t.quotes}
    assert quoted, "the demo data should give some quotes"

    by_id = {rec["respondent"]: rec for rec in records}
    for q in data.questions:
        for t in q.themes:
            for quote in t.quotes:
                rec = by_id[quote.respondent_id]
                assert rec.get("status") == "submitted" and rec["consent"].get("quote") is True
    # and by text: no refuser's answer is quoted, unless a consenting organisation said the same
    consenting = [a for rec in records if rec.get("status") == "submitted" and rec["consent"].get("quote")
                  for a in rec.get("answers", {}).values()]
    for rec in records:
        refused = not rec.get("consent", {}).get("quote") or rec.get("status") != "submitted"
        named = rec.get("consent", {}).get("name") and rec.get("status") == "submitted"
        org = rec.get("profile", {}).get("org_name", "")
        for answer in rec.get("answers", {}).values():
            if refused and len(answer.split()) >= 8 and not any(answer in a for a in consenting):
                body = " ".join(answer.split()[:8])
                assert all(body not in text for text in quoted) or any(body in a for a in consenting), \
                    (rec["respondent"], body)
        if org and not named:
            assert org not in html and org not in md, rec["respondent"]
    assert "<script" not in html.lower() and "<script>" not in md.lower()
    for text in (html, md):
        assert "07700 900123" not in text and "(0117) 496 0000" not in text and "BS1 4DJ" not in text
        assert "@click" not in text or "[@click" in text.replace("\\[", "[")  # shown as text only
    rendered = _visible_md(md)
    assert "<script" not in rendered.lower()


def test_contact_sentences_dropped_from_quotes():
    from consult.report.privacy import quote_text

    text = ("We are happy to share what we have learnt. Ring Dawn on 07700 900123 or email dawn [at] "
            "northfield [dot] example [dot] org. Ring me, Winston Bailey, on 07700 900457 - evenings are best.\n"
            "Come to Unit 3, Harbourside Yard, Bristol BS1 4DJ on the first Monday. Small grants matter.")
    out = quote_text(text, ["Northfield Women's Project"])
    assert "Dawn" not in out and "Winston" not in out and "Harbourside" not in out
    assert out == ("We are happy to share what we have learnt. [contact details removed]\n"
                   "[contact details removed] Small grants matter.")

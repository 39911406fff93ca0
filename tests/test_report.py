"""The report in all four formats: structure, counts, consent, redaction, escaping, small numbers,
and the command."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from consult.cli import cli
from consult.questions import load_bank
from consult.report import build_report, render
from consult.store import Store
from tests.report_formats import FORMATS, docx_headings, have_pdftotext, small_counts, visible
from tests.test_report_fixtures import CONTACT_TEXT, Q1, Q2, Q3, REFUSER_TEXT, build_fixture


def _formats():
    return [pytest.param(f, marks=pytest.mark.skipif(f == "pdf" and not have_pdftotext(),
                                                     reason="pdftotext (poppler-utils) not installed"))
            for f in FORMATS]


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    from consult.questions import default_bank_path

    bank = load_bank(default_bank_path())
    store = Store(tmp_path_factory.mktemp("db") / "r.db")
    store.sync_bank(bank)
    build_fixture(store, bank)
    return build_report(store, bank)


@pytest.fixture(scope="module")
def rendered(report, tmp_path_factory):
    """Each format rendered once: ``{fmt: (raw, visible text)}``."""
    tmp = tmp_path_factory.mktemp("out")
    return {fmt: visible(report, fmt, tmp) for fmt in FORMATS
            if fmt != "pdf" or have_pdftotext()}


def _flat(text: str) -> str:
    """Text with line breaks and hyphenation from page layout, Markdown escapes and entities undone."""
    text = text.replace("\\", "").replace("&#39;", "'").replace("&#34;", '"').replace("&amp;", "&")
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
    return " ".join(text.replace("\u00ad", "").split())


# ----------------------------------------------------------------------------- structure
@pytest.mark.parametrize("fmt", _formats())
def test_every_question_and_section_in_paper_order(rendered, bank, fmt):
    text = _flat(rendered[fmt][1])
    start = text.index("How the answers were analysed")
    positions = [text.index(_flat(q.text)[:60], start) for q in bank.questions]
    assert positions == sorted(positions)
    for s in bank.sections:
        assert _flat(s.title) in text


@pytest.mark.parametrize("fmt", _formats())
def test_front_matter_key_messages_and_closing_from_the_bank(rendered, report, bank, fmt):
    text = _flat(rendered[fmt][1])
    for heading in ("Key messages", "Summary by section", "Who responded", "How the answers were analysed",
                    "Conclusion", f"About {bank.publisher}", "Appendix: full tables"):
        assert heading in text, heading
    assert text.index("Key messages") < text.index("Summary by section") < text.index("Who responded")
    assert text.index("Conclusion") < text.index("Appendix: full tables")
    assert _flat(bank.conclusion)[:80] in text and "info@clinks.org" in text
    assert report.key_messages, "the fixture has themes enough for key messages"
    for m in report.key_messages:
        assert _flat(m.text)[:50] in text


def test_word_document_has_the_reports_headings(report):
    headings = docx_headings(render(report, "docx"))
    for heading in report.headings():
        assert heading in headings, heading


def test_key_messages_state_counts_and_carry_a_members_words(report):
    assert 1 <= len(report.key_messages) <= 8
    top = report.key_messages[0]
    assert top.label == "Respect" and top.text.startswith("All 30 organisations answering question")
    assert top.quote is not None and top.quote.attribution
    risk = next(m for m in report.key_messages if m.label == "Partnership with primes <i>works</i>")
    assert risk.text.startswith("14 of 30 organisations answering question 1")


def test_counts_leave_out_drafts_and_excluded(report):
    q1 = report.questions[0]
    assert q1.answered_line == "30 organisations answered this question; fewer than 5 of them had nothing to add."
    assert [(t.label, t.figure) for t in q1.themes] == [
        ("Partnership with primes <i>works</i>", "14 of 30 organisations (47%)"),
        ("Financial risk", "12 of 30 organisations (40%)")]


@pytest.mark.parametrize("fmt", _formats())
def test_drafts_and_excluded_never_appear(rendered, fmt):
    text = rendered[fmt][1]
    for secret in ("DRAFTONLY", "DRAFTTWO", "EXCLUDEDSPAM"):
        assert secret not in text


@pytest.mark.parametrize("fmt", _formats())
def test_nobody_answered(rendered, fmt):
    assert "Nobody answered this question." in _flat(rendered[fmt][1])


# ----------------------------------------------------------------------------- consent
@pytest.mark.parametrize("fmt", _formats())
def test_refused_quote_never_appears(rendered, fmt):
    assert "ZEBRAFINCH" not in rendered[fmt][1] and REFUSER_TEXT


@pytest.mark.parametrize("fmt", _formats())
def test_organisation_named_only_with_consent(rendered, fmt):
    text = _flat(rendered[fmt][1])
    assert not re.search(r"Organisation \d\d Trust", text)
    assert "Secret Society" not in text


@pytest.mark.parametrize("fmt", _formats())
def test_personal_fields_and_contact_details_never_appear(rendered, fmt):
    text = _flat(rendered[fmt][1])
    assert "Contactname" not in text and "@example.org" not in text
    assert "Call Jo on" in CONTACT_TEXT
    assert "07700 900123" not in text and "jo.bloggs" not in text and "BS1 4DJ" not in text
    assert "Call Jo" not in text


def test_quotes_are_from_consenting_submitted_respondents_only(report):
    quotes = [m.quote for m in report.key_messages if m.quote] + [
        q for s in report.sections for q in ([s.summary_quote] if s.summary_quote else [])] + [
        quote for q in report.questions for quote in q.quotes]
    assert quotes
    assert all(quote.respondent_id not in ("r01", "r90", "r91", "r92") for quote in quotes)


def test_attribution_style(report):
    attributions = {quote.attribution for q in report.questions for quote in q.quotes} | {
        m.quote.attribution for m in report.key_messages if m.quote}
    for a in attributions - {"Acme Named Housing Trust"}:
        assert a == "Anonymous respondent" or re.match(r"^An? [a-z(]", a), a
        assert "annual income" not in a


# ----------------------------------------------------------------------------- hostile text
HOSTILE_HTML = "<script>alert(1)</script>"


def test_markup_is_escaped_in_html(rendered):
    raw = rendered["html"][0]
    assert "<script" not in raw.lower()
    assert "&lt;i&gt;works&lt;/i&gt;" in raw and "<i>works</i>" not in raw
    assert "http://" not in raw and "https://" not in raw and "url(" not in raw.lower()


def test_markup_is_escaped_in_markdown(rendered):
    raw, html = rendered["markdown"]
    assert "<script>" not in raw.lower() and "<i>" not in raw
    assert "<script" not in html.lower() and "<i>works</i>" not in html
    assert "&lt;i&gt;works&lt;/i&gt;" in html


@pytest.mark.parametrize("fmt", ["docx", pytest.param("pdf", marks=pytest.mark.skipif(
    not have_pdftotext(), reason="pdftotext (poppler-utils) not installed"))])
def test_markup_shows_as_typed_in_word_and_pdf(rendered, fmt):
    text = rendered[fmt][1]
    assert "<i>works</i>" in _flat(text)  # the label as typed, not made italic or dropped


@pytest.mark.parametrize("fmt", _formats())
def test_control_characters_are_removed(store, bank, tmp_path, fmt):
    build_fixture(store, bank)
    store.save_answer("r00", Q1, "Escape \x1b]0;pwned\x07 sequence \x9b2J here and more words to quote.")
    store.set_key_quote("r00", Q1, by="test")
    raw, text = visible(build_report(store, bank), fmt, tmp_path)
    for ch in ("\x1b", "\x9b", "\x07"):
        assert ch not in raw and ch not in text


# ----------------------------------------------------------------------------- small numbers
@pytest.mark.parametrize("fmt", _formats())
def test_no_count_between_one_and_four_anywhere(rendered, fmt):
    raw, text = rendered[fmt]
    assert small_counts(raw, fmt) == [] and small_counts(_flat(text), fmt) == []
    assert "fewer than 5" in _flat(text)  # the fixture has small groups: they are there, hidden


def test_small_count_finder_finds_what_it_should():
    assert small_counts("3 of 40 organisations said so", "markdown")
    assert small_counts("| Wales | 2 | 5% |", "markdown")
    assert small_counts('<td class="n">4</td>', "html")
    assert not small_counts("Q3. On 1 December, £1 million, 12 of 40", "markdown")


def test_empty_database(store, bank, tmp_path):
    report = build_report(store, bank)
    assert report.empty and not report.key_messages
    raw, _ = visible(report, "html", tmp_path)
    assert "No responses have been received yet." in raw


# ----------------------------------------------------------------------------- command
@pytest.mark.parametrize("name", ["report.html", "report.md", "report.docx",
                                  pytest.param("report.pdf", marks=pytest.mark.slow)])
def test_report_command_writes_each_format_privately(store, bank, tmp_path, name):
    build_fixture(store, bank)
    out = tmp_path / name
    result = CliRunner().invoke(cli, ["report", "--db", str(store.path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.stat().st_mode & 0o777 == 0o600
    magic = {".pdf": b"%PDF", ".docx": b"PK"}.get(out.suffix)
    assert out.read_bytes().startswith(magic) if magic else "ZEBRAFINCH" not in out.read_text()
    assert not list(tmp_path.glob(".*.tmp"))


def test_report_command_rejects_unknown_format(tmp_path):
    result = CliRunner().invoke(cli, ["report", "--db", str(tmp_path / "x.db"), "--out", str(tmp_path / "r.txt")])
    assert result.exit_code == 2 and "format" in result.output


def test_report_command_on_empty_database(tmp_path):
    Store(tmp_path / "new.db")
    out = tmp_path / "r.md"
    result = CliRunner().invoke(cli, ["report", "--db", str(tmp_path / "new.db"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "No responses have been received yet." in out.read_text(encoding="utf-8")


def test_question_nobody_answered_is_listed(report):
    q2 = next(q for q in report.questions if q.id == Q2)
    assert q2.answered_line == "Nobody answered this question." and not q2.themes
    assert next(q for q in report.questions if q.id == Q3).themes[0].label == "Respect"

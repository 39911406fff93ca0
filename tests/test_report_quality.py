"""The report's quotes, escaping, wording and labels: fixes from a QA pass over the demo report."""

from __future__ import annotations

import re

import pytest
from markdown_it import MarkdownIt

from consult.pipeline import describe
from consult.report import build_report, render_html, render_markdown
from consult.report.build import cap_first, dropped_note
from consult.report.privacy import CONTACT_REMOVED, QuoteChooser, content_words
from consult.report.words import answered_line
from tests.test_report_fixtures import Q1, Q3, build_fixture

OPENING = "We shared one opening sentence about the prime contractor."
PASTED = "Our partnership with the prime worked well for housing, and we would do it again."
HOSTILE_ORG = "Hostile Org 0 <b>bold</b> & Sons"
LINKS = ("See [click here](http://evil.example) and [ref] for more on partnership working.\n"
         "[ref]: http://evil.example\n1 < 2 and 3 > 2 & more &amp; &#60;b&#62; than we can say here.")


def _rendered(md: str) -> str:
    return MarkdownIt("commonmark").enable("table").render(md)


def _members(ids):
    return [{"respondent_id": rid, "is_primary": True, "rank": n} for n, rid in enumerate(ids, start=1)]


@pytest.fixture
def qa(store, bank):
    """The report fixture's responses with answers and themes that once went wrong."""
    build_fixture(store, bank, with_run=False)
    store.load_responses(bank.id, [{
        "respondent": "r50", "status": "submitted",
        "profile": {"org_name": HOSTILE_ORG, "org_type": "Registered charity", "org_size": "Under £10,000",
                    "region": "London", "areas": ["Women"]},
        "consent": {"quote": True, "name": True, "contact": True},
        "answers": {Q1: LINKS, Q3: "Respect for small groups, and equal say for them at the table."}}])
    answers = {
        # nothing left once the contact details go: never a quote
        ("r00", Q3): "Our office is at Unit 3, Bristol BS1 4DJ.",
        ("r05", Q3): "Call 07700 900123. Thanks a lot.",
        # the same opening twice in one theme, and once more in another theme of the question
        ("r05", Q1): OPENING + " Then it went well for housing support in our area.",
        ("r06", Q1): OPENING + " It did not work at all for the women we support.",
        ("r15", Q1): OPENING + " The financial risk of payment terms fell on us alone.",
        # the same text pasted twice, differing only in case and punctuation
        ("r07", Q1): PASTED,
        ("r08", Q1): PASTED.upper().replace(",", ""),
    }
    for (rid, qid), text in answers.items():
        store.save_answer(rid, qid, text)
    for rid in ("r02", "r03", "r04", "r20"):  # the fixture's key quotes would fill the themes
        store.set_key_quote(rid, Q1, on=False, by="test")
    for rid, qid in list(answers) + [("r50", Q1), ("r50", Q3)]:
        store.set_key_quote(rid, qid, by="test")
    housing = [f"r{i:02d}" for i in range(14) if i not in (9, 10)] + ["r50"]
    split = ["r09", "r10"]
    funding = [f"r{i:02d}" for i in range(14, 26)]
    terms = ["quality and safeguarding", "plan", "depends", "redundant", "set", "track"]
    themes = [
        {"question_id": Q1, "kind": "theme", "label": "cash flow", "terms": terms,
         "description": describe(terms), "members": _members(housing)},
        {"question_id": Q1, "kind": "theme", "label": "CRB checks", "terms": ["risk", "payment"],
         "created_by": "staff", "members": _members(funding)},
        {"question_id": Q1, "kind": "theme", "label": "bME offenders", "created_by": "staff",
         "members": _members(split)},
        {"question_id": Q1, "kind": "other", "label": "Other", "members": _members(["r28", "r29"])},
        {"question_id": Q1, "kind": "non_answer", "label": "No substantive answer",
         "members": _members(["r26", "r27"])},
        {"question_id": Q3, "kind": "theme", "label": "cash flow", "terms": ["respect"],
         "members": _members([f"r{i:02d}" for i in range(30)] + ["r50"])},
    ]
    store.save_run(bank.id, method="test", version="0", params={}, summary={}, themes=themes)
    # one answer arrives after the run: "1 answer arrived ... and is not counted"
    store.load_responses(bank.id, [{"respondent": "late", "status": "submitted",
                                    "answers": {Q1: "A late answer about partnership working."}}])
    data = build_report(store, bank)
    return data, render_html(data), render_markdown(data)


def _quotes(data, qid):
    q = next(q for q in data.questions if q.id == qid)
    return [(t.label, quote) for t in q.themes for quote in t.quotes]


# ----------------------------------------------------------------------------- quotes
def test_a_quote_with_nothing_left_after_redaction_is_skipped(qa):
    data, html, md = qa
    quotes = _quotes(data, Q3)
    assert len(quotes) == 3  # the next candidates are taken instead
    ids = {quote.respondent_id for _, quote in quotes}
    assert "r00" not in ids and "r05" not in ids
    for _, quote in quotes:
        assert len(content_words(quote.text)) >= 5
    assert "Thanks a lot" not in html and "Thanks a lot" not in md


def test_no_two_quotes_in_a_question_share_text_or_opening(qa):
    data, _html, _md = qa
    quotes = _quotes(data, Q1)
    ids = [quote.respondent_id for _, quote in quotes]
    assert "r05" in ids and "r06" not in ids and "r15" not in ids  # r15 is in another theme
    assert ("r07" in ids) != ("r08" in ids)
    assert sum(1 for _, quote in quotes if quote.text.startswith(OPENING)) == 1
    by_theme = {}
    for label, quote in quotes:
        by_theme.setdefault(label, []).append(quote)
    assert len(by_theme["Cash flow"]) == 3 and len(by_theme["CRB checks"]) == 3  # still full


def test_quote_chooser_rules():
    chooser = QuoteChooser()
    assert not chooser.take(CONTACT_REMOVED)
    assert not chooser.take(f"{CONTACT_REMOVED} [name removed] said so. Thanks.")
    assert chooser.take("First sentence is here. And then some more words follow.")
    assert not chooser.take("FIRST sentence is here! Something else entirely, said at length.")
    assert not chooser.take("first sentence is here.\nAnd then some more words follow")
    assert chooser.take("A different opening altogether. And then some more words follow.")
    assert content_words("[name removed] did the work […]") == ["did", "the", "work"]


# ----------------------------------------------------------------------------- markdown
def test_markdown_uses_backslash_escapes_not_entities(qa):
    _data, _html, md = qa
    assert "&lt;" not in md and "&gt;" not in md
    assert r"Hostile Org 0 \<b\>bold\</b\> & Sons" in md
    rendered = _rendered(md)
    assert "Hostile Org 0 &lt;b&gt;bold&lt;/b&gt; &amp; Sons" in rendered
    assert "<b>" not in rendered and "<a " not in rendered  # no markup, no links from an answer
    assert "[click here](http://evil.example)" in rendered.replace("\\", "")
    assert "1 &lt; 2 and 3 &gt; 2 &amp; more &amp;amp; &amp;#60;b&amp;#62;" in rendered


def test_markdown_small_cells_are_plain(qa):
    _data, _html, md = qa
    table = md[md.index("Who raised each theme"):]
    table = table[:table.index("\n*")]
    assert "| <5 |" in table or " <5 |" in table
    assert "*<5: fewer than 5 organisations, not shown" in md
    rendered = _rendered(md)
    assert "&lt;5</td>" in rendered and "<em>&lt;5: fewer than 5 organisations" in rendered


def test_html_keeps_entities(qa):
    _data, html, _md = qa
    assert "Hostile Org 0 &lt;b&gt;bold&lt;/b&gt; &amp; Sons" in html
    assert '<p class="note">&lt;5: fewer than 5 organisations' in html


# ----------------------------------------------------------------------------- wording
def test_no_number_one_with_a_plural_noun(qa):
    data, html, md = qa
    q1 = data.questions[0]
    assert q1.unanalysed == 1
    assert "1 answer arrived or changed after the latest analysis and is not counted" in answered_line(q1)
    for text in (html, md):
        text = re.sub(r"<[^>]+>", " ", text)
        assert not re.search(r"(?<![\d.,£])\b1 (answers|responses|organisations|groups|questions|themes|drafts)\b",
                             text), re.search(r".{40}\b1 [a-z]+s\b.{20}", text)
    assert "group(s)" not in html and "group(s)" not in md


def test_dropped_groups_note():
    assert dropped_note(0) == ""
    assert dropped_note(1) == "1 group with fewer than 5 answers is left out."
    assert dropped_note(3) == "3 groups with fewer than 5 answers are left out."


def test_generated_description_and_key_words(qa):
    _data, html, md = qa
    expected = ("Answers in this theme most often mention \u201cquality and safeguarding\u201d, \u201cplan\u201d, "
                "\u201cdepends\u201d and \u201credundant\u201d.")
    assert f'<p class="desc">{expected}</p><p class="terms">Other key words: set, track</p>' in html
    assert f"{expected}\n\nOther key words: set, track\n" in md


def test_split_theme_shows_key_words_or_nothing(qa):
    _data, html, md = qa
    crb = html[html.index("<h4>CRB checks"):]
    crb = crb[:crb.index("</li>")]
    assert '<p class="desc">' not in crb and '<p class="terms">Key words: risk, payment</p>' in crb
    bme = html[html.index("<h4>BME offenders"):]
    bme = bme[:bme.index("</li>")]
    assert '<p class="desc">' not in bme and '<p class="terms">' not in bme and "<p></p>" not in html
    assert re.search(r"#### \d\. CRB checks \(12 answers, \d+%\)\n\nKey words: risk, payment\n\n> ", md)
    assert re.search(r"#### \d\. BME offenders \(2 answers, \d+%\)\n\n> ", md)
    assert "\n\n\n" not in md


# ----------------------------------------------------------------------------- labels
def test_cap_first_changes_only_the_first_letter():
    assert cap_first("cash flow") == "Cash flow"
    assert cap_first("CRB checks") == "CRB checks"
    assert cap_first("BME offenders") == "BME offenders"
    assert cap_first("bME offenders") == "BME offenders"
    assert cap_first("\u201ccash\u201d flow") == "\u201cCash\u201d flow"
    assert cap_first("2010 review") == "2010 review"
    assert cap_first("") == ""


def test_theme_labels_capitalised_everywhere(qa):
    data, html, md = qa
    assert [t.label for t in data.questions[0].real_themes] == ["Cash flow", "CRB checks", "BME offenders"]
    assert data.recurring and data.recurring[0][0] == "Cash flow"
    for text in (html, md):
        assert "cash flow" not in text.replace("Other key words", "")  # nowhere lower-case
        assert "bME" not in text
    assert "<strong>Cash flow</strong>" in html and 'class="cl">Cash flow</text>' in html
    assert '<th scope="row">Cash flow</th>' in html and '<th scope="row">CRB checks</th>' in html
    assert "#### 1. Cash flow" in md and "**Cash flow**" in md and "| Cash flow |" in md


# ----------------------------------------------------------------------------- print
def test_print_keeps_notes_with_their_tables_and_headings_with_text(qa):
    _data, html, _md = qa
    css = html[html.index("@media print"):]
    assert ".breakdown" in css and "break-inside: avoid" in css and "break-after: avoid" in css
    # every breakdown note is inside the block that is kept whole
    for m in re.finditer(r'<div class="breakdown">.*?</div>', html, re.S):
        assert m.group(0).endswith('</p></div>') and '<p class="note">&lt;5' in m.group(0)
    summary = html[html.index('id="summary"'):html.index('id="respondents"')]
    assert summary.count('<div class="block"><h3>') == summary.count("<h3>")



def test_an_organisation_name_with_a_semicolon_is_one_name(bank):
    from consult.report.privacy import first_value
    from consult.store import Respondent

    r = Respondent(id="x", consultation_id=bank.id, profile={"org_name": "AT&T; Partners", "areas": "Women; Housing"})
    assert first_value(r, bank.profile_role("organisation")) == "AT&T; Partners"
    areas = next(f for f in bank.profile if f.id == "areas")
    assert first_value(r, areas) == "Women"

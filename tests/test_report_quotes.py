"""Quotes: staff excerpts, no near-duplicates anywhere in the report, one attribution style."""

from __future__ import annotations

from click.testing import CliRunner

from consult.cli import cli
from consult.report import build_report
from consult.report.privacy import Attributor
from consult.report.quotes import QuoteChooser, excerpt, sentences
from consult.store import Respondent
from tests.test_report_fixtures import Q1, build_fixture

LONG = ("Our first point is about money and nothing else at all. The second sentence says that "
        "prime contractors passed all the risk down to us. The third sentence is about something "
        "else entirely, which staff did not want quoted.")


def _all_quotes(report):
    out = [m.quote for m in report.key_messages if m.quote]
    out += [s.summary_quote for s in report.sections if s.summary_quote]
    out += [quote for q in report.questions for quote in q.quotes]
    out += [type("D", (), {"text": t.description})() for q in report.questions for t in q.themes
            if t.description_is_quote]
    return out


def test_sentences_and_excerpts():
    assert sentences("- First point here. Second one!\n2. Third") == ["First point here.", "Second one!", "Third"]
    assert excerpt(LONG, 2, 2).startswith("The second sentence") and excerpt(LONG, 2, 2).endswith("to us.")
    assert excerpt(LONG, None, None) == LONG


def test_chooser_refuses_near_duplicates_and_repeated_openings():
    c = QuoteChooser()
    assert c.take("Payment by results will push small charities out of the market entirely.")
    assert not c.take("PAYMENT BY RESULTS will push small charities out of the market, entirely!")
    assert not c.take("Payment by results will push small charities out of the market entirely. And more.")
    assert not c.take("[name removed] [phone removed] ok")  # nothing of its own left
    assert c.take("Local commissioners rarely understand what volunteers can offer offenders.")


def test_no_quote_repeats_another_anywhere(store, bank):
    build_fixture(store, bank)
    texts = [q.text for q in _all_quotes(build_report(store, bank))]
    assert texts and len(texts) == len(set(texts))
    chooser = QuoteChooser()
    assert all(chooser.take(t) for t in texts)  # none is a near-duplicate of an earlier one


def test_staff_excerpt_is_what_the_report_quotes(store, bank, tmp_path):
    build_fixture(store, bank)
    store.save_answer("r20", Q1, LONG)
    store.submit("r20")  # sent again: the report quotes submitted versions
    result = CliRunner().invoke(cli, ["quotes", "set", "--db", str(store.path), "r20", Q1,
                                      "--sentences", "2", "--user", "tester"])
    assert result.exit_code == 0, result.output
    assert store.quote_excerpts()[("r20", Q1)] == (2, 2)
    texts = [q.text for q in _all_quotes(build_report(store, bank))]
    assert any(t.startswith("The second sentence says that prime contractors") for t in texts)
    assert not any("third sentence" in t for t in texts)
    shown = CliRunner().invoke(cli, ["quotes", "show", "--db", str(store.path), "r20", Q1])
    assert "*  2  The second sentence" in shown.output and "key quote, sentences 2-2" in shown.output


def test_excerpt_out_of_range_is_a_one_line_error(store, bank):
    build_fixture(store, bank)
    result = CliRunner().invoke(cli, ["quotes", "set", "--db", str(store.path), "r20", Q1, "--sentences", "7"])
    assert result.exit_code == 2 and "has sentences 1 to" in result.output and "Traceback" not in result.output


def _resp(i: int, region: str, size: str = "£100,000 to £1 million") -> Respondent:
    return Respondent(id=f"x{i}", consultation_id="c", status="submitted", created_at="", updated_at="",
                      profile={"org_type": "Registered charity", "region": region, "org_size": size},
                      consent={"quote": True})


def test_attribution_names_type_region_and_income_or_the_wider_area(bank):
    people = [_resp(i, "West Midlands") for i in range(5)] + [_resp(10 + i, "East Midlands") for i in range(2)] \
        + [_resp(20 + i, "West Midlands" if i % 2 else "East Midlands") for i in range(2)]
    a = Attributor(bank, people)
    assert a.describe(people[0]) == "A registered charity in the West Midlands, income £100,000 to £1 million"
    # only 2+1 East Midlands charities: named by the wider area the bank groups it in
    assert a.describe(people[5]) == "A registered charity in the Midlands, income £100,000 to £1 million"

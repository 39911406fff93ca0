"""Search says how it matches: words by stem, "quoted words" exactly."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Static

from consult.store.search_query import describe, parse
from consult.tui.browse import make_browse_app
from consult.tui.browse.dialogs import InputModal
from consult.tui.browse.search import SearchScreen
from tests.test_browse import plain, screen_text, type_into, wait_for
from tests.test_browse_fixture import Q1, Q2, USER, populate

MORE = {
    "f1": {Q1: "We were funded by the council, then Funded again.", Q2: "Funds ran out."},
    "f2": {Q1: "No funding; the word 'funding' in quotes, and fundings."},
    "f3": {Q1: "Payment by results hurt us. Results by payment would not."},
}


@pytest.fixture
def filled(store, bank):
    populate(store, bank)
    store.load_responses(bank.id, [{"respondent": rid, "status": "submitted", "answers": answers}
                                   for rid, answers in MORE.items()])
    return store


def found(store, bank, text: str) -> dict[str, list[str]]:
    """Respondents matched and the highlighted words, by question."""
    rows, _ = store.search_answers(bank.id, text, user=USER)
    out: dict[str, list[str]] = {}
    for row in rows:
        out.setdefault(row.respondent_id, []).extend(row.text[s:e] for s, e in row.spans)
    return out


def test_plain_words_match_by_stem_and_quoted_words_exactly(filled, bank):
    stemmed = found(filled, bank, "funding")
    assert set(stemmed) == {"r1", "r5", "f1", "f2"}  # funded, Funds: the same stem
    assert stemmed["f1"] == ["funded", "Funded", "Funds"]
    exact = found(filled, bank, '"funding"')
    assert set(exact) == {"r1", "r5", "f2"}  # funded and funds are not the word funding
    assert exact["f2"] == ["funding", "funding"]  # not "fundings"
    _, counts = filled.search_answers(bank.id, '"funding"', user=USER)
    assert counts == {Q1: 3}


def test_quoted_phrase_matches_those_words_in_that_order(filled, bank):
    assert found(filled, bank, '"payment by results"') == {"f3": ["Payment by results"]}
    assert set(found(filled, bank, "payment results")) == {"f3"}
    # a phrase and a stemmed word together: both must match
    assert found(filled, bank, 'hurt "results"') == {"f3": ["results", "hurt", "Results"]}
    assert found(filled, bank, '"funded" council') == {"f1": ["funded", "council", "Funded"]}


def test_quotes_never_break_the_query(filled, bank):
    for typed in ['"', '""', '"fund', 'fund"', '" - "', '"(*)"', '"funding" "', "'funding'"]:
        filled.search_answers(bank.id, typed, user=USER)
    assert set(found(filled, bank, '"funding')) == {"r1", "r5", "f2"}  # an unclosed quote runs to the end


def test_description_says_how_it_matched():
    assert describe(parse("funding"), ["funding", "funded", "funds"]) == (
        'Matched by stem: funding, funded, funds; "funding" in quotes matches just that word.')
    assert describe(parse('"funding"'), []) == '"funding" matched exactly.'
    assert describe(parse("train*"), []) == "train* matches words that start so."


async def test_search_screen_says_stems_and_offers_quotes(filled, bank, clock):
    app = make_browse_app(filled, bank, user=USER, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash")
        await wait_for(pilot, lambda: isinstance(app.screen, SearchScreen))
        status = app.screen.query_one("#search-status", Static)
        await type_into(pilot, "funding")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "5 answers in 2 questions" in plain(status))
        assert "Matched by stem: funding, funded, fundings, funds;" in plain(status)
        assert '"funding" in quotes matches just that word.' in plain(status)
        await pilot.press("slash")
        await type_into(pilot, '"funding"')
        await pilot.press("enter")
        await wait_for(pilot, lambda: "3 answers in 1 question" in plain(status))
        assert '"funding" matched exactly.' in plain(status)


async def test_quote_excerpt_is_chosen_from_a_search_result_by_key_and_by_palette(filled, bank, clock):
    """Ctrl+O (K on the other screens) on a result asks which sentences to quote; the palette
    offers the same as "Search: Quote excerpt"."""
    app = make_browse_app(filled, bank, user=USER, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash")
        await wait_for(pilot, lambda: isinstance(app.screen, SearchScreen))
        search = app.screen
        await type_into(pilot, '"payment by results"')
        await pilot.press("enter")
        await wait_for(pilot, lambda: search.current() is not None and search.current().respondent_id == "f3")
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: isinstance(app.screen, InputModal))
        assert " 2. Results by payment would not." in app.screen.prompt.plain
        await pilot.press("2", "enter")  # "all", shown selected, is replaced
        await wait_for(pilot, lambda: app.store.quote_excerpts())
        assert app.store.quote_excerpts() == {("f3", Q1): (2, 2)}
        await wait_for(pilot, lambda: app.screen is search)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"quote excerpt")
        await wait_for(pilot, lambda: "Search: Quote excerpt" in screen_text(app))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, InputModal))
        assert app.screen.query_one(Input).value == "2"

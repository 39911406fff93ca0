"""What staff see of a response edited after it was submitted: the submitted answers, everywhere
(theme members, counts, the browser's lists and search, staff moves), never the draft the member
is still editing; they see the new text once the member submits again."""

from __future__ import annotations

import pytest

from consult.codebook import question_coding
from consult.store.codebook_schema import text_hash
from consult.store.search import Filters
from tests.test_browse_fixture import Q1, Q2, USER, populate

SENT = "Payment terms were sluggish and the prime handed every hazard to us."
DRAFT = "Second thoughts about marmalade and gooseberries, not sent yet."
NEW_DRAFT = "A draft answer to a question the member did not answer when they submitted."


@pytest.fixture
def amended(store, bank):
    """The browse fixture, and r6 (submitted) editing: Q1 rewritten and Q2 answered, not resubmitted."""
    run_id = populate(store, bank)
    store.save_answer("r6", Q1, SENT)
    store.submit("r6")
    store.save_answer("r6", Q1, DRAFT)
    store.save_answer("r6", Q2, NEW_DRAFT)
    assert store.respondent("r6").amended
    return run_id


def test_theme_members_are_read_with_their_submitted_text(store, bank, amended):
    theme = next(t for t in store.themes(amended, Q1) if t.label == "Small providers squeezed")
    texts = {m.respondent_id: m.text for m in store.theme_members(theme.id)}
    assert texts["r6"] == SENT


def test_counts_and_run_hashes_follow_the_submitted_version(store, bank, amended):
    assert "r6" not in store.coding_rows(bank.id, Q2).population  # answered in the draft only
    store.save_answer("r6", Q1, "")  # cleared in the draft: the submitted answer still counts
    assert "r6" in store.coding_rows(bank.id, Q1).population
    store.replace_candidates(amended, bank.id, Q1, [], {"r6": "other"})
    assert store.coded_hashes(bank.id, Q1)["r6"] == (text_hash(SENT), "other")


def test_staff_can_move_a_submitted_answer_the_member_cleared_in_a_draft(store, bank, amended):
    store.save_answer("r6", Q1, "")
    funding = next(t for t in store.codebook(bank.id, Q1) if t.label == "Funding and payment")
    store.codebook_code(bank.id, Q1, "r6", funding.id, by=USER)
    assert "r6" in question_coding(store, bank.id, Q1).theme(funding.id).primary


def test_browser_lists_show_and_count_the_submitted_text(store, bank, amended):
    page = {r.respondent_id: r.text for r in store.answer_page(bank.id, Q1, user=USER)}
    assert page["r6"] == SENT
    assert "r6" not in {r.respondent_id for r in store.answer_page(bank.id, Q2, user=USER)}
    assert store.count_answers(bank.id, Q2) == 3
    assert store.overview(bank.id).answers[Q2] == 3
    assert store.answer_row(bank.id, "r6", Q1, user=USER).text == SENT
    theme = next(t for t in store.themes(amended, Q1) if t.label == "Small providers squeezed")
    assert {r.respondent_id: r.text for r in store.theme_member_page(theme.id, user=USER)}["r6"] == SENT
    assert [r.text for r in store.answer_rows(bank.id, Q1, ["r6"], user=USER)] == [SENT]
    assert next(r for r in store.respondent_page(bank.id) if r.id == "r6").answers == 1


def test_browser_search_finds_the_submitted_words_not_the_draft(store, bank, amended):
    rows, counts = store.search_answers(bank.id, "marmalade", user=USER)
    assert rows == [] and counts == {}
    rows, counts = store.search_answers(bank.id, "draft", user=USER)
    assert rows == []
    rows, counts = store.search_answers(bank.id, "hazards", user=USER)
    assert [(r.respondent_id, r.text) for r in rows] == [("r6", SENT)] and counts == {Q1: 1}
    assert [SENT[a:b] for a, b in rows[0].spans] == ["hazard"]
    rows, _ = store.search_answers(bank.id, '"handed every"', user=USER, question_id=Q1)
    assert [r.respondent_id for r in rows] == ["r6"]
    rows, _ = store.search_answers(bank.id, "", user=USER, filters=Filters(status="submitted"), question_id=Q1)
    assert dict((r.respondent_id, r.text) for r in rows)["r6"] == SENT


def test_search_follows_the_member_submitting_again_and_erasure(store, bank, amended):
    store.submit("r6")
    rows, _ = store.search_answers(bank.id, "marmalade", user=USER)
    assert [(r.respondent_id, r.text) for r in rows] == [("r6", DRAFT)]
    assert store.search_answers(bank.id, "hazards", user=USER)[0] == []
    store.save_answer("r6", Q1, SENT)  # amended again, then erased
    assert [r.respondent_id for r in store.search_answers(bank.id, "marmalade", user=USER)[0]] == ["r6"]
    store.erase_respondent("r6", by=USER)
    assert store.search_answers(bank.id, "marmalade", user=USER)[0] == []
    assert store.scalar("PRAGMA integrity_check") == "ok"


async def test_browse_respondent_screen_shows_the_submitted_answers_and_says_amended(store, bank, clock,
                                                                                    amended):
    """By respondent, staff read r6 as submitted (what counts and the report use), flagged as
    amended; the member's draft stays theirs, and shows once they submit again."""
    from textual.widgets import Input, Static

    from consult.tui.browse import make_browse_app
    from consult.tui.browse.respondent import RespondentScreen
    from tests.test_browse import plain, wait_for

    def body() -> str:
        return plain(app.screen.query_one("#respondent-body", Static))

    async def open_r6(pilot) -> None:
        """By respondent (p), find (f) Tyne Families: r6 alone, its response beside the list."""
        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, RespondentScreen))
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(pilot.app.focused, Input))
        pilot.app.focused.value = "Tyne"
        await pilot.press("enter")
        await wait_for(pilot, lambda: body().startswith("Tyne Families"))

    app = make_browse_app(store, bank, user=USER, clock=clock)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_r6(pilot)
        assert "AMENDED, NOT RE-SUBMITTED" in body()
        answers = body()[body().index("Answers ("):body().index("\nProfile")]
        assert "Answers (1)" in answers
        assert SENT in answers
        assert "marmalade" not in answers and "did not answer" not in answers
    assert store.answers("r6") == {Q1: DRAFT, Q2: NEW_DRAFT}  # the member's draft, untouched
    store.submit("r6")
    app = make_browse_app(store, bank, user=USER, clock=clock)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_r6(pilot)
        assert "AMENDED" not in body() and "marmalade" in body() and "Answers (2)" in body()

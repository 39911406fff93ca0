"""Required items block submitting; messages say what really happens; no toast in the way."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from textual.widgets import Input, RadioSet, Select

from consult.questions import load_bank
from consult.store import Store
from consult.tui.answer.app import make_answer_app, submitted_words
from consult.tui.answer.profile import ProfileScreen
from consult.tui.answer.review import ReviewScreen
from consult.tui.answer.section import SectionScreen
from consult.tui.answer.submit import ConfirmSubmitScreen, ReceiptScreen

from .helpers import (
    CODES,
    FIXED_TIME,
    SIZE,
    bank,
    make_app,
    new_store,
    open_first_section,
    screen_text,
    start_response,
    toasts,
    type_text,
    wait_for,
)
from .test_choices import MIXED


def flat(app) -> str:
    """The screen's text with wrapped lines joined (dialog and header text wraps at 80 columns)."""
    lines = (line.strip().strip("│█▌").strip() for line in screen_text(app).splitlines())
    return " ".join(line for line in lines if line)


def dialog(app) -> str:
    """The confirmation dialog as shown (its own region of the screen), wrapped lines joined."""
    region = app.screen.query_one("#confirm-dialog").region
    rows = screen_text(app).splitlines()[region.y:region.bottom]
    lines = (row[region.x:region.right].strip(" █▀▄") for row in rows)
    return " ".join(line.strip() for line in lines if line.strip())


MARKER = "A marker notice, raised by the test"


async def notices_shown(pilot) -> list[str]:
    """Every notice the member would see now (each toast's text), once any already raised is
    shown: a marker notice is raised and awaited (notices show in the order raised, and all
    that are due show together), then left out and every toast cleared."""
    app = pilot.app
    app.notify(MARKER, timeout=60, markup=False)
    await wait_for(pilot, lambda: MARKER in toasts(app), timeout=10)
    shown = [text for text in toasts(app) if text != MARKER]
    app.clear_notifications()
    await wait_for(pilot, lambda: not toasts(app), timeout=10)
    return shown


def status(db: Path, bank_id: str) -> str:
    [respondent] = Store(db).respondents(bank_id)
    return respondent.status


def required_mixed_app(db: Path):
    """The mixed bank with its organisation name and its scale question made required."""
    the_bank = load_bank(MIXED)
    profile = tuple(replace(f, required=True) if f.id == "org_name" else f for f in the_bank.profile)
    sections = tuple(
        replace(s, questions=tuple(replace(q, required=True) if q.id == "detail.confidence" else q
                                   for q in s.questions))
        for s in the_bank.sections)
    the_bank = replace(the_bank, profile=profile, sections=sections)
    store = Store(db)
    store.sync_bank(the_bank)
    return make_answer_app(store, the_bank, clock=lambda: FIXED_TIME,
                           code_factory=lambda: CODES[0])


async def test_submit_is_refused_while_the_organisation_name_is_empty(tmp_path):
    """The QA case: Ctrl+R, then Ctrl+S twice, with an empty profile. It must not submit."""
    db = tmp_path / "r.db"
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await start_response(pilot)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        assert "Required before you can submit: Name of your organisation (profile)." in flat(app)
        assert "Organisation not given (required)" in screen_text(app)
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmSubmitScreen))
        text = dialog(app)
        assert "You cannot submit yet" in text
        assert "These are required and still empty: • Name of your organisation (profile)" in text
        assert "Enter: go to the first one" in text
        assert "^s Submit" not in screen_text(app)  # the footer does not offer it
        await pilot.press("ctrl+t")  # again: still refused
        await pilot.pause()
        assert isinstance(app.screen, ConfirmSubmitScreen)
        assert status(db, app.bank.id) == "draft"
        assert app.submit() is False  # and the app itself refuses, whoever asks
        assert status(db, app.bank.id) == "draft"

        await pilot.press("enter")  # go to the first missing item, with the focus in it
        await wait_for(pilot, lambda: isinstance(app.screen, ProfileScreen))
        assert isinstance(app.focused, Input) and app.focused.id == "profile-org_name"
        await type_text(pilot, "Ace")
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        assert "Required before you can submit" not in flat(app)
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmSubmitScreen))
        assert "Submit your response to Clinks?" in dialog(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ReceiptScreen))
    assert status(db, bank().id) == "submitted"


async def test_a_required_field_further_down_the_profile_gets_the_focus(tmp_path):
    the_bank = bank()
    profile = tuple(replace(f, required=True) if f.id == "region" else f for f in the_bank.profile)
    the_bank = replace(the_bank, profile=profile)
    db = tmp_path / "r.db"
    app = make_answer_app(new_store(db, the_bank), the_bank, clock=lambda: FIXED_TIME,
                          code_factory=lambda: CODES[0])
    async with app.run_test(size=SIZE) as pilot:
        await start_response(pilot)
        await type_text(pilot, "Ace")
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmSubmitScreen))
        text = dialog(app)
        assert "Name of your organisation" not in text
        assert "• Where does it mainly work? (profile)" in text
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ProfileScreen))
        await pilot.pause()
        assert isinstance(app.focused, Select) and app.focused.id == "profile-region"
        assert app.focused.region.bottom <= app.screen.region.bottom  # scrolled into view
    assert status(db, the_bank.id) == "draft"


async def test_required_question_and_field_listed_then_each_opened_in_turn(tmp_path):
    db = tmp_path / "r.db"
    app = required_mixed_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_first_section(pilot)
        await type_text(pilot, "More money")
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        assert ("Required before you can submit: Name of your organisation (profile); "
                "Q4. How confident are you about the reforms?.") in flat(app)
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmSubmitScreen))
        text = dialog(app)
        assert ("• Name of your organisation (profile) "
                "• Q4. How confident are you about the reforms?") in text
        await pilot.press("enter")  # the profile field comes first
        await wait_for(pilot, lambda: isinstance(app.screen, ProfileScreen))
        assert app.focused.id == "profile-org_name"
        await type_text(pilot, "Ace")

        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmSubmitScreen))
        text = dialog(app)
        assert "Name of your organisation" not in text
        assert "• Q4. How confident are you about the reforms?" in text
        await pilot.press("enter")  # then the question, with the focus on its options
        await wait_for(pilot, lambda: isinstance(app.screen, SectionScreen)
                       and app.screen.section.id == "detail")
        assert isinstance(app.focused, RadioSet) and app.focused.id == "editor-detail-confidence"
        await pilot.press("space")  # 1
        await wait_for(pilot, lambda: app.answers.get("detail.confidence") == "1")

        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmSubmitScreen))
        assert "Submit your response to Clinks?" in dialog(app)
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: isinstance(app.screen, ReceiptScreen))
    assert status(db, "mixed-test") == "submitted"


async def test_a_submitted_response_missing_a_required_item_is_not_resubmitted(tmp_path):
    db = tmp_path / "r.db"
    app = required_mixed_app(db)
    store = app.store
    respondent, code = store.new_respondent("mixed-test", code="HT4W-9RZB")
    store.save_profile(respondent.id, {"org_name": "   "})  # only spaces: not given
    store.save_answer(respondent.id, "detail.confidence", "3")
    store.submit(respondent.id)
    store.save_position(respondent.id, "review")
    submitted_at = store.respondent(respondent.id).submitted_at
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab")
        await type_text(pilot, code)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmSubmitScreen))
        assert "• Name of your organisation (profile)" in dialog(app)
        await pilot.press("ctrl+t")  # refused
        await pilot.pause()
        assert isinstance(app.screen, ConfirmSubmitScreen)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
    # Still the earlier submission: not resubmitted with its organisation name missing.
    assert Store(db).respondent(respondent.id).submitted_at == submitted_at


async def test_receipt_says_truthfully_what_the_code_is_for(tmp_path):
    app = make_app(tmp_path / "r.db")
    async with app.run_test(size=SIZE) as pilot:
        await start_response(pilot)
        await type_text(pilot, "Ace")
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmSubmitScreen))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ReceiptScreen))
        text = flat(app)
        assert "shown only now" not in text
        assert ("Keep it, and keep it private: it is the only way back to your response. "
                "We keep only a scrambled version of it, so we cannot tell you it if you lose it.") in text
        assert CODES[0] in text


async def test_resuming_a_submitted_response_says_changes_are_a_draft_until_submitted(tmp_path):
    db = tmp_path / "r.db"
    the_bank = bank()
    store = new_store(db, the_bank)
    respondent, code = store.new_respondent(the_bank.id, code="HT4W-9RZB")
    store.save_profile(respondent.id, {"org_name": "Ace"})
    store.save_answer(respondent.id, "localism.prime-sub-contracting", "one")
    store.submit(respondent.id)
    store.save_position(respondent.id, "question:localism.prime-sub-contracting")
    when = submitted_words(store.respondent(respondent.id).submitted_at)
    expected = (f"This response was submitted on {when}. You are changing a submitted response. Your "
                "changes are kept as a draft until you submit again; until then Clinks will use the "
                "response as you submitted it.")

    app = make_app(db)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("tab")
        await type_text(pilot, code)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SectionScreen))
        # Once, on resume, as a notice.
        await wait_for(pilot, lambda: bool(toasts(app)))
        assert toasts(app) == [f"Welcome back {expected}"]
        assert "submit again to send your changes" not in flat(app)
        # Said on the screen where the member changes it, all the time (not only in a toast).
        assert "You are changing a submitted response." in flat(app)
        # The edit is saved as the member's draft; the submitted version stays (the store's part).
        await type_text(pilot, " more")
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        after = Store(db).respondent(respondent.id)
        assert after.status == "submitted"
        assert Store(db).answers(respondent.id)["localism.prime-sub-contracting"] == "one more"
        # And in the review header, every time.
        assert expected in flat(app)
        # Not repeated by moving around.
        assert (await notices_shown(pilot)).count(f"Welcome back {expected}") <= 1
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmSubmitScreen))
        assert (f"This response was submitted before, on {when}. Submitting again sends your "
                "changes: Clinks will use this version instead.") in dialog(app)


async def test_no_toast_when_starting_and_none_over_the_receipt(tmp_path):
    app = make_app(tmp_path / "r.db")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await start_response(pilot)
        # The code is in the banner and the header; no toast over the footer.
        assert await notices_shown(pilot) == []
        text = screen_text(app)
        assert f"Your resume code is {CODES[0]}" in text
        assert f"Resume code {CODES[0]}" in text
        await type_text(pilot, "Ace")
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        app.notify("A notice still up when the member submits", timeout=60)
        await wait_for(pilot, lambda: "A notice still up when the member submits" in toasts(app))
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmSubmitScreen))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ReceiptScreen))
        assert await notices_shown(pilot) == []
        # Copying the code answers in place, not with a toast over the Save-copy field.
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: "Copied ✓ to the clipboard" in screen_text(app))
        assert await notices_shown(pilot) == []
        field = app.screen.query_one("#export-path", Input)
        assert field.region.bottom <= app.screen.query_one("Footer").region.y

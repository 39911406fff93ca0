"""Choice, multi and scale questions in the answering app: keys and mouse in, database out,
and back again on resume."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, OptionList, RadioSet, SelectionList

from consult.questions import load_bank
from consult.store import Store
from consult.tui.answer.app import make_answer_app
from consult.tui.answer.export import response_markdown
from consult.tui.answer.profile import ProfileScreen
from consult.tui.answer.review import ReviewScreen
from consult.tui.answer.section import SectionScreen
from consult.tui.answer.widgets import AnswerBox, ChoiceBox, QuestionBox, SafeTextArea

from .helpers import FIXED_TIME, screen_text, type_text, wait_for

SIZE = (80, 24)
MIXED = Path(__file__).resolve().parent.parent / "banks" / "mixed.toml"
CODE = "KX7P-3QMD"


def mixed_app(db: Path, code: str = CODE):
    bank = load_bank(MIXED)
    store = Store(db)
    store.sync_bank(bank)
    return make_answer_app(store, bank, clock=lambda: FIXED_TIME, code_factory=lambda: code)


def saved(db: Path) -> dict[str, str]:
    store = Store(db)
    [respondent] = store.respondents("mixed-test")
    return store.answers(respondent.id)


def box(app, question_id: str) -> QuestionBox:
    return next(b for b in app.screen.query(QuestionBox) if b.question.id == question_id)


def review_line(app, question_id: str) -> str:
    review = app.screen.query_one("#review-list", OptionList)
    return review.get_option(f"question:{question_id}").prompt.plain


async def test_each_kind_by_keyboard_and_mouse_then_resume(tmp_path):
    db = tmp_path / "r.db"
    bank = load_bank(MIXED)
    support = bank.question("views.support").options
    app = mixed_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")  # Start
        await wait_for(pilot, lambda: isinstance(app.screen, ProfileScreen))
        await type_text(pilot, "Ace")
        await pilot.press("pagedown")
        await wait_for(pilot, lambda: isinstance(app.screen, SectionScreen))

        # Section 1: a text question (unchanged: editor and word count), then a choice.
        await pilot.press("tab")  # from the section's context to its first question
        assert isinstance(app.focused, SafeTextArea)
        assert isinstance(box(app, "views.open"), AnswerBox)
        await type_text(pilot, "More money")
        await pilot.press("tab")
        assert isinstance(app.focused, RadioSet)
        choice = box(app, "views.support")
        assert isinstance(choice, ChoiceBox)
        assert not choice.query(".word-count")  # no word count for options
        await pilot.press("down", "down", "enter")  # the third option
        await wait_for(pilot, lambda: saved(db).get("views.support") == support[2])
        # Its markup and HTML are shown as text, not acted on.
        text = screen_text(app)
        assert "Not sure <script>alert(1)</script>" in text and "[bold]really[/]" in text
        assert "Saved ✓ 14:32:05" in text
        assert "1. Your views  2/2 ✓" in text  # the sidebar counts the choice as answered
        await pilot.press("up", "enter")  # change of mind: the second option, saved at once
        await wait_for(pilot, lambda: saved(db).get("views.support") == support[1])

        # Section 2: several options, then a scale.
        await pilot.press("pagedown")
        await wait_for(pilot, lambda: isinstance(app.screen, SectionScreen)
                       and app.screen.section.id == "detail")
        await pilot.press("enter")  # Enter on the context: the first question
        assert isinstance(app.focused, SelectionList)
        await pilot.press("space")  # Housing
        await pilot.press("down", "down", "enter")  # Mentoring
        await wait_for(pilot, lambda: saved(db).get("detail.services") == "Housing\nMentoring")
        await pilot.press("tab")
        assert isinstance(app.focused, RadioSet)
        await pilot.press("right", "right", "right", "space")  # 1 → 4
        await wait_for(pilot, lambda: saved(db).get("detail.confidence") == "4")
        await pilot.press("delete")  # clears the choice
        await wait_for(pilot, lambda: "detail.confidence" not in saved(db))
        assert "2. Details  1/2" in screen_text(app)
        # The mouse: click the "5".
        scale = box(app, "detail.confidence").editor
        await pilot.click(list(scale.children)[4])
        await wait_for(pilot, lambda: saved(db).get("detail.confidence") == "5")

        # Review shows the chosen options in words.
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        assert "4 of 4 questions answered" in screen_text(app)
        assert review_line(app, "views.support").endswith("\n    No")
        assert review_line(app, "detail.services").endswith("Housing; Mentoring")
        assert review_line(app, "detail.confidence").endswith("5 (on a scale from 1 to 5)")

        # The member's Markdown copy prints them.
        respondent = app.refresh_respondent()
        markdown = response_markdown(bank, respondent, app.answers, CODE)
        assert "### Q2. Do you support local commissioning?\n\nNo\n" in markdown
        assert "### Q3. Which services do you provide?\n\n- Housing\n- Mentoring\n" in markdown
        assert "\n5 (on a scale from 1 to 5)\n" in markdown

        # Enter on a question in the review jumps back to its options, with the focus there.
        review = app.screen.query_one("#review-list", OptionList)
        review.highlighted = review.get_option_index("question:detail.confidence")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SectionScreen))
        assert app.focused is box(app, "detail.confidence").editor
        await pilot.press("ctrl+q")

    store = Store(db)
    [respondent] = store.respondents(bank.id)
    assert store.answers(respondent.id) == {
        "views.open": "More money",
        "views.support": "No",
        "detail.services": "Housing\nMentoring",
        "detail.confidence": "5",
    }
    assert store.revisions(respondent.id, "detail.services") == ["Housing", "Housing\nMentoring"]
    assert store.revisions(respondent.id, "detail.confidence") == ["4", "", "5"]
    for question in bank.questions:
        assert question.validate_answer(store.answers(respondent.id)[question.id]) is None

    # Resume: the code brings back the section, the question and every selection.
    app = mixed_app(db, code="ZZZZ-ZZZZ")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab")
        assert isinstance(app.focused, Input)
        await type_text(pilot, CODE)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SectionScreen))
        assert app.screen.section.id == "detail"
        scale = box(app, "detail.confidence").editor
        assert app.focused is scale  # where the member left off
        assert scale.pressed_index == 4
        assert box(app, "detail.services").editor.selected == ["Housing", "Mentoring"]
        # Enter on the restored highlight keeps the answer as it was (a highlight left on the
        # first option would pick "1").
        await pilot.press("enter")
        await pilot.pause()
        assert saved(db)["detail.confidence"] == "5"

        await pilot.press("pageup")
        await wait_for(pilot, lambda: isinstance(app.screen, SectionScreen)
                       and app.screen.section.id == "views")
        assert box(app, "views.support").editor.pressed_index == 1
        assert box(app, "views.open").text == "More money"
        # Untouched on resume: nothing was re-saved.
        store = Store(db)
        [respondent] = store.respondents(bank.id)
        assert len(store.revisions(respondent.id, "views.support")) == 2


async def test_an_answer_no_longer_in_the_bank_is_kept_until_changed(tmp_path):
    db = tmp_path / "r.db"
    app = mixed_app(db)
    store = app.store
    respondent, code = store.new_respondent("mixed-test", code="HT4W-9RZB")
    store.save_answer(respondent.id, "views.support", "An option since renamed")
    store.save_answer(respondent.id, "detail.services", "Housing\nGardening")
    store.save_position(respondent.id, "question:views.support")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab")
        await type_text(pilot, code)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SectionScreen))
        support = box(app, "views.support").editor
        assert app.focused is support and support.pressed_index == -1
        await pilot.press("tab", "shift+tab", "pagedown")  # blur, focus again, move section
        await wait_for(pilot, lambda: isinstance(app.screen, SectionScreen)
                       and app.screen.section.id == "detail")
        assert box(app, "detail.services").editor.selected == ["Housing"]
        await pilot.press("tab", "tab", "ctrl+q")
    assert store.answers(respondent.id) == {"views.support": "An option since renamed",
                                            "detail.services": "Housing\nGardening"}

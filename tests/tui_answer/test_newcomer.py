"""Issue #12: what a newcomer met at 80x24, each fixed and checked as they would see it."""

from __future__ import annotations

from textual.widgets import Input, TextArea

from consult.tui.answer.help import HelpScreen
from consult.tui.answer.review import ReviewScreen
from consult.tui.answer.section import SectionScreen
from consult.tui.answer.submit import ConfirmSubmitScreen
from consult.tui.answer.ticks import TickBox

from .helpers import (
    SIZE,
    bank,
    make_app,
    new_store,
    open_first_question,
    screen_text,
    start_response,
    wait_for,
)

FIRST = "localism.prime-sub-contracting"
LONG = ("We ran a large contract with a prime provider for three years, and the payments came so "
        "late that we nearly ran out of cash twice; two smaller partners left the chain and the "
        "service to families shrank. ") * 3 + "Ending-word-zebra."


def _words(app) -> list[str]:
    return " ".join(line.strip().strip("│").strip() for line in screen_text(app).splitlines()).split()


async def _review_with_long_answer(pilot) -> None:
    app = pilot.app
    await open_first_question(pilot)
    app.focused.load_text(LONG)
    await pilot.press("ctrl+r")
    await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))


async def test_review_shows_a_long_answer_in_full_wrapped_at_80_and_120_columns(tmp_path):
    for size in (SIZE, (120, 40)):
        app = make_app(tmp_path / f"r{size[0]}.db")
        async with app.run_test(size=size) as pilot:
            await _review_with_long_answer(pilot)
            await pilot.press("home", "down")  # Q1, below the profile
            await pilot.pause()
            words = _words(app)
            text = " ".join(words)
            # Every word, in order, none broken across lines: nothing cut, wrapped between words.
            assert " ".join(LONG.split()) in text, size
            assert "…" not in text.split("Q2.")[0]


async def test_ctrl_s_saves_and_ctrl_t_submits(tmp_path):
    app = make_app(tmp_path / "r.db")
    async with app.run_test(size=SIZE) as pilot:
        await start_response(pilot)
        app.screen.query_one("#profile-org_name", Input).value = "Ace"
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        await pilot.press("ctrl+s")  # "save now" elsewhere: never submits here
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert "^t Submit" in screen_text(app)
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmSubmitScreen))


async def test_ctrl_a_selects_the_whole_answer_and_delete_clears_it(tmp_path):
    db = tmp_path / "r.db"
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_first_question(pilot)
        editor = app.focused
        editor.load_text("first line\nsecond line")
        editor.move_cursor((0, 3))
        await pilot.press("ctrl+a")
        assert editor.selected_text == "first line\nsecond line"
        await pilot.press("delete")
        assert editor.text == ""
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        from textual.widgets import Static

        text = " ".join(str(s.render()) for s in app.screen.query(Static))
        assert "Select all of an answer" in text and "Clear an answer" in text
        assert "Ctrl+T" in text and "Submit your response" in text
        await pilot.press("escape")
        await pilot.press("ctrl+q")
    store = new_store(db)
    [respondent] = store.respondents(bank().id)
    assert store.answers(respondent.id).get(FIRST, "") == ""


async def test_check_boxes_read_as_text(tmp_path):
    app = make_app(tmp_path / "r.db")
    async with app.run_test(size=(80, 60)) as pilot:
        await start_response(pilot)
        boxes = list(app.screen.query(TickBox))
        assert boxes and all(str(b.label) == "No (not ticked)" for b in boxes)
        boxes[0].focus()
        await pilot.press("space")
        await wait_for(pilot, lambda: boxes[0].value)
        assert str(boxes[0].label) == "Yes (ticked)"
        assert "[x] Yes (ticked)" in screen_text(app)
        assert [str(b.render()).strip() for b in boxes[1:]] == ["[ ] No (not ticked)"] * (len(boxes) - 1)
        assert "▐X▌" not in screen_text(app)
        the_bank = bank()
        await pilot.pause()
        store = new_store(tmp_path / "r.db")
        [respondent] = store.respondents(the_bank.id)
        assert respondent.consent[the_bank.consent[0].id] is True


async def test_sidebar_titles_can_be_told_apart_at_80_columns(tmp_path):
    app = make_app(tmp_path / "r.db")
    async with app.run_test(size=SIZE) as pilot:
        await open_first_question(pilot)
        nav = " ".join(line[1:25].strip() for line in screen_text(app).splitlines()[1:-1])
        assert "4. Involving the VCS in local service design" in " ".join(nav.split())
        assert "5. Involving the VCS in local service delivery" in " ".join(nav.split())
        assert "▶ 1. Localism" in nav  # where the member is, not by colour alone


async def test_welcome_text_scrolls_from_the_start_button_and_says_there_is_more(tmp_path):
    app = make_app(tmp_path / "r.db")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "More below" in screen_text(app)
        assert "keep it private" not in " ".join(_words(app))  # the end of the privacy text
        for _ in range(12):
            await pilot.press("pagedown")
        await wait_for(pilot, lambda: "keep it private" in " ".join(_words(app)))
        assert "More below" not in screen_text(app)
        assert app.focused.id == "start"  # the focus never moved: Enter still starts
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.started)


async def test_a_typed_letter_on_the_context_goes_into_the_first_question(tmp_path):
    app = make_app(tmp_path / "r.db")
    async with app.run_test(size=SIZE) as pilot:
        await start_response(pilot)
        await pilot.press("pagedown")
        await wait_for(pilot, lambda: isinstance(app.screen, SectionScreen))
        await pilot.press("W", "e")
        assert isinstance(app.focused, TextArea) and app.focused.text == "We"
        assert "▶ Q1." in screen_text(app)


async def test_the_help_box_scrolls_with_the_keyboard(tmp_path):
    app = make_app(tmp_path / "r.db")
    async with app.run_test(size=SIZE) as pilot:
        await open_first_question(pilot)
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert "After submitting" not in screen_text(app)  # the last part is below the fold
        await pilot.press("end")
        await wait_for(pilot, lambda: "After submitting" in screen_text(app))

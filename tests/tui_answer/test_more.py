"""Submitting, amending, the Markdown copy, the command palette and help."""

from __future__ import annotations

from textual.command import CommandList
from textual.widgets import Input

from consult.tui.answer.help import HelpScreen
from consult.tui.answer.review import ReviewScreen
from consult.tui.answer.section import SectionScreen
from consult.tui.answer.submit import ConfirmSubmitScreen, ReceiptScreen

from .helpers import (
    CODES,
    SIZE,
    bank,
    make_app,
    new_store,
    open_first_section,
    screen_text,
    start_response,
    type_text,
    wait_for,
)


async def test_submit_save_markdown_copy_then_amend_and_resubmit(tmp_path):
    db = tmp_path / "r.db"
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await start_response(pilot)
        await type_text(pilot, "Ace")
        await pilot.press("pagedown")
        await wait_for(pilot, lambda: isinstance(app.screen, SectionScreen))
        await type_text(pilot, "one")
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmSubmitScreen))
        await pilot.press("escape")  # not yet
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        assert app.respondent.status == "draft"
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmSubmitScreen))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ReceiptScreen))
        field = app.screen.query_one("#export-path", Input)
        assert field.value == f"consult-response-{CODES[0]}.md"
        target = tmp_path / "copy.md"
        field.value = str(target)
        field.focus()
        await pilot.press("enter")
        await wait_for(pilot, target.exists)
        markdown = target.read_text()
        assert "Name of your organisation: Ace" in markdown
        assert "[ ] Clinks may quote" in markdown
        assert "### Q1. What are your previous experiences" in markdown and "\none\n" in markdown
        assert markdown.count("_Not answered._") == len(bank().questions) - 1
        assert "Saved ✓" in screen_text(app)
        # Amend: back through review to Q1, change it, submit again.
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        await pilot.press("up", "enter")  # Q2 is highlighted (first unanswered): up to Q1
        await wait_for(pilot, lambda: isinstance(app.screen, SectionScreen))
        await type_text(pilot, " more")
        await pilot.press("ctrl+r", "ctrl+t")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmSubmitScreen))
        assert "submitted before" in screen_text(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ReceiptScreen))
    store = new_store(db)
    [respondent] = store.respondents(bank().id)
    assert respondent.status == "submitted"
    assert store.answers(respondent.id) == {"localism.prime-sub-contracting": "one more"}


async def test_command_palette_and_help(tmp_path):
    app = make_app(tmp_path / "r.db")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert "Ctrl+Q" in screen_text(app)
        await pilot.press("escape")
        await start_response(pilot)
        await pilot.press("ctrl+p")
        await type_text(pilot, "police")
        await wait_for(pilot, lambda: app.screen.query_one(CommandList).option_count > 0)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SectionScreen)
                       and app.screen.section.id == "police")
        await pilot.press("ctrl+p")
        await type_text(pilot, "review")
        await wait_for(pilot, lambda: app.screen.query_one(CommandList).option_count > 0)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))


async def test_word_limit_warns_but_does_not_block(tmp_path):
    from dataclasses import replace

    from consult.tui.answer.app import make_answer_app

    from .helpers import FIXED_TIME

    the_bank = bank()
    first = the_bank.sections[0]
    limited = replace(first.questions[0], word_limit=3)
    the_bank = replace(the_bank, sections=(replace(first, questions=(limited, *first.questions[1:])),
                                           *the_bank.sections[1:]))
    store = new_store(tmp_path / "r.db", the_bank)
    app = make_answer_app(store, the_bank, clock=lambda: FIXED_TIME, code_factory=lambda: CODES[0])
    async with app.run_test(size=SIZE) as pilot:
        await open_first_section(pilot)
        await type_text(pilot, "a b c")
        assert "3 / 3 words" in screen_text(app)
        await type_text(pilot, " d e")
        assert "5 / 3 words: over the limit by 2" in screen_text(app)
        await pilot.press("ctrl+q")
    [respondent] = store.respondents(the_bank.id)
    assert store.answers(respondent.id) == {limited.id: "a b c d e"}

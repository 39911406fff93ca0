"""What staff see without colour: ticks, focus, widths that follow the screen, answers first."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable

from consult.tui.browse import make_browse_app
from consult.tui.browse.question import QuestionScreen
from consult.tui.browse.respondent import RespondentScreen
from consult.tui.browse.themes import ThemesScreen
from tests.test_browse import screen_text, wait_for
from tests.test_browse_fixture import Q1, USER, populate

LONG_THEME = "Partnership working with primes and the voluntary sector"
LONG_ORG = "Greater Manchester Women's Resettlement Network"


@pytest.fixture
def app(store, bank, clock):
    populate(store, bank)
    store.load_responses(bank.id, [{"respondent": "r7", "status": "submitted",
                                    "profile": {"org_name": LONG_ORG}, "answers": {Q1: "Partners."}}])
    run = store.latest_run(bank.id)
    store.rename_theme(store.themes(run.id, Q1)[0].id, LONG_THEME, by=USER)
    return make_browse_app(store, bank, user=USER, clock=clock)


async def test_unread_and_flagged_boxes_read_ticked_or_not(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("q")
        await wait_for(pilot, lambda: isinstance(app.screen, QuestionScreen))
        await pilot.press("F")
        await pilot.pause()
        assert "[ ] Unread only" in screen_text(app) and "[ ] Flagged only" in screen_text(app)
        app.screen.query_one(DataTable).focus()
        await pilot.press("u")
        await wait_for(pilot, lambda: "[x] Unread only" in screen_text(app))
        assert "[ ] Flagged only" in screen_text(app)


async def test_focused_list_is_marked_by_a_bar_not_only_colour(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, ThemesScreen))
        await pilot.pause()
        header = next(line for line in screen_text(app).splitlines() if "Organisation" in line)
        assert header.startswith("▌") and header.count("▌") == 1  # the theme list has focus
        await pilot.press("tab")
        await pilot.pause()
        header = next(line for line in screen_text(app).splitlines() if "Organisation" in line)
        assert not header.startswith("▌") and "▌ ✓" in header  # now the answers beside it


@pytest.mark.parametrize("width", [100, 140])
async def test_columns_use_the_width(app, width):
    async with app.run_test(size=(width, 30)) as pilot:
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, ThemesScreen))
        themes = app.screen.query_one("#themes-table", DataTable)
        members = app.screen.query_one("#members-table", DataTable)
        label = themes.columns["label"].width
        org = members.columns["org"].width
        assert label >= 26 and org >= 30  # were 23 and 20 whatever the width
        await pilot.pause()
        assert LONG_THEME[:label - 1] in screen_text(app)
        await pilot.press("escape", "q")
        await wait_for(pilot, lambda: isinstance(app.screen, QuestionScreen))
        table = app.screen.query_one(DataTable)
        org = table.columns["org"].width
        assert org >= 34 and table.columns["theme"].width >= 28  # were 26 and 22
        await pilot.press("end")
        await pilot.pause()
        assert LONG_ORG[:org - 1] in screen_text(app)


async def test_columns_follow_the_terminal_when_it_is_resized(app):
    """Widened from 80 columns, the theme names and organisations show more of themselves;
    narrowed back, the columns fit again (nothing runs off the screen)."""
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, ThemesScreen))
        await pilot.pause()
        in_list = "▌ " + LONG_THEME[:30]  # the theme's row in the list (the detail shows it all)
        assert in_list not in screen_text(app)
        await pilot.resize_terminal(140, 30)
        await wait_for(pilot, lambda: in_list in screen_text(app))
        await pilot.resize_terminal(80, 30)
        await wait_for(pilot, lambda: in_list not in screen_text(app))
        assert all(len(line) <= 80 for line in screen_text(app).splitlines())
        await pilot.press("escape", "q")
        await wait_for(pilot, lambda: isinstance(app.screen, QuestionScreen))
        await pilot.press("end")
        await pilot.pause()
        in_table = "▌ " + LONG_ORG[:40]  # the answer's row (the reading pane names it in full)
        assert in_table not in screen_text(app)
        await pilot.resize_terminal(100, 30)
        await wait_for(pilot, lambda: in_table in screen_text(app))
        await pilot.press("escape", "p")
        await wait_for(pilot, lambda: isinstance(app.screen, RespondentScreen) and app.screen.rows)
        await pilot.resize_terminal(60, 30)
        await wait_for(pilot, lambda: app.screen.query_one("#respondent-table", DataTable).columns["org"].width
                       == app.screen.org_width())
        assert app.screen.org_width() == 16  # the narrowest it goes, from 56 at 100 columns


async def test_whole_response_opens_on_the_answers(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, RespondentScreen) and app.screen.rows)
        await pilot.pause()
        text = screen_text(app)
        assert "Answers (2)" in text and "Q1. What are your previous experiences" in text
        body = str(app.screen.query_one("#respondent-body").content)
        assert body.index("Answers (2)") < body.index("Profile") < body.index("Consent")

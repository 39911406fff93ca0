"""Dialogs own the keyboard from the first key, and data-changing keys ask first."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import DataTable, Input, OptionList

from consult.codebook import question_coding
from consult.tui.browse import make_browse_app
from consult.tui.browse.dialogs import ConfirmModal, InputModal, PickModal
from consult.tui.browse.question import QuestionScreen
from consult.tui.browse.themes import ThemesScreen
from consult.tui.browse.widgets import ReadingPane
from tests.test_browse import wait_for
from tests.test_browse_fixture import Q1, USER, populate


@pytest.fixture
def app(store, bank, clock):
    populate(store, bank)
    return make_browse_app(store, bank, user=USER, clock=clock)


NAMED = {" ": ("space", " "), "enter": ("enter", "\r"), "down": ("down", None), "tab": ("tab", "\t")}


def burst(app, keys) -> None:
    """Keys as a terminal delivers a fast typist's burst: all queued at once, nothing waited on
    (``pilot.press`` waits for the app to go idle after each key, which hid the bug)."""
    for key in keys:
        name, char = NAMED.get(key, (key, key))
        app.post_message(events.Key(name, char))


async def test_rename_typed_at_once_lands_in_the_dialog(app):
    """Typing a new name straight after r, as fast as the terminal delivers it: every key lands
    (the old name, shown selected, is replaced by the first)."""
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_themes(pilot)
        burst(app, ["r", *"Trust and mutual", "enter"])
        await wait_for(pilot, lambda: app.screen is screen and screen.theme().label != "Funding and payment")
        assert screen.theme().label == "Trust and mutual"


async def open_themes(pilot) -> ThemesScreen:
    await pilot.press("t")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ThemesScreen))
    return pilot.app.screen


def log(app) -> list[str]:
    return [e["action"] for e in app.store.curation_log()]


async def test_merge_keys_typed_at_once_narrow_the_choice_and_nothing_behind_moves(app):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_themes(pilot)
        burst(app, ["m", *"squeez", "down"])
        await wait_for(pilot, lambda: isinstance(app.screen, PickModal)
                       and app.screen.query_one(Input).value == "squeez")
        options = app.screen.query_one(OptionList)
        assert [options.get_option_at_index(i).prompt.plain for i in range(options.option_count)] == [
            "Small providers squeezed  1 respondent"]
        assert screen.theme().label == "Funding and payment"  # "down" did not reach the list behind
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)
    assert log(app) == []


async def test_move_keys_typed_at_once_land_in_the_dialog(app):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_themes(pilot)
        await pilot.press("tab")
        moved = screen.current().respondent_id
        burst(app, ["v", *"other", "enter"])
        await wait_for(pilot, lambda: app.screen is screen and log(app))
        assert moved in question_coding(app.store, app.bank.id, Q1).other
        assert log(app) == ["move_answer"]


async def test_move_offers_a_new_theme(app):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_themes(pilot)
        await pilot.press("tab")
        moved = screen.current().respondent_id
        await pilot.press("v")
        await wait_for(pilot, lambda: isinstance(app.screen, PickModal))
        await pilot.press(*"new", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, InputModal))
        await pilot.press(*"Late pay", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal))
        assert app.screen.message.plain == ("Move 1 answer out of ‘Funding and payment’ into a new theme "
                                            "‘Late pay’? ‘Funding and payment’ keeps 2 answers.")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is screen)
        assert screen.theme().label == "Late pay" and screen.theme().respondents == (moved,)
        await pilot.press("tab")
        head = str(screen.query_one(ReadingPane).query_one(".reading-head").content)
        assert "Themes: Late pay (main, by staff)" in head


async def test_stray_keys_change_nothing(app):
    """Single letters that would change data open a dialog that says what will happen; Esc and n
    leave everything as it was."""
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_themes(pilot)
        await pilot.press("m", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal))
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen is screen)
        await pilot.press("tab", "space", "s", *"x", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal))
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)
        await pilot.press("r", "escape")
        await wait_for(pilot, lambda: app.screen is screen)
        assert [e.label for e in screen.entries] == ["Funding and payment", "Small providers squeezed",
                                                     "Other (fits no theme)"]
    assert log(app) == []


async def test_key_quote_excerpt_is_chosen_by_sentence(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("q")
        await wait_for(pilot, lambda: isinstance(app.screen, QuestionScreen))
        burst(app, ["K", *"1-2", "enter"])  # r1's answer: two sentences
        await wait_for(pilot, lambda: app.store.quote_excerpts())
        assert app.store.quote_excerpts() == {("r1", Q1): (1, 2)}
        assert "★" in app.screen.query_one(DataTable).get_row("r1")[3].plain
        await pilot.press("K")
        await wait_for(pilot, lambda: isinstance(app.screen, InputModal))
        assert app.screen.query_one(Input).value == "1-2"
        assert " 1. As a subcontractor to a prime" in app.screen.prompt.plain
        await pilot.press(*"3", "enter")  # not a sentence of it: said, nothing changed
        await wait_for(pilot, lambda: isinstance(app.screen, QuestionScreen))
    assert app.store.quote_excerpts() == {("r1", Q1): (1, 2)}


async def test_broad_theme_nests_a_theme_under_another_and_undo_takes_it_back(app):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_themes(pilot)
        await pilot.press("down", "b")
        await wait_for(pilot, lambda: isinstance(app.screen, PickModal))
        await pilot.press(*"funding", "enter")
        await wait_for(pilot, lambda: app.screen is screen and screen.theme().parent_id is not None)
        table = screen.query_one("#themes-table", DataTable)
        assert table.get_row("t" + str(screen.theme().id))[0].plain == "  └ Small providers squeezed"
        assert "Under the broad theme Funding and payment" in str(screen.query_one("#theme-detail").content)
        await pilot.press("ctrl+z")
        await wait_for(pilot, lambda: screen.theme().parent_id is None)
    assert [a.action for a in app.store.codebook_history(app.bank.id, Q1)] == ["reparent"]


async def test_a_second_dialog_opened_from_the_first_takes_keys_typed_at_once(app):
    """Move to a new theme typed in one burst: the pick, the new name and the confirmation each
    land in their own dialog, though the second and third open only as the first closes."""
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_themes(pilot)
        await pilot.press("tab")
        moved = screen.current().respondent_id
        burst(app, ["v", *"new", "enter", *"Late pay", "enter", "enter"])
        await wait_for(pilot, lambda: app.screen is screen and log(app))
        assert screen.theme().label == "Late pay" and screen.theme().respondents == (moved,)
        assert log(app) == ["split_theme"]


async def test_the_next_dialog_right_after_one_closes_takes_keys_typed_at_once(app):
    """Rename, then describe, in one burst: nothing typed between the two reaches the list behind."""
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_themes(pilot)
        burst(app, ["r", *"Late pay", "enter", "d", *"Paid months late", "enter"])
        await wait_for(pilot, lambda: app.screen is screen and screen.theme().description)
        assert screen.theme().label == "Late pay"
        assert screen.theme().description == "Paid months late"


async def test_a_dialog_that_stays_open_takes_the_keys_after_its_enter(app):
    """Enter on an empty name rings and keeps the dialog open; the name typed next still lands
    in it (not in the list behind)."""
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_themes(pilot)
        burst(app, ["a", "enter", *"Late pay", "enter"])
        await wait_for(pilot, lambda: app.screen is screen and log(app))
        assert "Late pay" in [e.label for e in screen.entries]

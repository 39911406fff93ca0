"""The browser driven by keys in a headless terminal, on the fixture database."""

from __future__ import annotations

import time

import pytest
from rich.text import Text
from textual.command import CommandPalette
from textual.widgets import Checkbox, DataTable, Input, OptionList, Select, Static

from consult.analysis import METHOD
from consult.codebook import question_coding
from consult.store import Store
from consult.tui.browse import make_browse_app
from consult.tui.browse.dialogs import ConfirmModal, InputModal, PickModal
from consult.tui.browse.help import HelpScreen
from consult.tui.browse.overview import OverviewScreen
from consult.tui.browse.question import QuestionScreen
from consult.tui.browse.respondent import RespondentScreen
from consult.tui.browse.search import SearchScreen
from consult.tui.browse.themes import ThemesScreen
from consult.tui.browse.widgets import HIGHLIGHT, ReadingPane
from tests.screen import screen_text
from tests.test_browse_fixture import Q1, Q2, USER, many_answers, populate


@pytest.fixture
def app(store, bank, clock):
    populate(store, bank)
    return make_browse_app(store, bank, user=USER, clock=clock)


def reopen(app) -> Store:
    return Store(app.store.path)


def plain(widget: Static) -> str:
    content = widget.content
    return content.plain if isinstance(content, Text) else str(content)


def pane_text(screen) -> str:
    pane = screen.query_one(ReadingPane)
    return plain(pane.query_one(".reading-head", Static)) + "\n" + plain(pane.query_one(".reading-body", Static))


async def wait_for(pilot, condition, timeout: float = 10.0) -> None:
    """Poll ``condition`` while the app runs; fail after ``timeout`` seconds (generous: the
    machine may be busy)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout:g}s")
        await pilot.pause(0.02)


async def type_into(pilot, text: str) -> None:
    focused = pilot.app.focused
    assert isinstance(focused, Input)
    focused.value = text
    await pilot.pause()


# ---------------------------------------------------------------------- overview
async def test_overview_counts_and_breakdowns(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, OverviewScreen))
        summary = plain(app.screen.query_one("#overview-summary", Static))
        assert "6 respondents" in summary and "5 submitted" in summary and "1 draft" in summary
        assert "0 excluded" in summary and "run #1" in summary and "tfidf-kmeans" in summary
        bars = [b.items for b in app.screen.query("Bars")]
        assert ("Registered charity", 2) in bars[1]
        assert bars[0][0][1] == 6


async def test_excluded_response_leaves_the_overview(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("q")
        await wait_for(pilot, lambda: isinstance(app.screen, QuestionScreen))
        await pilot.press("down", "down", "down")  # r4, Spam Ltd
        assert app.screen.current().respondent_id == "r4"
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, InputModal))
        await type_into(pilot, "spam")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, QuestionScreen))
        assert app.screen.current().excluded
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, OverviewScreen))
        summary = plain(app.screen.query_one("#overview-summary", Static))
        assert "4 submitted" in summary and "1 excluded" in summary
        assert app.screen.query("Bars").first().items[0][1] == 5
    store = reopen(app)
    assert store.respondent("r4").excluded_reason == "spam"
    assert store.exclusion("r4")["by"] == USER


# ---------------------------------------------------------------------- by question
async def test_question_lists_answers_and_opening_marks_read(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("q")
        await wait_for(pilot, lambda: isinstance(app.screen, QuestionScreen))
        table = app.screen.query_one(DataTable)
        assert table.row_count == 6
        assert table.get_row("r3")[0].plain == "anon r3"
        assert "Funding and payment" in table.get_row("r1")[2].plain
        await pilot.press("enter")
        assert isinstance(app.focused, ReadingPane)
        assert "As a subcontractor" in pane_text(app.screen)
        await pilot.press("escape")  # back to the list, not off the screen
        assert app.focused is table
        await pilot.press("u")  # unread only
        await wait_for(pilot, lambda: table.row_count == 5)
        assert "(filtered)" in plain(app.screen.query_one("#question-count", Static))
    assert reopen(app).is_read("r1", Q1, USER)


async def test_question_flag_and_key_quote(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("q")
        await wait_for(pilot, lambda: isinstance(app.screen, QuestionScreen))
        await pilot.press("down", "k", "f")
        await wait_for(pilot, lambda: isinstance(app.screen, InputModal))
        await type_into(pilot, "Call them about [b]this[/b]")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, QuestionScreen))
        marks = app.screen.query_one(DataTable).get_row("r2")[3].plain
        assert "★" in marks and "⚑" in marks
        assert "Call them about [b]this[/b]" in pane_text(app.screen)
        await pilot.press("F")
        assert app.screen.has_class("-filters")
        app.screen.query_one("#filter-flagged", Checkbox).value = True
        await wait_for(pilot, lambda: app.screen.query_one(DataTable).row_count == 1)
    store = reopen(app)
    assert store.key_quotes(Q1) == {("r2", Q1)}
    assert store.flags(Q1) == {("r2", Q1): "Call them about [b]this[/b]"}


async def test_hostile_text_is_shown_literally(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("q")
        await wait_for(pilot, lambda: isinstance(app.screen, QuestionScreen))
        table = app.screen.query_one(DataTable)
        assert table.get_row("r2")[0].plain == "Hostile [b]Org[/]"
        await pilot.press("down", "enter")
        text = pane_text(app.screen)
        assert "[/] and [@click=app.quit]quit[/] and [link=http://evil.example]click me[/link]" in text
        assert "[bold]awful[/bold]" in text
        assert "\x1b" not in text and "\x07" not in text
        assert "[2J]0;pwned" in text  # the escape bytes are gone, the printable rest is literal
        body = app.screen.query_one(ReadingPane).query_one(".reading-body", Static).content
        assert not body.spans  # no style came from the answer's brackets
        # Clicking around the pane does not run the embedded action.
        await pilot.click(ReadingPane, offset=(10, 4))
        await pilot.pause()
        assert app.is_running
        app.save_screenshot  # noqa: B018 - rendering happened without MarkupError


async def test_next_question_with_brackets(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("q")
        await wait_for(pilot, lambda: isinstance(app.screen, QuestionScreen))
        await pilot.press("right_square_bracket")
        await wait_for(pilot, lambda: app.screen.query_one(DataTable).row_count == 3)
        assert app.screen.question_id == "localism.upscaled-or-local"


# ---------------------------------------------------------------------- search
async def test_search_finds_highlights_and_groups(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash")
        await wait_for(pilot, lambda: isinstance(app.screen, SearchScreen))
        assert isinstance(app.focused, Input)
        await pilot.press(*"local")
        await pilot.press("enter")
        results = app.screen.query_one(OptionList)
        await wait_for(pilot, lambda: results.option_count > 0)
        headers = [results.get_option_at_index(i) for i in range(results.option_count)
                   if results.get_option_at_index(i).disabled]
        assert [h.prompt.plain.split(".")[0] for h in headers] == ["Q2"]
        assert "2 answers in 1 question" in plain(app.screen.query_one("#search-status", Static))
        body = app.screen.query_one(ReadingPane).query_one(".reading-body", Static).content
        hits = [body.plain[s.start:s.end] for s in body.spans if s.style == HIGHLIGHT]
        assert hits and all(h.lower().startswith("local") for h in hits)
        # the snippet in the list is highlighted too
        first = results.get_option_at_index(1).prompt
        assert any(s.style == HIGHLIGHT for s in first.spans)
        # results of several questions come grouped, in paper order; / goes back to the query
        await pilot.press("slash")
        await type_into(pilot, "and")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "in 2 questions" in plain(app.screen.query_one("#search-status", Static)))
        headers = [results.get_option_at_index(i).prompt.plain.split(".")[0]
                   for i in range(results.option_count) if results.get_option_at_index(i).disabled]
        assert headers == ["Q1", "Q2"]


async def test_search_survives_fts_syntax_and_filters_narrow(app):
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("slash")
        await wait_for(pilot, lambda: isinstance(app.screen, SearchScreen))
        await pilot.press(*'"(-', "enter")
        status = app.screen.query_one("#search-status", Static)
        assert "Type to search" in plain(status)
        await type_into(pilot, 'contracts "( - )')
        await pilot.press("enter")
        await wait_for(pilot, lambda: "3 answers" in plain(status))
        app.screen.query_one("#filter-region", Select).value = "London"
        await wait_for(pilot, lambda: "2 answers" in plain(status))
        app.screen.query_one("#filter-org_type", Select).value = "Other"
        await wait_for(pilot, lambda: "1 answer in 1 question" in plain(status))
        assert set(app.screen.rows) == {f"r4\t{Q1}"}
        app.screen.query_one("#filter-org_type", Select).clear()
        app.screen.query_one("#filter-theme", Select).value = "Other"
        await wait_for(pilot, lambda: set(app.screen.rows) == {f"r4\t{Q1}"})


async def test_search_open_marks_read(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash")
        await wait_for(pilot, lambda: isinstance(app.screen, SearchScreen))
        await pilot.press(*"watches", "enter")
        await wait_for(pilot, lambda: app.screen.query_one(OptionList).option_count == 2)
        await pilot.press("enter")
        assert isinstance(app.focused, ReadingPane)
    assert reopen(app).is_read("r4", Q1, USER)


# ---------------------------------------------------------------------- by respondent
async def test_respondent_shows_profile_consent_and_answers_in_order(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("q")
        await wait_for(pilot, lambda: isinstance(app.screen, QuestionScreen))
        await pilot.press("down", "r")  # r2: this answer's whole response
        await wait_for(pilot, lambda: isinstance(app.screen, RespondentScreen))
        body = plain(app.screen.query_one("#respondent-body", Static))
        assert body.startswith("Hostile [b]Org[/]")
        assert "London" in body and "Under £10,000" in body
        assert "✓ Clinks may quote" in body
        assert body.index("Q1.") < body.index("Q2.")
        assert "[@click=app.quit]quit[/]" in body and "\x1b" not in body
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, InputModal))
        await type_into(pilot, "duplicate of r1")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "EXCLUDED" in plain(app.screen.query_one("#respondent-body", Static)))
        await pilot.press("x")  # restore
        await wait_for(pilot, lambda: "EXCLUDED" not in plain(app.screen.query_one("#respondent-body", Static)))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, QuestionScreen))
    assert [e["action"] for e in reopen(app).curation_log()] == ["restore", "exclude"]


# ---------------------------------------------------------------------- themes
async def open_themes(pilot):
    await pilot.press("t")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ThemesScreen))
    return pilot.app.screen


async def test_themes_rename_survives_reopen(app):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_themes(pilot)
        assert screen.query_one("#themes-table", DataTable).row_count == 3
        assert screen.query_one("#members-table", DataTable).row_count == 3
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, InputModal))
        await type_into(pilot, "Late [payment]")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is screen)
        assert screen.theme().label == "Late [payment]"
    coding = question_coding(reopen(app), "localising-justice", Q1)
    assert coding.themes[0].label == "Late [payment]" and coding.themes[0].status == "confirmed"


async def test_themes_merge_split_move_key_quote(app):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_themes(pilot)
        # merge "Small providers squeezed" into "Funding and payment", saying so first
        await pilot.press("down", "m")
        await wait_for(pilot, lambda: isinstance(app.screen, PickModal))
        await pilot.press("enter")  # the only other theme: Funding and payment
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal))
        assert app.screen.message.plain == (
            "Merge ‘Small providers squeezed’ (1 respondent) into ‘Funding and payment’ (3)? The merged theme "
            "keeps ‘Funding and payment’; ‘Small providers squeezed’ goes.")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is screen)
        assert [e.label for e in screen.entries] == ["Funding and payment", "Other (fits no theme)"]
        assert screen.theme().count == 4  # r1, r5, r2 and r6 (r3's draft is not counted)
        # split two answers off into a new theme
        await pilot.press("tab")
        assert app.focused is screen.query_one("#members-table")
        await pilot.press("space", "space")
        assert len(screen.selected) == 2
        split = sorted(screen.selected)
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, InputModal))
        await type_into(pilot, "Prime relationships")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal))
        await pilot.press("y")
        await wait_for(pilot, lambda: app.screen is screen)
        assert screen.theme().label == "Prime relationships" and screen.theme().count == 2
        # move the highlighted answer of the new theme to Other
        await pilot.press("tab")
        moved = screen.current().respondent_id
        await pilot.press("v")
        await wait_for(pilot, lambda: isinstance(app.screen, PickModal))
        await pilot.press(*"other", "enter")
        await wait_for(pilot, lambda: app.screen is screen and screen.theme().count == 1)
        remaining = screen.current().respondent_id
        await pilot.press("k")
    store = reopen(app)
    coding = question_coding(store, "localising-justice", Q1)
    assert {t.label: set(t.respondents) for t in coding.themes} == {
        "Funding and payment": {"r1", "r2", "r5", "r6"} - set(split),
        "Prime relationships": {remaining}}
    assert moved in coding.other and set(split) == {moved, remaining}
    assert all(t.status == "confirmed" for t in coding.themes)
    assert store.key_quotes(Q1) == {(remaining, Q1)}
    assert [a.action for a in store.codebook_history("localising-justice", Q1)] == ["move", "split", "merge"]
    assert {a.by for a in store.codebook_history("localising-justice", Q1)} == {USER}


# ---------------------------------------------------------------------- help, palette, esc
async def search_palette(pilot, query: str, first: str) -> None:
    """Open the command palette, type ``query`` and wait until its search has finished with the
    command starting ``first`` highlighted (the one Enter runs)."""
    await pilot.press("ctrl+p")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, CommandPalette))
    await pilot.press(*query)
    await pilot.app.workers.wait_for_complete()  # the palette's search of what was typed

    def highlighted() -> str:
        option = pilot.app.screen.query_one(OptionList).highlighted_option
        return "" if option is None else str(option.prompt)

    await wait_for(pilot, lambda: highlighted().startswith(first))


async def test_help_and_command_palette_reach_screens(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, OverviewScreen))
        await search_palette(pilot, "themes of q2", "Themes of Q2: ")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ThemesScreen))
        assert app.screen.question_id == "localism.upscaled-or-local"
        await search_palette(pilot, "themes: rename", "Themes: Rename")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, InputModal))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ThemesScreen))


async def test_nothing_is_written_by_browsing_alone(app):
    before = app.store.scalar("SELECT total_changes()")
    async with app.run_test(size=(80, 24)) as pilot:
        for key in ("q", "down", "down", "right_square_bracket", "escape", "t", "down", "escape", "p", "escape"):
            await pilot.press(key)
        await pilot.pause()
    store = reopen(app)
    assert store.scalar("SELECT count(*) FROM reads") == 0
    assert store.scalar("SELECT count(*) FROM curation_log") == 0
    assert before is not None


# ---------------------------------------------------------------------- QA pass
def said(app) -> list[str]:
    """Collect what the app tells the user (app.say) from now on."""
    messages: list[str] = []
    original = app.say

    def say(message: str, *, error: bool = False) -> None:
        messages.append(message)
        original(message, error=error)

    app.say = say
    return messages


@pytest.mark.parametrize("size", [(80, 24), (120, 30)])
async def test_themes_top_line_leaves_room_for_the_question(store, bank, clock, size):
    populate(store, bank)
    store.save_run(bank.id, method=METHOD, version="1", params={}, summary={}, themes=[
        {"question_id": Q1, "kind": "theme", "label": "Funding", "size": 5, "share": 1.0,
         "members": [{"respondent_id": r} for r in ("r1", "r2", "r4", "r5", "r6")]}])
    app = make_browse_app(store, bank, user=USER, clock=clock)
    async with app.run_test(size=size) as pilot:
        await open_themes(pilot)
        await pilot.pause()
        top = screen_text(app).splitlines()[1]
        assert "Q1. What are your previous experiences" in top
        assert "run #2" in top and "tfidf" not in top
        assert top.startswith("Question [ ] Q1.")  # the picker says what it is and its keys
        assert app.screen.query_one("#themes-select").size.width >= size[0] - 24


async def test_themes_list_hides_groups_left_empty(app):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_themes(pilot)
        await pilot.press("down", "down")  # Other: r4 alone
        assert screen.entry().key == "other" and screen.theme() is None
        await pilot.press("tab", "x")
        await wait_for(pilot, lambda: isinstance(app.screen, InputModal))
        await type_into(pilot, "spam")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is screen)
        assert [e.label for e in screen.entries] == ["Funding and payment", "Small providers squeezed"]


async def test_rename_to_a_built_in_group_is_refused_with_a_message(app):
    messages = said(app)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_themes(pilot)
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, InputModal))
        await type_into(pilot, "other")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is screen)
        assert screen.theme().label == "Funding and payment"
        assert any("built-in group" in m for m in messages)


async def test_search_shows_every_question_with_more_lines(store, bank, clock, monkeypatch):
    import consult.tui.browse.search as search_module

    monkeypatch.setattr(search_module, "LIMIT", 30)
    monkeypatch.setattr(search_module, "PAGE", 50)
    populate(store, bank)
    many_answers(store, bank)  # 123 answers to Q1 and 12 to Q2 say "contracts"
    app = make_browse_app(store, bank, user=USER, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash")
        await wait_for(pilot, lambda: isinstance(app.screen, SearchScreen))
        await type_into(pilot, "contracts")
        await pilot.press("enter")
        results = app.screen.query_one(OptionList)
        status = app.screen.query_one("#search-status", Static)
        await wait_for(pilot, lambda: "135 answers in 2 questions" in plain(status))
        options = [results.get_option_at_index(i) for i in range(results.option_count)]
        headers = [o.prompt.plain for o in options if o.disabled]
        assert [h.split(".")[0] for h in headers] == ["Q1", "Q2"]
        assert headers[0].endswith("123") and headers[1].endswith("12")
        rows = {q: sum(1 for k in app.screen.rows if k.endswith(q)) for q in (Q1, Q2)}
        assert rows == {Q1: 18, Q2: 12}  # a fair share each, Q2's spare rows to Q1
        more = [o for o in options if (o.id or "").startswith("more")]
        assert [o.prompt.plain.strip() for o in more] == ["… 105 more in Q1: Enter shows them"]
        # Enter on the "more" line: Q1 alone, 50 at a time, the last line loads the next 50
        results.focus()
        results.highlighted = options.index(more[0])
        await pilot.press("enter")
        await wait_for(pilot, lambda: "123 answers to Q1 — showing 50" in plain(status))
        assert app.screen.query_one("#filter-question", Select).value == Q1
        assert results.get_option_at_index(results.option_count - 1).id == "next"
        results.highlighted = results.option_count - 1
        await pilot.press("enter")
        await wait_for(pilot, lambda: "showing 100" in plain(status))
        results.highlighted = results.option_count - 1
        await pilot.press("enter")
        await wait_for(pilot, lambda: plain(status).splitlines()[0] == "123 answers to Q1")
        assert len(app.screen.rows) == 123
        assert results.get_option_at_index(results.option_count - 1).id != "next"


async def test_key_quote_without_quoting_consent_says_so(store, bank, clock):
    populate(store, bank)
    many_answers(store, bank, n=10, quote=False)
    app = make_browse_app(store, bank, user=USER, clock=clock)
    messages = said(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("q")
        await wait_for(pilot, lambda: isinstance(app.screen, QuestionScreen))
        await pilot.press("k")  # r1 consented
        await pilot.press("end")
        await wait_for(pilot, lambda: app.screen.current().respondent_id == "m0009")
        await pilot.press("k")
        await pilot.pause()
    assert messages[0] == "Marked as a key quote."
    assert messages[1] == ("Marked as a key quote, but the report will not quote it: the respondent did not "
                           "consent to being quoted.")
    assert reopen(app).key_quotes(Q1) == {("r1", Q1), ("m0009", Q1)}


async def test_respondents_count_find_and_end(store, bank, clock):
    populate(store, bank)
    many_answers(store, bank, n=250)
    app = make_browse_app(store, bank, user=USER, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, RespondentScreen))
        table = app.screen.query_one(DataTable)
        count = app.screen.query_one("#respondent-count", Static)
        assert plain(count) == "256 respondents"
        assert table.row_count == 100
        await pilot.press("end")
        await wait_for(pilot, lambda: table.row_count == 256 and table.cursor_row == 255)
        assert app.screen.current_id() == "r6"
        await pilot.press("home")
        assert table.cursor_row == 0 and app.screen.current_id() == "m0000"
        await pilot.press("f")
        assert app.focused is app.screen.query_one("#respondent-find", Input)
        await type_into(pilot, "hostile")
        await pilot.press("enter")
        await wait_for(pilot, lambda: table.row_count == 1)
        assert plain(count) == "1 of 256 respondents"
        assert app.focused is table and app.screen.current_id() == "r2"
        await pilot.press("f")
        await type_into(pilot, "m02")
        await wait_for(pilot, lambda: table.row_count == 50)


async def test_question_list_home_and_end(store, bank, clock):
    populate(store, bank)
    many_answers(store, bank, n=250)
    app = make_browse_app(store, bank, user=USER, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("q")
        await wait_for(pilot, lambda: isinstance(app.screen, QuestionScreen))
        table = app.screen.query_one(DataTable)
        assert table.row_count == 100
        await pilot.press("ctrl+end")
        await wait_for(pilot, lambda: table.row_count == 256 and table.cursor_row == 255)
        assert app.screen.current().respondent_id == "m0249"
        await pilot.press("ctrl+home")
        assert table.cursor_row == 0
        await pilot.press("end", "up", "home")
        assert table.cursor_row == 0


async def test_dates_are_shown_for_people(store, bank, clock):
    populate(store, bank)
    store.load_responses(bank.id, [{"respondent": "imp1", "created_at": "2010-09-27T13:43:00",
                                    "submitted_at": "2010-10-14T14:09:00", "status": "submitted",
                                    "answers": {Q1: "Imported."}}])
    app = make_browse_app(store, bank, user=USER, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, OverviewScreen))
        summary = plain(app.screen.query_one("#overview-summary", Static))
        assert "Latest submission: 14 Oct 2010 14:09" in summary and "T14:09" not in summary
        app.push_detail("respondent", respondent_id="imp1")
        await wait_for(pilot, lambda: isinstance(app.screen, RespondentScreen) and app.screen.rows)
        body = plain(app.screen.query_one("#respondent-body", Static))
        assert "started 27 Sep 2010 13:43" in body and "T13:43" not in body


async def test_enter_shows_as_open_on_lists(app):
    async with app.run_test(size=(80, 24)) as pilot:
        for key, screen_type in (("q", QuestionScreen), ("t", ThemesScreen), ("p", RespondentScreen)):
            await pilot.press(key)
            await wait_for(pilot, lambda st=screen_type: isinstance(app.screen, st))
            await pilot.pause()
            binding = app.screen.active_bindings["enter"].binding
            assert (binding.description, binding.show) == ("Open", True)
            assert "⏎ Open" in screen_text(app).splitlines()[-1]
            await pilot.press("escape")
        await pilot.press("slash")
        await wait_for(pilot, lambda: isinstance(app.screen, SearchScreen))
        await type_into(pilot, "contracts")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.focused, OptionList))
        assert app.screen.active_bindings["enter"].binding.description == "Open"


async def test_palette_has_no_colour_theme_command(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Theme" not in titles and "Quit" in titles and "Keys" in titles


def test_help_notes_have_no_line_break_mid_sentence():
    from consult.tui.browse.help import NOTES

    assert all(line.endswith(".") for line in NOTES.splitlines())

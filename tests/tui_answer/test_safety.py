"""Whatever a member types is stored exactly and shown literally, never interpreted."""

from __future__ import annotations

from textual.widgets import Input

from consult.tui.answer.review import ReviewScreen
from consult.tui.answer.section import SectionScreen

from .helpers import (
    CODES,
    SIZE,
    bank,
    make_app,
    new_store,
    screen_text,
    start_response,
    type_text,
    wait_for,
)

HOSTILE = "[/] and [@click=app.quit]x[/] and [bold]x[/bold] and \x1b]0;evil\x07 and \x1b[2J end"
SHOWN = "[/] and [@click=app.quit]x[/] and [bold]x[/bold] and ]0;evil and [2J end"


async def test_markup_and_escapes_are_stored_exactly_and_shown_literally(tmp_path):
    db = tmp_path / "r.db"
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await start_response(pilot)
        app.screen.query_one("#profile-org_name", Input).value = "[b]Org[/b] [/]"
        await pilot.press("pagedown")
        await wait_for(pilot, lambda: isinstance(app.screen, SectionScreen))
        await pilot.press("tab")  # from the section's context to the first question
        app.focused.insert(HOSTILE)  # as a paste would
        # The editor scrolls into view on its first edit; wait for that redraw, not one frame.
        await wait_for(pilot, lambda: "]0;evil" in screen_text(app))
        # In the editor: the document keeps every character, the screen gets none of the controls.
        assert app.focused.text == HOSTILE
        text = screen_text(app)
        assert "\x1b" not in text and "\x07" not in text
        assert "[@click=app.quit]x[/]" in text and "]0;evil" in text
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        text = screen_text(app)
        flat = " ".join(line.strip("│ ") for line in text.splitlines())  # the preview wraps
        assert SHOWN in flat
        assert "[b]Org[/b] [/]" in text
        assert "\x1b" not in text
        assert app.is_running  # the [@click=app.quit] did nothing

    store = new_store(db)
    [respondent] = store.respondents(bank().id)
    assert store.answers(respondent.id) == {"localism.prime-sub-contracting": HOSTILE}
    assert respondent.profile["org_name"] == "[b]Org[/b] [/]"

    # Resumed: the editor holds the raw answer (nothing lost on the next save), shown cleanly.
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab")
        await type_text(pilot, CODES[0])
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))  # where it was left
        assert "[@click=app.quit]x[/]" in screen_text(app)
        await pilot.press("up", "enter")  # Q2 (first unanswered) is highlighted: up to Q1
        await wait_for(pilot, lambda: isinstance(app.screen, SectionScreen))
        editor = app.screen.query_one("#editor-localism-prime-sub-contracting")
        assert editor.text == HOSTILE
        text = screen_text(app)
        assert "\x1b" not in text and "[@click=app.quit]x[/]" in text
        editor.focus()
        await pilot.press("end")
        await type_text(pilot, "!")
        await pilot.press("ctrl+q")
    assert store.answers(respondent.id)["localism.prime-sub-contracting"] == HOSTILE + "!"

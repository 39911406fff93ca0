"""QA findings: typing a code on the welcome screen, Save copy never overwriting unasked, and the
review screen showing the whole profile and the consent choices."""

from __future__ import annotations

from textual.widgets import Button, Input, OptionList, Static

from consult.tui.answer.profile import ProfileScreen
from consult.tui.answer.review import ReviewScreen
from consult.tui.answer.section import SectionScreen
from consult.tui.answer.submit import ConfirmSubmitScreen, ReceiptScreen
from consult.tui.answer.welcome import CODE_IN_BOX, WRONG_CODE, WelcomeScreen

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

RETURNING = "FNUN-R3KE"


def _returning_member(db):
    """A store holding one draft response with the code FNUN-R3KE, left in section 2."""
    the_bank = bank()
    store = new_store(db, the_bank)
    respondent, code = store.new_respondent(the_bank.id, code=RETURNING)
    store.save_answer(respondent.id, "police.compact-principles", "mine")
    store.save_position(respondent.id, "section:police")
    return store, respondent


def _code_field(app) -> Input:
    return app.screen.query_one("#code", Input)


def _message(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


# ---------------------------------------------------------------------------------- 1. welcome
async def test_typing_a_code_with_focus_on_start_resumes(tmp_path):
    """The QA case: the member just types ``fnun r3ke`` and Enter while Start has the focus."""
    db = tmp_path / "r.db"
    store, respondent = _returning_member(db)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, WelcomeScreen)
        assert app.focused is app.screen.query_one("#start", Button)
        await pilot.press("f")
        assert app.focused is _code_field(app)  # the first letter went into the box
        await type_text(pilot, "nun r3ke")
        assert _code_field(app).value == "fnun r3ke"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SectionScreen))
        assert app.screen.section.id == "police"
        assert app.respondent.id == respondent.id
        assert app.code == RETURNING
    assert [r.id for r in store.respondents(bank().id)] == [respondent.id]  # no new draft


async def test_letters_go_to_the_code_box_from_anywhere_on_the_welcome_screen(tmp_path):
    app = make_app(tmp_path / "r.db")
    async with app.run_test(size=SIZE) as pilot:
        app.screen.query_one("#welcome-text").focus()  # the scrolling introduction
        await pilot.pause()
        await pilot.press("K", "x")
        assert app.focused is _code_field(app)
        assert _code_field(app).value == "Kx"
        await pilot.press("shift+tab")  # back to Start, with text in the box
        assert app.focused is app.screen.query_one("#start", Button)
        await pilot.press("7")
        assert app.focused is _code_field(app)
        assert _code_field(app).value == "Kx7"  # added at the end, not replacing the box
        app.screen.query_one("#resume", Button).focus()
        await pilot.pause()
        await pilot.press("p")
        assert _code_field(app).value == "Kx7p"
        assert isinstance(app.screen, WelcomeScreen)
    assert new_store(tmp_path / "r.db").respondents(bank().id) == []


async def test_start_keys_do_not_start_while_a_code_is_in_the_box(tmp_path):
    db = tmp_path / "r.db"
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        start = app.screen.query_one("#start", Button)
        await type_text(pilot, "zzzz")
        await pilot.press("shift+tab")
        assert app.focused is start
        await pilot.press("enter")  # resumes (and this code is wrong): never a new response
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
        assert WRONG_CODE in _message(app, "#code-message")
        start.focus()
        await pilot.pause()
        await pilot.press("space")  # a stray space goes into the box
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
        assert _code_field(app).value == "zzzz "
        await pilot.press("ctrl+o")  # nor Ctrl+O while the box has text
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
        assert CODE_IN_BOX in _message(app, "#code-message")
        assert new_store(db).respondents(bank().id) == []
        # Emptied, the box no longer stops Start: Space on the button starts a new response.
        _code_field(app).value = ""
        start.focus()
        await pilot.pause()
        await pilot.press("space")
        await wait_for(pilot, lambda: isinstance(app.screen, ProfileScreen))
        assert app.code == CODES[0]


async def test_enter_on_start_with_an_empty_box_still_starts(tmp_path):
    app = make_app(tmp_path / "r.db")
    async with app.run_test(size=SIZE) as pilot:
        await start_response(pilot)
        assert app.code == CODES[0]


async def test_pasting_a_code_with_focus_on_start_puts_it_in_the_box(tmp_path):
    db = tmp_path / "r.db"
    _store, respondent = _returning_member(db)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        app.screen.post_message(_paste("fnun-r3ke\n"))
        await wait_for(pilot, lambda: _code_field(app).value == "fnun-r3ke")
        assert app.focused is _code_field(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SectionScreen))
        assert app.respondent.id == respondent.id


def _paste(text: str):
    from textual.events import Paste

    return Paste(text)


# ---------------------------------------------------------------------------------- 2. save copy
async def _to_receipt(pilot) -> None:
    app = pilot.app
    await start_response(pilot)
    await type_text(pilot, "Ace")
    await pilot.press("ctrl+r")
    await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
    await pilot.press("ctrl+t")
    await wait_for(pilot, lambda: isinstance(app.screen, ConfirmSubmitScreen))
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, ReceiptScreen))


async def _click(pilot, button: Button) -> None:
    """Click a button (a button ignores clicks during its short "pressed" effect)."""
    await wait_for(pilot, lambda: not button.has_class("-active"))
    await pilot.click(button)
    await pilot.pause()


async def test_save_copy_goes_to_a_new_file_only(tmp_path, monkeypatch):
    """Issue #11: entering the database's own name and pressing Save twice replaced it. Now an
    existing file, a folder and the database (and its -wal/-shm) are refused, every time."""
    import os
    import sqlite3
    import stat

    monkeypatch.chdir(tmp_path)
    readme = tmp_path / "README.md"
    readme.write_text("keep me\n")
    other_db = tmp_path / "victim.db"
    with sqlite3.connect(other_db) as conn:
        conn.execute("CREATE TABLE t (x)")
    victim = other_db.read_bytes()
    db = tmp_path / "r.db"
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await _to_receipt(pilot)
        field = app.screen.query_one("#export-path", Input)
        save = app.screen.query_one("#save-copy", Button)
        for name, why in [("README.md", "README.md already exists"),
                          ("victim.db", "victim.db is a database"),
                          ("r.db", "r.db is part of a database"),
                          ("r.db-wal", "r.db-wal is part of a database"),
                          ("r.db-shm", "r.db-shm is part of a database"),
                          ("elsewhere.db-journal", "is part of a database")]:
            field.value = name
            for _ in range(2):  # pressing Save again never changes the answer
                await _click(pilot, save)
                await pilot.pause()
                assert why in _message(app, "#export-message"), name
                assert "Not saved" in _message(app, "#export-message")
        assert readme.read_text() == "keep me\n"
        assert other_db.read_bytes() == victim
        assert not (tmp_path / "elsewhere.db-journal").exists()
        assert new_store(db).respondents(bank().id)  # still a working database
        # A new name is written at once, readable by its owner only.
        field.value = "fresh.md"
        await _click(pilot, save)
        await wait_for(pilot, (tmp_path / "fresh.md").exists)
        assert "Name of your organisation: Ace" in (tmp_path / "fresh.md").read_text()
        assert stat.S_IMODE(os.stat(tmp_path / "fresh.md").st_mode) == 0o600
        assert "Saved ✓" in _message(app, "#export-message")
        # ...and only once: the same name again is refused.
        await _click(pilot, save)
        await pilot.pause()
        assert "fresh.md already exists" in _message(app, "#export-message")
        # A folder is never a target.
        (tmp_path / "folder").mkdir()
        field.value = "folder"
        await _click(pilot, save)
        await pilot.pause()
        assert "folder is a folder" in _message(app, "#export-message")
        assert list((tmp_path / "folder").iterdir()) == []
        assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


async def test_the_default_copy_name_is_a_free_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / f"consult-response-{CODES[0]}.md").write_text("an earlier copy\n")
    app = make_app(tmp_path / "r.db")
    async with app.run_test(size=SIZE) as pilot:
        await _to_receipt(pilot)
        assert app.screen.query_one("#export-path", Input).value == f"consult-response-{CODES[0]}-2.md"


# ---------------------------------------------------------------------------------- 3. review
async def test_review_shows_every_profile_answer_and_the_consent_choices(tmp_path):
    db = tmp_path / "r.db"
    the_bank = bank()
    store = new_store(db, the_bank)
    respondent, code = store.new_respondent(the_bank.id, code=RETURNING)
    store.save_profile(respondent.id, {
        "org_name": "[bold]Ace[/bold] \x1b[2J Trust",
        "org_type": the_bank.profile[1].options[0],
        "areas": [the_bank.profile[4].options[0], the_bank.profile[4].options[7]],
        "contact_name": "Jo Bloggs",
        "contact_email": "jo@ace.org.uk",
    })
    store.save_consent(respondent.id, {"quote": True, "name": False, "contact": True})
    app = make_app(db)
    async with app.run_test(size=(120, 50)) as pilot:
        await type_text(pilot, "fnun r3ke")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SectionScreen))
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        review = app.screen.query_one("#review-list", OptionList)
        prompt = str(review.get_option("profile").prompt)
        assert "Name of your organisation: [bold]Ace[/bold] [2J Trust" in prompt  # as typed, ESC dropped
        assert "\x1b" not in prompt
        assert f"What kind of organisation is it? {the_bank.profile[1].options[0]}" in prompt
        assert (f"Areas of work (choose all that apply): {the_bank.profile[4].options[0]}; "
                f"{the_bank.profile[4].options[7]}") in prompt
        assert "Contact name (optional, never published): Jo Bloggs" in prompt
        assert "Contact email (optional, never published): jo@ace.org.uk" in prompt
        assert "Annual income" not in prompt and "Where does it mainly work" not in prompt
        assert "Consent:" in prompt
        given = {"quote": "Yes", "name": "No ", "contact": "Yes"}
        for item in the_bank.consent:
            assert f"{given[item.id]}  {item.text}" in prompt
        text = screen_text(app)
        assert "[bold]Ace[/bold]" in text and "Jo Bloggs" in text
        assert "Yes  Clinks may quote" in text and "No   Clinks may name" in text


async def test_review_profile_part_when_nothing_is_given(tmp_path):
    the_bank = bank()
    app = make_app(tmp_path / "r.db")
    async with app.run_test(size=(120, 40)) as pilot:
        await start_response(pilot)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        prompt = str(app.screen.query_one("#review-list", OptionList).get_option("profile").prompt)
        assert "⚠ Organisation not given (required)" in prompt
        for item in the_bank.consent:
            assert f"No   {item.text}" in prompt

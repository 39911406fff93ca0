"""Issue #11: a save the database refuses never loses text.

The app keeps the text on screen, says plainly what is wrong and that it retries, retries by
itself, keeps a recovery copy only the owner can read, and quits with a non-zero status if the
member leaves while something is still not saved.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat

from textual.widgets import Static

from consult.tui.answer.section import SectionScreen
from consult.tui.answer.widgets import SaveIndicator

from .helpers import SIZE, bank, make_app, new_store, open_first_question, screen_text, wait_for

FIRST = "localism.prime-sub-contracting"


def _problem(app) -> str:
    bars = app.screen.query("#save-problem")
    return str(bars.first(Static).render()) if bars else ""


def _flat(app) -> str:
    """The screen's text without spaces or line breaks (a long path wraps)."""
    return "".join(screen_text(app).split())


def _recovery_files(folder) -> list:
    return sorted(folder.glob("consult-recovery-*.json"))


async def test_a_locked_database_keeps_the_text_says_so_retries_and_saves(tmp_path):
    db = tmp_path / "r.db"
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_first_question(pilot)
        editor = app.focused
        # Another program (a large import) holds the write lock.
        blocker = sqlite3.connect(db, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")
        editor.insert("Kept while the database is busy")
        await wait_for(pilot, lambda: "NOT SAVED YET" in _problem(app))
        assert "the database is busy" in _problem(app)
        assert "tries again every 3 seconds" in _problem(app)
        assert app.is_running
        assert editor.text == "Kept while the database is busy"  # still on screen
        assert "Not saved yet" in str(app.screen.query_one(SaveIndicator).render())
        # A recovery copy, readable by the owner only, named on screen.
        [copy] = _recovery_files(tmp_path)
        assert stat.S_IMODE(os.stat(copy).st_mode) == 0o600
        await wait_for(pilot, lambda: str(copy) in _flat(app))
        assert json.loads(copy.read_text())["answers"][FIRST] == "Kept while the database is busy"
        # More typing while it is refused is kept too, and the copy follows it.
        editor.insert("!")
        await wait_for(pilot, lambda: json.loads(copy.read_text())["answers"].get(FIRST, "")
                       .endswith("busy!"), timeout=8)
        # The lock goes away: the app saves by itself, says so, and removes the copy.
        blocker.execute("ROLLBACK")
        blocker.close()
        await wait_for(pilot, lambda: not app.pending, timeout=10)
        await wait_for(pilot, lambda: not app.screen.query("#save-problem"))
        assert "Saved ✓" in str(app.screen.query_one(SaveIndicator).render())
        assert _recovery_files(tmp_path) == []
        await pilot.press("ctrl+q")
    assert app.return_code == 0
    store = new_store(db)
    [respondent] = store.respondents(bank().id)
    assert store.answers(respondent.id) == {FIRST: "Kept while the database is busy!"}


class Fault:
    """A store method that fails like SQLite would, until it is mended."""

    def __init__(self, real, message: str) -> None:
        self.real, self.message, self.broken = real, message, True

    def __call__(self, *args, **kwargs):
        if self.broken:
            raise sqlite3.OperationalError(self.message)
        return self.real(*args, **kwargs)


def _failing(message: str):
    def fail(*args, **kwargs):
        raise sqlite3.OperationalError(message)
    return fail


async def test_a_full_disk_at_quit_leaves_a_private_copy_and_a_failing_exit_status(tmp_path,
                                                                                    monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    db = tmp_path / "r.db"
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_first_question(pilot)
        # The fault comes through the app's own store: every answer save fails as on a full disk.
        monkeypatch.setattr(app.store, "save_answer", _failing("database or disk is full"))
        app.focused.insert("Typed onto a full disk")
        await wait_for(pilot, lambda: "the disk is full" in _problem(app))
        await pilot.press("ctrl+q")
    assert app.return_code == 1
    [copy] = _recovery_files(tmp_path)
    assert stat.S_IMODE(os.stat(copy).st_mode) == 0o600
    saved = json.loads(copy.read_text())
    assert saved["answers"][FIRST] == "Typed onto a full disk"
    assert saved["not_saved"] == [f"answer:{FIRST}"]
    farewell = " ".join(app.farewell_lines)
    assert "could not save your latest answers: the disk is full" in farewell
    assert str(copy) in farewell and "only you can read it" in farewell
    assert "KX7P-3QMD" in farewell


async def test_when_the_databases_folder_refuses_the_copy_goes_to_the_members_data_folder(
        tmp_path, monkeypatch):
    data = tmp_path / "data"
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    db = tmp_path / "r.db"
    app = make_app(db)
    import consult.tui.answer.saving as saving

    real = saving.write_private

    def no_db_folder(path, text, *, replace):
        if path.parent == tmp_path:
            raise PermissionError(13, "Permission denied")
        return real(path, text, replace=replace)

    monkeypatch.setattr(saving, "write_private", no_db_folder)
    async with app.run_test(size=SIZE) as pilot:
        await open_first_question(pilot)
        monkeypatch.setattr(app.store, "save_answer", _failing("attempt to write a readonly database"))
        app.focused.insert("Read-only")
        await wait_for(pilot, lambda: "read-only" in _problem(app))
        [copy] = _recovery_files(data / "consult" / "recovery")
        await wait_for(pilot, lambda: str(copy) in _flat(app))
        assert stat.S_IMODE(os.stat(copy.parent).st_mode) == 0o700
        assert stat.S_IMODE(os.stat(copy).st_mode) == 0o600


async def test_a_refused_profile_is_not_shown_stale_after_moving_on(tmp_path, monkeypatch):
    """The profile the member typed stays what every screen shows while it is not stored."""
    from textual.widgets import Input

    from .helpers import start_response

    db = tmp_path / "r.db"
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await start_response(pilot)
        fault = Fault(app.store.save_profile, "database is locked")
        monkeypatch.setattr(app.store, "save_profile", fault)
        app.screen.query_one("#profile-org_name", Input).value = "Ace Trust"
        await wait_for(pilot, lambda: "busy" in _problem(app))
        await pilot.press("pagedown")
        await wait_for(pilot, lambda: isinstance(app.screen, SectionScreen))
        await wait_for(pilot, lambda: "busy" in _problem(app))  # the notice follows the member
        await pilot.press("pageup")
        await wait_for(pilot, lambda: app.screen.query("#profile-org_name"))
        assert app.screen.query_one("#profile-org_name", Input).value == "Ace Trust"
        fault.broken = False
        await wait_for(pilot, lambda: not app.pending, timeout=10)  # retried by itself
    store = new_store(db)
    [respondent] = store.respondents(bank().id)
    assert respondent.profile == {"org_name": "Ace Trust"}


async def test_tabbing_through_an_editor_leaves_a_stored_answer_alone(tmp_path):
    """Issue #11: an answer holding \\x0b (or \\r\\n, U+2028) came back from the editor with \\n
    in its place, and merely tabbing through rewrote it and added a revision."""
    db = tmp_path / "r.db"
    the_bank = bank()
    store = new_store(db, the_bank)
    respondent, _ = store.new_respondent(the_bank.id, code="FNUN-R3KE")
    stored = "one\x0btwo\r\nthree\u2028four"
    store.save_answer(respondent.id, FIRST, stored)
    store.save_position(respondent.id, f"question:{FIRST}")
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        from .helpers import type_text

        await type_text(pilot, "fnun r3ke")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SectionScreen))
        await pilot.press("tab", "tab", "shift+tab", "tab")
        await pilot.press("ctrl+s")
        await pilot.press("ctrl+q")
    assert store.answers(respondent.id)[FIRST] == stored
    assert store.revisions(respondent.id, FIRST) == [stored]


async def test_editing_an_answer_keeps_its_other_line_breaks_and_controls(tmp_path):
    """Editing (typing, pasting) an answer holding \\x0b, \\x0c, \\r\\n or U+2028 stores what the
    member typed around them, and them as they were: the editor breaks lines at \\n only and
    draws the others as nothing (they never reach the terminal)."""
    from textual import events

    from consult.tui.answer.widgets import SafeTextArea

    from .helpers import screen_raw, type_text

    db = tmp_path / "r.db"
    the_bank = bank()
    store = new_store(db, the_bank)
    respondent, _ = store.new_respondent(the_bank.id, code="FNUN-R3KE")
    stored = "one\x0btwo\r\nthree\u2028four\x0cfive\x1csix\x85seven\rend"
    store.save_answer(respondent.id, FIRST, stored)
    store.save_position(respondent.id, f"question:{FIRST}")
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "fnun r3ke")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SectionScreen))
        editor = app.focused
        assert isinstance(editor, SafeTextArea) and editor.text == stored
        await type_text(pilot, " more")
        app.post_message(events.Paste(" pasted\x0bline"))  # as the terminal delivers a paste
        await wait_for(pilot, lambda: editor.text.endswith("line"))
        raw = screen_raw(app)
        assert "one" in raw and not any(c in raw for c in "\x0b\x0c\x1c\x85\u2028\r")
        await pilot.press("ctrl+s")
        await pilot.press("ctrl+q")
    assert store.answers(respondent.id)[FIRST] == stored + " more pasted\x0bline"

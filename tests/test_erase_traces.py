"""Erasure after real work: the demo consultation analysed, staff curation on the erased
respondent's answer (moves, a key quote, a flag, undo), then `consult erase`. Nothing of the
respondent is left in the database file or its WAL, the rest is intact, and an old undo of an
action about their answer says it cannot bring it back."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.widgets import Static

from consult.cli import cli
from consult.codebook import question_coding
from consult.questions import default_bank_path, load_bank
from consult.store import Store
from consult.tui.browse import make_browse_app
from consult.tui.browse.overview import OverviewScreen
from consult.tui.browse.question import QuestionScreen
from tests.test_browse import plain, wait_for

Q = "delivery.payment-by-results"
CID = "localising-justice"
USER = "clinks-staff"
ANSWER = ("Payment by results would close our Quokkaville hostel: cash flow is the problem, and the "
          "Zanzibarian trustees cannot cover a year of outcome payments in arrears.")
AMENDED = ANSWER + " Ottoline Fairweather-Pemberton says the same."
NOTE = "Call Ottoline about the Quokkaville hostel"
ORG = "Quokkaville Reentry Trust"
# Words only the erased respondent wrote (their porter stems too: the search index holds those).
DISTINCTIVE = ("Quokkaville", "quokkavil", "Zanzibarian", "zanzibarian", "Ottoline", "ottolin",
               "Fairweather", "fairweath", "Pemberton", "pemberton", "Reentry")
SUBCOMMANDS = ("move", "rename", "undo", "history", "set")
pytestmark = pytest.mark.slow


def consult(db: Path, *args: str, ok: bool = True):
    at = 2 if args[0] in ("themes", "quotes") and len(args) > 1 and args[1] in SUBCOMMANDS else 1
    result = CliRunner().invoke(cli, [*args[:at], "--db", str(db), *args[at:]])
    if ok:
        assert result.exit_code == 0, result.output
    return result


def files(db: Path) -> bytes:
    """Every byte on disk of the database: the file and its WAL (the -shm holds page numbers)."""
    return b"".join(p.read_bytes() for p in (db, Path(f"{db}-wal")) if p.exists())


def traces(db: Path, rid: str) -> list[str]:
    data = files(db)
    return [word for word in (rid, *DISTINCTIVE) if word.encode() in data or word.lower().encode() in data]


def theme_of(db: Path, rid: str) -> str:
    found = json.loads(consult(db, "themes", "--question", Q, "--json").output)
    return next(t["label"] for t in found if rid in t["primary"])


def others(db: Path, rid: str) -> tuple:
    """Everything of everyone else that erasure must leave as it was."""
    conn = sqlite3.connect(db)
    try:
        answers = conn.execute("SELECT respondent_id, question_id, text FROM answers WHERE respondent_id != ?"
                               " ORDER BY 1, 2", (rid,)).fetchall()
        codings = conn.execute("SELECT respondent_id, theme_id, source, is_primary FROM codings WHERE"
                               " respondent_id != ? ORDER BY 1, 2, 3", (rid,)).fetchall()
        themes = conn.execute("SELECT id, label, status, deleted FROM codebook_themes ORDER BY id").fetchall()
        actions = conn.execute("SELECT count(*) FROM codebook_actions").fetchone()
        return answers, codings, themes, actions
    finally:
        conn.close()


@pytest.fixture
def curated(tmp_path):
    """The demo, a respondent with a distinctive answer, a run, and staff work on that answer."""
    db = tmp_path / "demo.db"
    consult(db, "demo")
    store = Store(db)
    member, _ = store.new_respondent(CID)
    store.save_profile(member.id, {"org_name": ORG, "contact_name": "Ottoline Fairweather-Pemberton"})
    store.save_consent(member.id, {"quote": True, "name": True, "contact": True})
    store.save_answer(member.id, Q, ANSWER)
    store.submit(member.id)
    store.save_answer(member.id, Q, AMENDED)  # an edit after submitting: a draft of it, and the sent one
    store.close()
    consult(db, "analyse", "--question", Q, "-q")
    rid = member.id
    found = json.loads(consult(db, "themes", "--question", Q, "--json").output)
    first = theme_of(db, rid)
    elsewhere = next(t["label"] for t in found if t["label"] != first)
    consult(db, "themes", "move", Q, rid, elsewhere, "--user", USER)          # kept: undo it after erasure
    consult(db, "quotes", "set", rid, Q, "--sentences", "1", "--user", USER)
    consult(db, "themes", "rename", Q, elsewhere, "Cash and hostels", "--user", USER)
    consult(db, "themes", "move", Q, rid, "other", "--user", USER)
    consult(db, "themes", "undo", "--user", USER)                              # undoes the move to Other
    store = Store(db)
    store.flag_answer(rid, Q, NOTE, by=USER)
    store.mark_read(rid, Q, by=USER)
    store.close()
    assert theme_of(db, rid) == "Cash and hostels"
    return db, rid


def test_erase_leaves_no_trace_in_the_file_or_wal_and_keeps_the_rest(curated):
    db, rid = curated
    assert set(traces(db, rid)) >= {rid, "Quokkaville", "quokkavil", "Ottoline"}  # the test can fail
    before = others(db, rid)

    result = consult(db, "erase", rid, "--yes", "--by", USER)
    assert "compacted" in result.output

    assert traces(db, rid) == []
    assert others(db, rid) == before
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()

    shown = consult(db, "themes", "--question", Q).output
    assert "Cash and" in shown and rid not in shown and "Quokkaville" not in shown
    out = db.parent / "report.html"
    consult(db, "report", "--out", str(out), "-q")
    assert "Quokkaville" not in out.read_text() and "Cash and hostels" in out.read_text()


def test_undo_of_an_action_about_an_erased_answer_says_so_and_brings_nothing_back(curated):
    db, rid = curated
    consult(db, "erase", rid, "--yes", "--by", USER)
    renamed = consult(db, "themes", "undo", "--user", USER).output   # the rename: nothing erased in it
    assert "renamed" in renamed and "erased" not in renamed
    moved = consult(db, "themes", "undo", "--user", USER)            # the move of the erased answer
    assert "cannot be undone" in moved.output and "erased" in moved.output, moved.output
    assert rid not in moved.output and "Traceback" not in moved.output
    store = Store(db)
    assert store.respondent(rid) is None
    assert rid not in {r for t in question_coding(store, CID, Q).themes for r in t.respondents}
    assert store.scalar("SELECT count(*) FROM codings WHERE respondent_id = ?", (rid,)) == 0
    history = consult(db, "themes", "history", "--question", Q).output
    assert rid not in history
    store.close()
    assert traces(db, rid) == []


async def test_browse_opens_and_lists_the_rest_after_erasure(curated):
    db, rid = curated
    total = Store(db).scalar("SELECT count(*) FROM respondents")
    consult(db, "erase", rid, "--yes", "--by", USER)
    store = Store(db)
    app = make_browse_app(store, load_bank(default_bank_path()), user=USER)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, OverviewScreen))
        assert f"{total - 1} respondents" in plain(app.screen.query_one("#overview-summary", Static))
        await pilot.press("q")
        await wait_for(pilot, lambda: isinstance(app.screen, QuestionScreen))
        assert app.screen.current() is not None and app.screen.current().respondent_id != rid

"""A real `consult answer` in a terminal: what it says and its exit status when it quits."""

from __future__ import annotations

import re
import shlex
import sqlite3
import sys

import pytest

from consult.questions import bank_folder, load_bank

from .helpers import bank, new_store
from .test_kill import _command, _poll, run_in_pty

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")


def test_quitting_with_an_answer_the_database_refuses_exits_non_zero_and_says_where_it_is(
        tmp_path):
    db = tmp_path / "responses.db"
    the_bank = bank()
    store = new_store(db, the_bank)
    with run_in_pty(_command(db), tmp_path) as term:
        _poll(lambda: b"Start a new response" in term.screen, 20, "the welcome screen")
        term.write(b"\r")
        _poll(lambda: len(store.respondents(the_bank.id)) == 1, 10, "a new response")
        [respondent] = store.respondents(the_bank.id)
        term.write(b"\x1b[6~")  # PageDown: the first section
        _poll(lambda: store.respondent(respondent.id).position == "section:localism", 10,
              "the first section")
        blocker = sqlite3.connect(db, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")  # a long import holds the lock
        try:
            term.write(b"Locked out")
            _poll(lambda: list(tmp_path.glob("consult-recovery-*.json")), 10, "a recovery copy")
            term.write(b"\x11")  # Ctrl+Q
            status = term.wait(20)
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
    assert status == 1
    [copy] = tmp_path.glob("consult-recovery-*.json")
    said = term.screen.decode("utf-8", "replace")
    assert "could not save your latest answers" in said
    assert str(copy) in said.replace("\r\n", "")
    assert "Locked out" in copy.read_text()


def test_quitting_prints_the_resume_code_and_how_to_come_back(tmp_path):
    db = tmp_path / "responses.db"
    the_bank = bank()
    store = new_store(db, the_bank)
    with run_in_pty(_command(db), tmp_path) as term:
        _poll(lambda: b"Start a new response" in term.screen, 20, "the welcome screen")
        term.write(b"\r")
        _poll(lambda: len(store.respondents(the_bank.id)) == 1, 10, "a new response")
        term.write(b"\x11")  # Ctrl+Q
        status = term.wait(20)
    assert status == 0
    said = term.screen.decode("utf-8", "replace")
    tail = said[said.rfind("Your resume code is"):]
    assert "Your resume code is " in tail
    assert f"consult answer --db {db}" in tail.replace("\r\n", "")


def _said_come_back(term) -> str:
    """The command the farewell tells the member to run."""
    said = term.screen.decode("utf-8", "replace").replace("\r\n", "")
    return re.search(r"To come back, run `(.+?)` and type the code", said).group(1)


def test_the_come_back_command_reopens_the_consultation_it_was_started_on(tmp_path):
    """Started with --db (a name a shell would split) and --consultation on a database holding
    two consultations, the farewell gives both back, quoted; running it opens that consultation."""
    db = tmp_path / "Ann's responses.db"
    example = load_bank(bank_folder() / "example-payment-by-results.toml")
    new_store(db, bank())
    store = new_store(db, example)
    argv = _command(db) + ["--consultation", example.id]
    with run_in_pty(argv, tmp_path) as term:
        _poll(lambda: b"Start a new response" in term.screen, 20, "the welcome screen")
        term.write(b"\r")
        _poll(lambda: len(store.respondents(example.id)) == 1, 10, "a new response")
        term.write(b"\x11")  # Ctrl+Q
        assert term.wait(20) == 0
    again = _said_come_back(term)
    assert shlex.split(again) == ["consult", "answer", "--db", str(db), "--consultation", example.id]
    with run_in_pty(argv[:1] + shlex.split(again)[1:], tmp_path) as term:
        _poll(lambda: b"Start a new response" in term.screen, 20, "the welcome screen again")
        assert b"Payment by results" in term.screen
        term.write(b"\x11")
        assert term.wait(20) == 0

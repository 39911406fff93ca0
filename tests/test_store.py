"""The store keeps every answer, under several writers and across a crash."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import sqlite_utils

from consult.store import Store, StoreError
from consult.store.responses import CODE_ALPHABET


def test_answer_is_stored_exactly_with_history(store, bank):
    respondent, _ = store.new_respondent(bank.id)
    hostile = "[/] [@click=app.quit]x[/] \x1b]0;evil\x07 \x1b[2J café ✨\n\tend"
    store.save_answer(respondent.id, "police.engagement", "first")
    store.save_answer(respondent.id, "police.engagement", hostile)
    store.save_answer(respondent.id, "police.engagement", hostile)  # unchanged: no new revision
    assert store.answers(respondent.id) == {"police.engagement": hostile}
    assert store.revisions(respondent.id, "police.engagement") == ["first", hostile]


def test_resume_code_opens_only_its_own_response(store, bank):
    alice, alice_code = store.new_respondent(bank.id)
    bob, bob_code = store.new_respondent(bank.id)
    assert alice_code != bob_code
    assert len(alice_code) == 11 and alice_code[5] == "-"  # 10 letters: 49.5 bits
    assert set(alice_code.replace("-", "")) <= set(CODE_ALPHABET)
    assert store.respondent_by_code(bank.id, alice_code).id == alice.id
    typed = alice_code.lower().replace("-", " ")
    assert store.respondent_by_code(bank.id, typed).id == alice.id
    assert store.respondent_by_code(bank.id, "AAAA-AAAA") is None
    assert store.respondent_by_code(bank.id, alice_code[:-1]) is None
    assert store.respondent_by_code("another-paper", alice_code) is None


def test_resume_code_is_never_stored_in_clear(store, bank, tmp_path):
    _, code = store.new_respondent(bank.id)
    raw = (tmp_path / "responses.db").read_bytes() + (tmp_path / "responses.db-wal").read_bytes()
    assert code.encode() not in raw
    assert code.replace("-", "").encode() not in raw


def test_submit_and_amend(store, bank, clock):
    respondent, code = store.new_respondent(bank.id)
    store.save_answer(respondent.id, "design.experience", "Little.")
    store.submit(respondent.id)
    first = store.respondent(respondent.id)
    assert first.status == "submitted" and first.submitted_at
    store.save_answer(respondent.id, "design.experience", "Little, but improving.")
    assert store.respondent_by_code(bank.id, code).status == "submitted"
    assert store.answers(respondent.id)["design.experience"] == "Little, but improving."


def test_reopening_applies_no_migration_twice(tmp_path, bank):
    Store(tmp_path / "r.db").sync_bank(bank)
    Store(tmp_path / "r.db")
    db = sqlite_utils.Database(tmp_path / "r.db")
    names = [r["name"] for r in db["_sqlite_migrations"].rows]
    assert len(names) == len(set(names)) >= 3
    assert db["answers"].detect_fts() == "answers_fts"
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 50)
    try:
        Store(path)
    except StoreError as exc:
        assert "notes.db" in str(exc)
    else:
        raise AssertionError("opened a text file as a database")


def _writer(path: str, respondent_id: str, rounds: int, errors) -> None:
    store = Store(path)
    for i in range(rounds):
        try:
            # read-then-write, as autosave does: the pattern that fails under deferred BEGIN
            store.save_answer(respondent_id, "police.engagement", f"{respondent_id} draft {i}")
            store.save_position(respondent_id, f"question:police.engagement:{i}")
        except (sqlite3.OperationalError, StoreError) as exc:
            errors.put(str(exc))


def test_concurrent_writers_never_see_database_is_locked(tmp_path, bank):
    path = str(tmp_path / "r.db")
    store = Store(path)
    store.sync_bank(bank)
    ids = [store.new_respondent(bank.id)[0].id for _ in range(4)]
    errors = multiprocessing.Queue()
    workers = [multiprocessing.Process(target=_writer, args=(path, rid, 150, errors)) for rid in ids]
    for w in workers:
        w.start()
    for w in workers:
        w.join(120)
    found = []
    while not errors.empty():
        found.append(errors.get())
    assert found == []
    assert all(w.exitcode == 0 for w in workers)
    for rid in ids:
        assert store.answers(rid)["police.engagement"] == f"{rid} draft 149"
        assert len(store.revisions(rid, "police.engagement")) == 150


def test_saved_answers_survive_kill_9(tmp_path, bank):
    path = tmp_path / "r.db"
    store = Store(path)
    store.sync_bank(bank)
    respondent, _ = store.new_respondent(bank.id)
    script = textwrap.dedent(f"""
        import sys, time
        from consult.store import Store
        store = Store({str(path)!r})
        i = 0
        while True:
            store.save_answer({respondent.id!r}, "police.engagement", f"saved {{i}}")
            print(i, flush=True)
            i += 1
            time.sleep(0.002)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    last = None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        last = int(proc.stdout.readline())
        if last >= 50:
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    text = Store(path).answers(respondent.id)["police.engagement"]
    # Every save the writer reported as done is there (it may have managed one more).
    assert int(text.split()[1]) >= last

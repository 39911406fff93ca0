"""Imports: staged out of members' way, all or nothing, and keyed by consultation."""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner

from consult.cli import cli
from consult.questions import load_bank
from consult.store import Store, StoreError
from consult.store import imports as imports_module
from consult.store.db import migrations

MIXED = Path(__file__).parent / "banks" / "mixed.toml"
Q = "police.engagement"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def records(n: int, text: str = "answer") -> list[dict]:
    return [{"respondent": f"r{i}", "answers": {Q: f"{text} {i}"}} for i in range(n)]


def test_same_respondent_id_in_another_consultation_is_left_alone(tmp_path, bank):
    db = tmp_path / "r.db"
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text("respondent,question,answer,status\nr1,police.engagement,Keep me,submitted\n")
    second.write_text("respondent,question,answer,status\nr1,views.open,Another consultation,submitted\n")
    assert run("import", first, "--db", db).exit_code == 0
    result = run("import", second, "--db", db, "--bank", MIXED)
    assert result.exit_code == 0, result.output
    store = Store(db)
    mine = store.respondents(bank.id)
    theirs = store.respondents(load_bank(MIXED).id)
    assert [r.public_id for r in mine] == ["r1"] and [r.public_id for r in theirs] == ["r1"]
    assert mine[0].id != theirs[0].id
    assert store.answers(mine[0].id) == {Q: "Keep me"}
    assert store.answers(theirs[0].id) == {"views.open": "Another consultation"}
    exported = list(csv.DictReader(io.StringIO(run("export", "--db", db, "--bank", MIXED).output)))
    assert [(r["respondent"], r["answer"]) for r in exported] == [("r1", "Another consultation")]
    # importing the second file again finds its own r1, and changes nothing
    assert "0 new or changed answers" in run("import", second, "--db", db, "--bank", MIXED).output


def test_an_import_that_fails_part_way_leaves_nothing(store, bank, monkeypatch):
    store.load_responses(bank.id, [{"respondent": "old", "answers": {Q: "was here"}}])
    monkeypatch.setattr(imports_module, "IMPORT_CHUNK_ANSWERS", 10)
    monkeypatch.setattr(imports_module, "IMPORT_PAUSE_S", 0)
    real = Store._stage_chunk
    calls = []

    def failing(self, *args):
        calls.append(1)
        if len(calls) == 3:
            raise StoreError("the disk is full")
        return real(self, *args)

    monkeypatch.setattr(Store, "_stage_chunk", failing)
    with pytest.raises(StoreError):
        store.load_responses(bank.id, records(100))
    assert len(calls) == 3
    assert store.scalar("SELECT count(*) FROM respondents") == 1
    assert store.scalar("SELECT count(*) FROM answers") == 1
    assert store.scalar("SELECT count(*) FROM consultations") == 1
    assert store.scalar("SELECT count(*) FROM imports") == 0


def test_staged_rows_are_invisible_until_the_final_commit(store, bank, monkeypatch):
    monkeypatch.setattr(imports_module, "IMPORT_CHUNK_ANSWERS", 10)
    monkeypatch.setattr(imports_module, "IMPORT_PAUSE_S", 0)
    seen = []
    real = Store._stage_chunk

    def watching(self, *args):
        real(self, *args)
        seen.append((len(store.respondents(bank.id)), len(store.answers_to(Q))))

    monkeypatch.setattr(Store, "_stage_chunk", watching)
    store.load_responses(bank.id, records(50))
    assert len(seen) == 5 and set(seen) == {(0, 0)}
    assert len(store.respondents(bank.id)) == 50 and len(store.answers_to(Q)) == 50


def test_a_killed_import_is_removed_at_the_next_open(tmp_path, bank):
    path = tmp_path / "r.db"
    store = Store(path)
    store.sync_bank(bank)
    pending = store._stage(bank.id, records(30), "import")
    # as if the importing process had died: a pid that cannot be running
    with store.write():
        store.conn.execute("UPDATE imports SET pid = ? WHERE pending = ?", (2**22 + 12345, pending))
    store.close()
    reopened = Store(path)
    assert reopened.scalar("SELECT count(*) FROM respondents") == 0
    assert reopened.scalar("SELECT count(*) FROM answers") == 0
    assert reopened.scalar("SELECT count(*) FROM answers_fts WHERE answers_fts MATCH 'answer'") == 0
    assert reopened.scalar("SELECT count(*) FROM imports") == 0


def test_the_migration_keeps_every_existing_response(tmp_path, bank):
    path = tmp_path / "old.db"
    old = sqlite_utils.Database(path)
    migrations.apply(old, stop_before="m007_harden_public_ids")
    conn = old.conn
    conn.execute("INSERT INTO consultations (id, title) VALUES (?, 't')", (bank.id,))
    for i, status in enumerate(["submitted", "draft"]):
        conn.execute("INSERT INTO respondents (id, consultation_id, status, created_at, updated_at,"
                     " submitted_at) VALUES (?, ?, ?, 'then', 'then', 'then')", (f"r{i}", bank.id, status))
        conn.execute("INSERT INTO answers (respondent_id, question_id, text, updated_at)"
                     " VALUES (?, ?, ?, 'then')", (f"r{i}", Q, f"old answer {i}"))
    conn.commit()
    conn.close()
    store = Store(path)
    assert [(r.id, r.public_id, r.status) for r in store.respondents(bank.id)] == [
        ("r0", "r0", "submitted"), ("r1", "r1", "draft")]
    assert store.answers_to(Q, consultation_id=bank.id) == [("r0", "old answer 0"), ("r1", "old answer 1")]
    assert store.answers_to(Q, submitted_only=True) == [("r0", "old answer 0")]
    with pytest.raises(sqlite3.IntegrityError):
        store.conn.execute("INSERT INTO respondents (id, public_id, consultation_id, created_at, updated_at)"
                           " VALUES ('x', 'r0', ?, 'now', 'now')", (bank.id,))

"""`consult erase`, `consult backup` and `consult check`, as staff use them."""

from __future__ import annotations

import sqlite3
import stat
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from consult.cli import cli
from consult.store import Store
from consult.store.db import known_migrations

Q, Q2 = "police.engagement", "police.compact-principles"
SECRET = "Xylophonist Quentin Marchbanks told us everything"
NOTE = "Ring Quentin back about his probation officer"


def run(*args, input=None):
    return CliRunner().invoke(cli, [str(a) for a in args], input=input)


def raw_bytes(db: Path) -> bytes:
    return b"".join(p.read_bytes() for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")) if p.exists())


def populated(tmp_path: Path, bank) -> tuple[Path, Store, str, str]:
    db = tmp_path / "r.db"
    store = Store(db)
    store.sync_bank(bank)
    target, _ = store.new_respondent(bank.id)
    other, _ = store.new_respondent(bank.id)
    store.save_answer(target.id, Q, "first draft: " + SECRET)
    store.save_answer(target.id, Q, SECRET)
    store.save_answer(target.id, Q2, "Second answer of the person to erase")
    store.submit(target.id)
    store.save_answer(target.id, Q, SECRET + " (amended)")
    store.save_answer(other.id, Q, "Another member's answer stays")
    store.flag_answer(target.id, Q, NOTE, by="staff")
    store.set_key_quote(target.id, Q, by="staff")
    store.mark_read(target.id, Q, by="staff")
    store.save_run(bank.id, method="test", version="0", params={}, summary={}, themes=[
        {"question_id": Q, "kind": "theme", "label": "Contact", "members": [
            {"respondent_id": target.id, "is_primary": True}, {"respondent_id": other.id, "is_primary": True}]}])
    # a table another part of consult might add later: erasure finds it by its column
    with store.write():
        store.conn.execute("CREATE TABLE later_notes (respondent_id TEXT, note TEXT)")
        store.conn.execute("INSERT INTO later_notes VALUES (?, ?)", (target.id, NOTE))
    return db, store, target.id, other.id


def test_erase_leaves_nothing_in_the_files(tmp_path, bank):
    db, store, target, other = populated(tmp_path, bank)
    assert SECRET.encode() in raw_bytes(db)
    result = run("erase", target, "--yes", "--db", db)
    assert result.exit_code == 0, result.output
    assert "Erased" in result.output and "compacted" in result.output
    files = raw_bytes(db)
    for needle in (SECRET, "Xylophonist", "xylophonist", "Marchbanks", "marchbank", NOTE, "Quentin",
                   "quentin", "Second answer of the person", target):
        assert needle.encode() not in files, needle
    after = Store(db)
    assert after.respondent(target) is None
    assert after.answers(other) == {Q: "Another member's answer stays"}
    assert after.scalar("SELECT count(*) FROM answers_fts WHERE answers_fts MATCH 'stays'") == 1
    assert after.scalar("PRAGMA integrity_check") == "ok"
    assert [e["action"] for e in after.curation_log()][0] == "erase"


def test_erase_asks_first(tmp_path, bank):
    db, store, target, _ = populated(tmp_path, bank)
    result = run("erase", target, "--db", db, input="n\n")
    assert result.exit_code != 0
    assert Store(db).respondent(target) is not None


def test_erase_of_an_unknown_respondent_is_one_line(tmp_path, bank):
    db, *_ = populated(tmp_path, bank)
    result = run("erase", "nobody", "--yes", "--db", db)
    assert result.exit_code == 2 and "no respondent 'nobody'" in result.output


def test_backup_is_consistent_private_and_never_replaces(tmp_path, bank):
    db, store, target, _ = populated(tmp_path, bank)
    stop = threading.Event()

    def keep_writing():
        writer = Store(db)
        n = 0
        while not stop.is_set():
            n += 1
            writer.save_answer(target, Q2, f"still typing {n}")

    thread = threading.Thread(target=keep_writing)
    thread.start()
    try:
        result = run("backup", tmp_path / "copy.db", "--db", db)
    finally:
        stop.set()
        thread.join()
    assert result.exit_code == 0, result.output
    copy = tmp_path / "copy.db"
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    conn = sqlite3.connect(copy)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*) FROM respondents").fetchone()[0] == 2
    conn.close()
    again = run("backup", tmp_path / "copy.db", "--db", db)
    assert again.exit_code == 2 and "already exists" in again.output
    same = run("backup", db, "--db", db)
    assert same.exit_code == 2
    assert Store(db).respondent(target) is not None


def test_check_says_ok_or_what_is_wrong(tmp_path, bank):
    db, store, *_ = populated(tmp_path, bank)
    store.close()
    good = run("check", "--db", db)
    assert good.exit_code == 0, good.output
    assert "integrity: ok" in good.output and good.output.strip().endswith("OK")
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {len(known_migrations()) + 3}")
    conn.close()
    newer = run("check", "--db", db)
    assert newer.exit_code == 1 and "newer consult" in newer.output


@pytest.mark.parametrize("content", [b"not a database at all\n" * 100, b""])
def test_check_of_a_file_that_is_not_a_database(tmp_path, content):
    path = tmp_path / "x.db"
    path.write_bytes(content)
    result = run("check", "--db", path)
    assert result.exit_code == 1 and "PROBLEM" in result.output and "Traceback" not in result.output

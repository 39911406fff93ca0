"""A database that cannot be used says why in one line; files holding responses are private."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from consult.cli import cli
from consult.files import FileExists, write_private_atomic
from consult.store import SchemaError, Store, StoreDamaged, StoreError, StoreReadOnly
from consult.store.db import known_migrations

Q = "police.engagement"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def one_line_error(result) -> str:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    return lines[0]


def filled(tmp_path: Path, bank) -> Path:
    path = tmp_path / "r.db"
    store = Store(path)
    store.sync_bank(bank)
    rid = store.new_respondent(bank.id)[0].id
    store.save_answer(rid, Q, "Named contacts at the station.")
    store.close()
    return path


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# ---------------------------------------------------------------------- private files
def test_database_wal_and_shm_are_created_private(tmp_path, bank):
    old = os.umask(0o022)
    try:
        store = Store(tmp_path / "r.db")
        store.sync_bank(bank)
        store.save_answer(store.new_respondent(bank.id)[0].id, Q, "text")
        for name in ("r.db", "r.db-wal", "r.db-shm"):
            assert mode(tmp_path / name) == 0o600, name
    finally:
        os.umask(old)


def test_an_existing_world_readable_database_is_made_private(tmp_path, bank):
    path = filled(tmp_path, bank)
    os.chmod(path, 0o644)
    Store(path)
    assert mode(path) == 0o600


def test_export_file_is_private_and_never_replaces_a_file(tmp_path, bank):
    db = filled(tmp_path, bank)
    out = tmp_path / "answers.csv"
    assert run("export", "--db", db, "--out", out).exit_code == 0
    assert mode(out) == 0o600
    victim = tmp_path / "victim.txt"
    victim.write_text("mine")
    line = one_line_error(run("export", "--db", db, "--out", victim))
    assert "already exists" in line
    assert victim.read_text() == "mine"
    # not even the database itself
    one_line_error(run("export", "--db", db, "--out", db))
    assert Store(db).scalar("SELECT count(*) FROM answers") == 1


def test_atomic_write_leaves_nothing_when_the_write_fails(tmp_path):
    target = tmp_path / "report.html"

    def half_then_full(handle):
        handle.write(b"<html>half")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        write_private_atomic(target, half_then_full)
    assert list(tmp_path.iterdir()) == []
    write_private_atomic(target, "whole")
    with pytest.raises(FileExists):
        write_private_atomic(target, "again")
    assert target.read_text() == "whole" and mode(target) == 0o600
    write_private_atomic(target, "replaced", overwrite=True)
    assert target.read_text() == "replaced" and mode(target) == 0o600


# ---------------------------------------------------------------------- schema guard
def test_a_newer_schema_version_is_refused_before_any_write(tmp_path, bank):
    path = filled(tmp_path, bank)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {len(known_migrations()) + 1}")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(SchemaError, match="newer version of consult"):
        Store(path)
    src = tmp_path / "in.csv"
    src.write_text("respondent,question,answer\nr9,police.engagement,New answer\n")
    line = one_line_error(run("import", src, "--db", path))
    assert "newer version of consult" in line and "upgrade" in line
    one_line_error(run("export", "--db", path))
    assert path.read_bytes() == before


def test_an_unknown_migration_is_refused(tmp_path, bank):
    path = filled(tmp_path, bank)
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
                 " VALUES ('consult', 'm999_from_the_future', 'later')")
    conn.commit()
    conn.close()
    with pytest.raises(SchemaError, match="m999_from_the_future"):
        Store(path)


def test_a_database_failing_the_integrity_check_is_refused(tmp_path, bank):
    path = tmp_path / "r.db"
    store = Store(path)
    store.sync_bank(bank)
    store.load_responses(bank.id, [{"respondent": f"r{i}", "answers": {Q: f"answer number {i} " * 20}}
                                   for i in range(300)])
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    conn = sqlite3.connect(path)
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'answers_question'").fetchone()[0]
    conn.close()
    with path.open("r+b") as f:  # scribble over an index page: the tables still read
        f.seek((root - 1) * page + 8)
        f.write(b"\xff" * 64)
    with pytest.raises(StoreDamaged, match="integrity check|damaged"):
        Store(path)
    assert "consult check" in one_line_error(run("export", "--db", path))


def test_a_text_file_named_as_the_database_is_one_line(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("my notes\n" * 200)
    line = one_line_error(run("export", "--db", path))
    assert "notes.db" in line
    assert path.read_text() == "my notes\n" * 200


def test_text_that_is_not_utf8_is_reported_not_a_traceback(tmp_path, bank):
    path = filled(tmp_path, bank)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE answers SET text = CAST(x'4e616d6564ff' AS TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreDamaged, match="UTF-8"):
        store = Store(path)
        store.answers_to(Q)
    assert "UTF-8" in one_line_error(run("export", "--db", path))


def test_a_renamed_column_is_reported_not_a_traceback(tmp_path, bank):
    path = filled(tmp_path, bank)
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE answers RENAME COLUMN text TO body")
    conn.commit()
    conn.close()
    line = one_line_error(run("export", "--db", path))
    assert "not as this version of consult expects" in line


def test_store_error_is_what_every_fault_raises():
    for kind in (SchemaError, StoreDamaged, StoreReadOnly):
        assert issubclass(kind, StoreError)


# ---------------------------------------------------------------------- read-only, as a user meets it
def _without_root_powers(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """Run consult with root's power to ignore file modes dropped (CI runs as root)."""
    command = [sys.executable, "-m", "consult", *args]
    if os.geteuid() == 0:
        command = ["setpriv", "--bounding-set=-dac_override,-dac_read_search",
                   "--inh-caps=-dac_override,-dac_read_search", "--", *command]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "CONSULT_DB": ""})


def _needs_setpriv():
    if os.geteuid() == 0 and subprocess.run(["setpriv", "--version"], capture_output=True).returncode:
        pytest.skip("running as root without setpriv: file modes cannot be enforced")


@pytest.mark.slow
def test_read_only_database_and_read_only_folder_are_told_apart(tmp_path, bank):
    _needs_setpriv()
    src = tmp_path / "in.csv"
    src.write_text("respondent,question,answer\nr9,police.engagement,New answer\n")
    folder = tmp_path / "data"
    folder.mkdir()
    path = filled(folder, bank)
    os.chmod(path, 0o400)
    done = _without_root_powers(["import", str(src), "--db", str(path)], tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert "the database" in done.stderr and "read-only" in done.stderr and "chmod" in done.stderr

    os.chmod(path, 0o600)
    os.chmod(folder, 0o500)
    try:
        done = _without_root_powers(["import", str(src), "--db", str(path)], tmp_path)
    finally:
        os.chmod(folder, 0o700)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert "the folder" in done.stderr and "-wal" in done.stderr, done.stderr
    assert Store(path).respondent("r9") is None

"""Looking after the database file: erase a respondent, back up, check.

Erasure must leave nothing behind: not in any table (found by introspection, so that tables
added later are covered), not in the search index's shadow tables, not in the log, not in freed
pages, the WAL or the file's free space. So it deletes with ``secure_delete`` on, rebuilds every
full-text index, checkpoints the WAL to empty and VACUUMs.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import stat
from dataclasses import dataclass, field
from pathlib import Path

from consult.files import FileExists, private_temp, publish
from consult.store.db import known_migrations, migrations
from consult.store.errors import StoreError

ERASED = "(erased)"


@dataclass
class Erasure:
    respondent_id: str
    rows: dict[str, int] = field(default_factory=dict)   # table -> rows removed
    log_entries: int = 0                                  # log entries scrubbed
    compacted: bool = False                               # WAL emptied and file VACUUMed

    @property
    def total(self) -> int:
        return sum(self.rows.values())


class AdminMixin:
    """Methods of :class:`consult.store.Store` for erasure and backups."""

    # ------------------------------------------------------------------ erasure
    def respondent_tables(self) -> list[tuple[str, str]]:
        """``(table, column)`` for every table that holds respondent ids: a column named
        ``respondent_id`` or a foreign key to ``respondents``. Read from the schema each time."""
        found = []
        for (table,) in self.query("SELECT name FROM sqlite_master WHERE type = 'table'"
                                   " AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%'"):
            if table == "respondents":
                continue
            columns = {r["name"] for r in self.query(f'PRAGMA table_info("{table}")')}
            keyed = {r["from"] for r in self.query(f'PRAGMA foreign_key_list("{table}")')
                     if r["table"] == "respondents"}
            for column in sorted(keyed | ({"respondent_id"} & columns)):
                found.append((table, column))
        return found

    def erase_respondent(self, respondent_id: str, *, by: str) -> Erasure:
        """Remove one respondent and everything about them; see the module doc."""
        if self.respondent(respondent_id) is None:
            raise KeyError(respondent_id)
        erasure = Erasure(respondent_id)
        self.conn.execute("PRAGMA secure_delete = ON")
        with self.write():
            # Children of children (an excerpt of an answer) may be deleted in any order: the
            # foreign keys are checked once, at commit, when all of them are gone.
            self.conn.execute("PRAGMA defer_foreign_keys = ON")
            for table, column in self.respondent_tables():
                cursor = self.conn.execute(f'DELETE FROM "{table}" WHERE "{column}" = ?', (respondent_id,))
                if cursor.rowcount:
                    erasure.rows[table] = erasure.rows.get(table, 0) + cursor.rowcount
            self.conn.execute("DELETE FROM respondents WHERE id = ?", (respondent_id,))
            erasure.rows["respondents"] = 1
            erasure.log_entries = self._scrub_log(respondent_id)
            for (name,) in self.query("SELECT name FROM sqlite_master WHERE type = 'table'"
                                      " AND sql LIKE 'CREATE VIRTUAL TABLE%USING FTS5%'"):
                # Deleting from an FTS5 index only adds tombstones; rebuilding rewrites it.
                self.conn.execute(f'INSERT INTO "{name}" ("{name}") VALUES (\'rebuild\')')
                self.conn.execute(f'INSERT INTO "{name}" ("{name}") VALUES (\'optimize\')')
            self._log(by, "erase", respondent=ERASED, rows=erasure.total)
        erasure.compacted = self.compact()
        return erasure

    def _scrub_log(self, respondent_id: str) -> int:
        """Log entries about the respondent keep what was done, not who or what they wrote."""
        scrubbed = 0
        for row in self.query("SELECT id, detail FROM curation_log WHERE instr(detail, ?) > 0",
                              (json.dumps(respondent_id, ensure_ascii=False),)):
            detail = json.loads(row["detail"])
            if not isinstance(detail, dict):
                continue
            about = detail.get("respondent_id") == respondent_id
            for key, value in list(detail.items()):
                if value == respondent_id:
                    detail[key] = ERASED
                elif isinstance(value, list):
                    detail[key] = [ERASED if v == respondent_id else v for v in value]
            if about:
                for key in ("note", "text", "reason", "excerpt"):
                    if key in detail:
                        detail[key] = ERASED
            self.conn.execute("UPDATE curation_log SET detail = ? WHERE id = ?",
                              (json.dumps(detail, ensure_ascii=False), row["id"]))
            scrubbed += 1
        return scrubbed

    def compact(self) -> bool:
        """Empty the WAL into the file and rebuild the file without free pages (which may hold
        deleted text). False if another program kept the WAL from being emptied."""
        self.conn.execute("PRAGMA secure_delete = ON")
        self.conn.execute("VACUUM")
        busy, _, _ = self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        return not busy

    # ------------------------------------------------------------------ backup
    def backup_to(self, path: str | Path) -> Path:
        """A consistent copy (SQLite's online backup: others may go on writing), created 0600,
        never over an existing file, checked before it takes its name."""
        path = Path(path)
        if path.exists() or path.is_symlink():
            raise FileExists(f"{path} already exists: backup never writes over a file; choose a new name")
        with private_temp(path) as (temp, _handle):
            target = sqlite3.connect(temp)
            try:
                self.conn.backup(target)
                verdict = target.execute("PRAGMA integrity_check(1)").fetchone()[0]
                target.execute("PRAGMA journal_mode = DELETE")
            finally:
                target.close()
            if verdict != "ok":
                raise StoreError(f"the backup did not pass SQLite's integrity check ({verdict}); "
                                 "nothing was written: run `consult check`")
            with open(temp, "rb") as written:
                os.fsync(written.fileno())
        return publish(temp, path)


# ---------------------------------------------------------------------- check
@dataclass
class CheckReport:
    path: Path
    problems: list[str] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_database(path: str | Path) -> CheckReport:
    """SQLite's full integrity check, the schema version, and who may read the file; read-only,
    so it works on a database consult refuses to open."""
    path = Path(path)
    report = CheckReport(path)
    if not path.is_file():
        report.problems.append(f"{path} does not exist or is not a file")
        return report
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        report.problems.append(f"cannot open {path}: {exc}")
        return report
    try:
        _check(conn, path, report)
    except sqlite3.DatabaseError as exc:
        report.problems.append(f"{path} is damaged or is not a consult database ({exc}): restore it "
                               "from a backup")
    finally:
        conn.close()
    return report


def _check(conn: sqlite3.Connection, path: Path, report: CheckReport) -> None:
    rows = [r[0] for r in conn.execute("PRAGMA integrity_check(20)")]
    if rows == ["ok"]:
        report.facts.append("integrity: ok (SQLite's full integrity_check)")
    else:
        report.problems.append("integrity check failed: " + "; ".join(" ".join(r.split()) for r in rows)
                               + " — restore from a backup")
    with contextlib.suppress(sqlite3.Error):
        conn.execute("SELECT text FROM answers").fetchall()  # decodes every answer as UTF-8
    known = known_migrations()
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    table = conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (migrations.migrations_table,)).fetchone()
    applied = [r[0] for r in conn.execute(f"SELECT name FROM {migrations.migrations_table}"
                                          " WHERE migration_set = 'consult' ORDER BY id")] if table else []
    unknown = [name for name in applied if name not in known]
    pending = [name for name in known if name not in applied]
    if unknown or version > len(known):
        report.problems.append(f"written by a newer consult (schema {version}, unknown "
                               f"{', '.join(unknown) or 'version'}): upgrade consult before using it")
    elif not table:
        report.problems.append("not a consult database (no migrations table)")
    else:
        state = f"{len(pending)} migration(s) to apply on next open" if pending else "up to date"
        report.facts.append(f"schema: {len(applied)} of {len(known)} migrations, {state}")
    counts = conn.execute("SELECT count(*), coalesce(sum(status = 'submitted'), 0) FROM respondents").fetchone()
    report.facts.append(f"respondents: {counts[0]:,} ({counts[1]:,} submitted)")
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'imports'").fetchone():
        staged = conn.execute("SELECT count(*) FROM imports").fetchone()[0]
        if staged:
            report.facts.append(f"imports in progress or interrupted: {staged} (an interrupted one is "
                                "removed the next time consult opens the database)")
    for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if name.exists() and stat.S_IMODE(name.stat().st_mode) & 0o077:
            report.problems.append(f"{name} can be read by other users: chmod 600 {name}")

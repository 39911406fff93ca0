"""Looking after the database file: erase a respondent, back up, check.

Erasure must leave nothing behind: not in any table (found by introspection, so that tables
added later are covered), not in the search index's shadow tables, not in the log or the
codebook's undo records, not in freed pages, the WAL or the file's free space. So it deletes with
``secure_delete`` on, scrubs the id out of every text that names it, rebuilds every full-text
index, checkpoints the WAL to empty and VACUUMs. An undo record loses the erased answer's
before-image and counts it instead, so that undo says it cannot bring that answer back.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sqlite3
import stat
from dataclasses import dataclass, field
from pathlib import Path

from consult.files import FileExists, private_temp, publish
from consult.store.db import known_migrations, migrations
from consult.store.errors import StoreError

ERASED = "(erased)"
# Tables of what members wrote and the bank: erasure deletes the respondent's rows there, and
# never rewrites anyone else's words.
MEMBERS_TEXT = ("respondents", "answers", "answer_revisions", "submitted_answers", "questions", "consultations")


@dataclass
class Erasure:
    respondent_id: str
    rows: dict[str, int] = field(default_factory=dict)   # table -> rows removed
    log_entries: int = 0                                  # log entries scrubbed
    undo_records: int = 0                                 # codebook undo records scrubbed
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
        ids = {respondent_id, self.respondent(respondent_id).public_id}
        self.conn.execute("PRAGMA secure_delete = ON")
        with self.write():
            cid = self.scalar("SELECT consultation_id FROM respondents WHERE id = ?", (respondent_id,))
            questions = [r[0] for r in self.query("SELECT DISTINCT question_id FROM codings WHERE respondent_id = ?"
                                                  " UNION SELECT question_id FROM theme_members WHERE"
                                                  " respondent_id = ?", (respondent_id, respondent_id))]
            # Children of children (an excerpt of an answer) may be deleted in any order: the
            # foreign keys are checked once, at commit, when all of them are gone.
            self.conn.execute("PRAGMA defer_foreign_keys = ON")
            for table, column in self.respondent_tables():
                cursor = self.conn.execute(f'DELETE FROM "{table}" WHERE "{column}" = ?', (respondent_id,))
                if cursor.rowcount:
                    erasure.rows[table] = erasure.rows.get(table, 0) + cursor.rowcount
            self.conn.execute("DELETE FROM respondents WHERE id = ?", (respondent_id,))
            erasure.rows["respondents"] = 1
            erasure.log_entries = self._scrub_log(respondent_id, ids)
            erasure.undo_records = self._scrub_actions(respondent_id, ids)
            self._scrub_mentions(ids)
            for qid in questions:  # the latest run's counts without them
                self.materialise_latest(cid, qid)
            for (name,) in self.query("SELECT name FROM sqlite_master WHERE type = 'table'"
                                      " AND sql LIKE 'CREATE VIRTUAL TABLE%USING FTS5%'"):
                # Deleting from an FTS5 index only adds tombstones; rebuilding rewrites it.
                self.conn.execute(f'INSERT INTO "{name}" ("{name}") VALUES (\'rebuild\')')
                self.conn.execute(f'INSERT INTO "{name}" ("{name}") VALUES (\'optimize\')')
            self._log(by, "erase", respondent=ERASED, rows=erasure.total)
        erasure.compacted = self.compact()
        return erasure

    def _scrub_log(self, respondent_id: str, ids: set[str]) -> int:
        """Log entries about the respondent keep what was done, not who or what they wrote."""
        scrubbed = 0
        for row in self.query("SELECT id, detail FROM curation_log WHERE " + _mentions("detail", ids),
                              tuple(ids)):
            detail = json.loads(row["detail"])
            if isinstance(detail, dict):
                about = detail.get("respondent_id") == respondent_id
                detail = _scrubbed(detail, ids)
                if about:
                    for key in ("note", "text", "reason", "excerpt"):
                        if key in detail:
                            detail[key] = ERASED
            else:
                detail = _scrubbed(detail, ids)
            text = json.dumps(detail, ensure_ascii=False)
            if text != row["detail"]:  # instr also finds a short id inside a longer one
                self.conn.execute("UPDATE curation_log SET detail = ? WHERE id = ?", (text, row["id"]))
                scrubbed += 1
        return scrubbed

    def _scrub_actions(self, respondent_id: str, ids: set[str]) -> int:
        """Codebook undo records: the erased answer's before-image goes (undo could only fail on it,
        or bring it back), counted in ``erased``; the summary keeps what was done, not to whom."""
        scrubbed = 0
        where = _mentions("before", ids) + " OR " + _mentions("summary", ids)
        for row in self.query(f"SELECT id, summary, before FROM codebook_actions WHERE {where}",
                              (*ids, *ids)):
            before = json.loads(row["before"])
            kept = [[rid, image] for rid, image in before.get("answers", []) if rid != respondent_id]
            if len(kept) < len(before.get("answers", [])):
                before["erased"] = before.get("erased", 0) + len(before["answers"]) - len(kept)
                before["answers"] = kept
            text, summary = json.dumps(_scrubbed(before, ids), ensure_ascii=False), _scrubbed(row["summary"], ids)
            if (text, summary) != (row["before"], row["summary"]):
                self.conn.execute("UPDATE codebook_actions SET summary = ?, before = ? WHERE id = ?",
                                  (summary, text, row["id"]))
                scrubbed += 1
        return scrubbed

    def _scrub_mentions(self, ids: set[str]) -> None:
        """Any other text of staff's or of the analysis that names the respondent (a theme's
        history, a label): the id becomes ERASED. Found by introspection, like the tables above;
        members' own texts are left as they are (another member may write a word that is an id)."""
        self.conn.create_function("consult_scrub_ids", 1, lambda v: _scrubbed(v, ids) if isinstance(v, str) else v,
                                  deterministic=True)
        fts = [r[0] for r in self.query("SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL%'")]
        for (table,) in self.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                                   " AND sql NOT LIKE 'CREATE VIRTUAL%'"):
            if table in MEMBERS_TEXT or any(table.startswith(f"{name}_") for name in fts):
                continue
            for column in self.query(f'PRAGMA table_info("{table}")'):
                if column["type"].upper() not in ("TEXT", ""):
                    continue
                name = column["name"]
                self.conn.execute(f'UPDATE "{table}" SET "{name}" = consult_scrub_ids("{name}") WHERE '
                                  + _mentions(f'"{name}"', ids), tuple(ids))

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


def _mentions(column: str, ids: set[str]) -> str:
    """SQL: ``column`` holds one of ``ids`` somewhere (one ``?`` per id, in the order of ``ids``)."""
    return "(" + " OR ".join(f"instr({column}, ?) > 0" for _ in ids) + ")"


def _scrubbed(value, ids: set[str]):
    """``value`` (JSON-like) with every whole-word mention of an id replaced by ERASED."""
    if isinstance(value, str):
        for rid in ids:
            if value == rid:
                return ERASED
            value = re.sub(rf"(?<![\w-]){re.escape(rid)}(?![\w-])", ERASED, value)
        return value
    if isinstance(value, list):
        return [_scrubbed(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: _scrubbed(v, ids) for k, v in value.items()}
    return value


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

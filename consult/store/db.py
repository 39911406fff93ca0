"""Connecting to the database, write transactions and the schema.

Every write goes through :meth:`Database.write`, which opens ``BEGIN IMMEDIATE``: a deferred
transaction that reads and then writes cannot wait on SQLite's busy handler and fails with
"database is locked" under several writers (measured: hundreds of failures per process), while
an immediate one waits its turn. Pragmas are set once at connect, outside any transaction.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils
from sqlite_utils.migrations import Migrations

from consult.files import create_private, make_private
from consult.store.errors import (
    Connection,
    SchemaError,
    StoreBusy,
    StoreDamaged,
    StoreError,
    translate,
    why_read_only,
)

# How long a write waits for another writer's lock before giving up with StoreBusy. Imports
# hold the lock for one short final transaction only (see consult.importer), so this is slack
# for a slow disk, not for a long job.
BUSY_TIMEOUT_MS = 30_000
# How often a write waiting for the lock tries again: well under consult.store.imports'
# pause between chunks, so that a waiting save gets in between them.
LOCK_POLL_S = 0.002

migrations = Migrations("consult")

__all__ = ["Database", "StoreError", "migrations", "iso", "utcnow", "run_script", "SCHEMA_NAME"]

SCHEMA_NAME = "consult"


def utcnow() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def known_migrations() -> list[str]:
    """The migrations this version of consult knows, in order; ``user_version`` counts them."""
    return [m.name for m in migrations._migrations]


class Database:
    """One SQLite file. Holds one connection per thread (sqlite3 connections are not shared).

    Opening refuses (with a :class:`StoreError` saying what to do) a file that is not a consult
    database, was written by a newer consult, or fails SQLite's quick integrity check, before
    anything is written to it. A new file is created 0600 (SQLite gives its -wal and -shm the
    same mode), and an existing one readable by others is made private.
    """

    def __init__(self, path: str | Path, *, clock: Callable[[], datetime] = utcnow):
        self.path = Path(path)
        self.clock = clock
        self._local = threading.local()
        if str(path) != ":memory:":
            self._create_file()
        try:
            self._prepare()
        except sqlite3.DatabaseError as exc:
            self.close()
            raise StoreError(f"cannot open {self.path} as a consult database: {exc}") from None
        except StoreError:
            self.close()
            raise

    def _create_file(self) -> None:
        folder = self.path.parent if str(self.path.parent) else Path(".")
        if not folder.is_dir():
            raise StoreError(f"cannot create database {self.path}: folder {folder} does not exist")
        if self.path.is_dir():
            raise StoreError(f"cannot use {self.path} as a database: it is a folder")
        try:
            create_private(self.path)
        except PermissionError:
            raise why_read_only(self.path) from None
        except OSError as exc:
            raise StoreError(f"cannot create database {self.path}: {exc.strerror or exc}") from None
        make_private(self.path)

    def _prepare(self) -> None:
        """Refuse a newer or damaged file; apply pending migrations (the write lock only then)."""
        wrapped = sqlite_utils.Database(self.conn)
        self._refuse_newer(wrapped)
        problem = self.scalar("PRAGMA quick_check(1)")
        if problem != "ok":
            problem = " ".join(str(problem).replace("*** in database main ***", "").split())
            raise StoreDamaged(f"{self.path} fails SQLite's integrity check ({problem}): nothing was "
                               "written; restore it from a backup, or run `consult check` for details")
        if migrations.pending(wrapped) or not wrapped[migrations.migrations_table].exists():
            with self.write():
                self._refuse_newer(wrapped)  # another process may have migrated meanwhile
                migrations.apply(wrapped)
                self.conn.execute(f"PRAGMA user_version = {len(known_migrations())}")

    def _refuse_newer(self, wrapped: sqlite_utils.Database) -> None:
        known = known_migrations()
        version = self.scalar("PRAGMA user_version") or 0
        unknown: list[str] = []
        if wrapped[migrations.migrations_table].exists():
            unknown = [m.name for m in migrations.applied(wrapped) if m.name not in known]
        if unknown or version > len(known):
            what = f"migration {unknown[0]}" if unknown else f"schema version {version}, this one knows {len(known)}"
            raise SchemaError(f"{self.path} was written by a newer version of consult ({what}): nothing "
                              "was changed; upgrade consult to use this database")

    # ------------------------------------------------------------------ connections
    @property
    def conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            try:
                conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                                       check_same_thread=False, factory=Connection)
            except sqlite3.Error as exc:
                raise translate(exc, self.path) or StoreError(f"cannot open {self.path}: {exc}") from None
            conn.store_path = self.path
            conn.row_factory = sqlite3.Row
            self._local.conn = conn
            try:
                conn.execute(f"PRAGMA busy_timeout = {getattr(self._local, 'busy_ms', BUSY_TIMEOUT_MS)}")
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
                conn.execute("PRAGMA foreign_keys = ON")
            except BaseException:
                self.close()
                raise
        return conn

    @property
    def db(self) -> sqlite_utils.Database:
        """sqlite-utils view of this thread's connection, for table helpers."""
        wrapped = getattr(self._local, "db", None)
        if wrapped is None:
            wrapped = self._local.db = sqlite_utils.Database(self.conn)
        return wrapped

    def set_busy_timeout(self, ms: int) -> None:
        """How long this thread's writes wait for another writer's lock before failing. The
        answering app keeps it short (it retries by itself) so that a member's screen never
        freezes behind a long import."""
        self.conn.execute(f"PRAGMA busy_timeout = {int(ms)}")
        self._local.busy_ms = int(ms)

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None
            self._local.db = None

    def now(self) -> str:
        return iso(self.clock())

    # ------------------------------------------------------------------ transactions
    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction (``BEGIN IMMEDIATE``); nested calls become savepoints."""
        conn = self.conn
        if conn.in_transaction:
            name = f"sp_{id(object())}"
            conn.execute(f"SAVEPOINT {name}")
            try:
                yield conn
            except BaseException:
                if conn.in_transaction:
                    conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                    conn.execute(f"RELEASE SAVEPOINT {name}")
                raise
            else:
                conn.execute(f"RELEASE SAVEPOINT {name}")
            return
        self._begin_immediate(conn)
        try:
            yield conn
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        else:
            conn.execute("COMMIT")

    def _begin_immediate(self, conn: sqlite3.Connection) -> None:
        """Take the write lock, polling every LOCK_POLL_S up to the busy timeout.

        SQLite's own busy handler sleeps up to 100 ms between tries, so a save waiting behind an
        import's chunks could keep missing the short gaps between them; polling finely, it gets
        the lock in the first gap.
        """
        wait_ms = getattr(self._local, "busy_ms", BUSY_TIMEOUT_MS)
        deadline = time.monotonic() + wait_ms / 1000
        conn.execute("PRAGMA busy_timeout = 0")
        try:
            while True:
                try:
                    conn.execute("BEGIN IMMEDIATE")
                    return
                except StoreBusy:
                    if time.monotonic() >= deadline:
                        raise
                    time.sleep(LOCK_POLL_S)
        finally:
            conn.execute(f"PRAGMA busy_timeout = {wait_ms}")

    def query(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        return self.conn.execute(sql, params).fetchall()

    def scalar(self, sql: str, params: tuple | dict = ()):
        row = self.conn.execute(sql, params).fetchone()
        return row[0] if row else None


# ---------------------------------------------------------------------- schema
def run_script(db: sqlite_utils.Database, script: str) -> None:
    """Run SQL statements one by one: ``executescript`` would commit the open transaction."""
    statement = ""
    for line in script.splitlines(keepends=True):
        if line.strip().startswith("--"):
            continue
        statement += line
        if sqlite3.complete_statement(statement):
            db.conn.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement: {statement[:80]}")


# Forward-only migrations, recorded in _sqlite_migrations by sqlite-utils. Never edit one that has
# shipped: add the next.


@migrations()
def m001_core(db: sqlite_utils.Database) -> None:
    run_script(db,
        """
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE consultations (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            publisher TEXT,
            date TEXT,
            bank_path TEXT,
            updated_at TEXT
        );
        CREATE TABLE questions (
            consultation_id TEXT NOT NULL REFERENCES consultations(id),
            id TEXT NOT NULL,
            position INTEGER NOT NULL,
            section_id TEXT NOT NULL,
            section_title TEXT NOT NULL,
            text TEXT NOT NULL,
            kind TEXT NOT NULL,
            key_question INTEGER NOT NULL DEFAULT 1,
            PRIMARY KEY (consultation_id, id)
        );
        CREATE TABLE respondents (
            id TEXT PRIMARY KEY,
            consultation_id TEXT NOT NULL REFERENCES consultations(id),
            source TEXT NOT NULL DEFAULT 'app',
            code_hash TEXT UNIQUE,
            status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted')),
            profile TEXT NOT NULL DEFAULT '{}',
            consent TEXT NOT NULL DEFAULT '{}',
            position TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            submitted_at TEXT,
            excluded_reason TEXT,
            excluded_at TEXT,
            excluded_by TEXT
        );
        CREATE INDEX respondents_consultation ON respondents(consultation_id, status);
        CREATE TABLE answers (
            id INTEGER PRIMARY KEY,
            respondent_id TEXT NOT NULL REFERENCES respondents(id) ON DELETE CASCADE,
            question_id TEXT NOT NULL,
            text TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (respondent_id, question_id)
        );
        CREATE INDEX answers_question ON answers(question_id);
        CREATE TABLE answer_revisions (
            id INTEGER PRIMARY KEY,
            respondent_id TEXT NOT NULL REFERENCES respondents(id) ON DELETE CASCADE,
            question_id TEXT NOT NULL,
            text TEXT NOT NULL,
            saved_at TEXT NOT NULL
        );
        CREATE INDEX answer_revisions_answer ON answer_revisions(respondent_id, question_id);
        -- Full-text search over answers, kept in step by triggers on every write. Named as
        -- sqlite-utils names it, so `sqlite-utils search` and Datasette find it.
        CREATE VIRTUAL TABLE answers_fts USING FTS5 (
            text, tokenize='porter unicode61 remove_diacritics 2', content="answers", content_rowid='id'
        );
        CREATE TRIGGER answers_ai AFTER INSERT ON answers BEGIN
            INSERT INTO answers_fts (rowid, text) VALUES (new.id, new.text);
        END;
        CREATE TRIGGER answers_ad AFTER DELETE ON answers BEGIN
            INSERT INTO answers_fts (answers_fts, rowid, text) VALUES ('delete', old.id, old.text);
        END;
        CREATE TRIGGER answers_au AFTER UPDATE ON answers BEGIN
            INSERT INTO answers_fts (answers_fts, rowid, text) VALUES ('delete', old.id, old.text);
            INSERT INTO answers_fts (rowid, text) VALUES (new.id, new.text);
        END;
        """
    )


@migrations()
def m002_analysis(db: sqlite_utils.Database) -> None:
    run_script(db,
        """
        CREATE TABLE analysis_runs (
            id INTEGER PRIMARY KEY,
            consultation_id TEXT NOT NULL REFERENCES consultations(id),
            created_at TEXT NOT NULL,
            method TEXT NOT NULL,
            version TEXT NOT NULL,
            params TEXT NOT NULL DEFAULT '{}',
            summary TEXT NOT NULL DEFAULT '{}'
        );
        CREATE TABLE themes (
            id INTEGER PRIMARY KEY,
            run_id INTEGER NOT NULL REFERENCES analysis_runs(id) ON DELETE CASCADE,
            question_id TEXT NOT NULL,
            position INTEGER NOT NULL,
            kind TEXT NOT NULL DEFAULT 'theme' CHECK (kind IN ('theme', 'other', 'non_answer')),
            label TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            terms TEXT NOT NULL DEFAULT '[]',
            size INTEGER NOT NULL DEFAULT 0,
            share REAL NOT NULL DEFAULT 0,
            cohesion REAL,
            similar_to INTEGER REFERENCES themes(id),
            created_by TEXT NOT NULL DEFAULT 'analysis'
        );
        CREATE INDEX themes_run_question ON themes(run_id, question_id);
        CREATE TABLE theme_members (
            theme_id INTEGER NOT NULL REFERENCES themes(id) ON DELETE CASCADE,
            respondent_id TEXT NOT NULL REFERENCES respondents(id) ON DELETE CASCADE,
            question_id TEXT NOT NULL,
            is_primary INTEGER NOT NULL DEFAULT 1,
            score REAL,
            rank INTEGER,
            PRIMARY KEY (theme_id, respondent_id, question_id)
        );
        CREATE INDEX theme_members_answer ON theme_members(respondent_id, question_id);
        """
    )


@migrations()
def m003_curation(db: sqlite_utils.Database) -> None:
    run_script(db, """
        -- Staff curation. Placements and key quotes are keyed by answer, not by theme id, so they
        -- outlive the run they were made on: the next `consult analyse` honours them.
        CREATE TABLE placements (
            respondent_id TEXT NOT NULL REFERENCES respondents(id) ON DELETE CASCADE,
            question_id TEXT NOT NULL,
            theme_label TEXT NOT NULL,
            placed_by TEXT NOT NULL,
            placed_at TEXT NOT NULL,
            PRIMARY KEY (respondent_id, question_id)
        );
        CREATE TABLE key_quotes (
            respondent_id TEXT NOT NULL REFERENCES respondents(id) ON DELETE CASCADE,
            question_id TEXT NOT NULL,
            marked_by TEXT NOT NULL,
            marked_at TEXT NOT NULL,
            PRIMARY KEY (respondent_id, question_id)
        );
        CREATE TABLE reads (
            respondent_id TEXT NOT NULL REFERENCES respondents(id) ON DELETE CASCADE,
            question_id TEXT NOT NULL,
            read_by TEXT NOT NULL,
            read_at TEXT NOT NULL,
            PRIMARY KEY (respondent_id, question_id, read_by)
        );
        CREATE TABLE flags (
            respondent_id TEXT NOT NULL REFERENCES respondents(id) ON DELETE CASCADE,
            question_id TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            flagged_by TEXT NOT NULL,
            flagged_at TEXT NOT NULL,
            PRIMARY KEY (respondent_id, question_id)
        );
        -- Every curation action, who and when, for the record.
        CREATE TABLE curation_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            by TEXT NOT NULL,
            action TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT '{}'
        );
        """)


@migrations()
def m004_search_prefixes(db: sqlite_utils.Database) -> None:
    """Prefix indexes on the answer search, so `train*` in the browser is as quick as `training`."""
    run_script(db, """
        DROP TRIGGER answers_ai;
        DROP TRIGGER answers_ad;
        DROP TRIGGER answers_au;
        DROP TABLE answers_fts;
        CREATE VIRTUAL TABLE answers_fts USING FTS5 (
            text, tokenize='porter unicode61 remove_diacritics 2', prefix='2 3 4',
            content="answers", content_rowid='id'
        );
        INSERT INTO answers_fts (answers_fts) VALUES ('rebuild');
        CREATE TRIGGER answers_ai AFTER INSERT ON answers BEGIN
            INSERT INTO answers_fts (rowid, text) VALUES (new.id, new.text);
        END;
        CREATE TRIGGER answers_ad AFTER DELETE ON answers BEGIN
            INSERT INTO answers_fts (answers_fts, rowid, text) VALUES ('delete', old.id, old.text);
        END;
        CREATE TRIGGER answers_au AFTER UPDATE ON answers BEGIN
            INSERT INTO answers_fts (answers_fts, rowid, text) VALUES ('delete', old.id, old.text);
            INSERT INTO answers_fts (rowid, text) VALUES (new.id, new.text);
        END;
        """)


@migrations()
def m007_harden_public_ids(db: sqlite_utils.Database) -> None:
    """Respondents keyed by consultation: the id a file or the app gives (``public_id``) is unique
    within one consultation only; ``id`` stays the internal key every other table points at, so
    an import into a second consultation never touches the first's respondent of that name.
    Every existing respondent keeps its id as its public id."""
    run_script(db, """
        ALTER TABLE respondents ADD COLUMN public_id TEXT;
        UPDATE respondents SET public_id = id;
        CREATE UNIQUE INDEX respondents_public ON respondents(consultation_id, public_id);
        -- An import in progress: its new respondents wait, invisible, under the consultation
        -- ``pending`` until one short transaction moves them into ``consultation_id``; a killed
        -- import's rows are removed by the next open.
        CREATE TABLE imports (
            pending TEXT PRIMARY KEY REFERENCES consultations(id),
            consultation_id TEXT NOT NULL,
            pid INTEGER NOT NULL,
            host TEXT NOT NULL,
            started_at TEXT NOT NULL
        );
        """)


@migrations()
def m008_harden_submitted_answers(db: sqlite_utils.Database) -> None:
    """The answers as last submitted, so that analysis and the report read what a member sent,
    not an edit in progress. ``amended`` marks a submitted response edited since; only those
    have rows here (taken at their first edit), everyone else's answers are as sent."""
    run_script(db, """
        CREATE TABLE submitted_answers (
            respondent_id TEXT NOT NULL REFERENCES respondents(id) ON DELETE CASCADE,
            question_id TEXT NOT NULL,
            text TEXT NOT NULL,
            submitted_at TEXT NOT NULL,
            PRIMARY KEY (respondent_id, question_id)
        );
        CREATE INDEX submitted_answers_question ON submitted_answers(question_id);
        ALTER TABLE respondents ADD COLUMN amended INTEGER NOT NULL DEFAULT 0;
        """)


@migrations()
def m009_harden_code_salts(db: sqlite_utils.Database) -> None:
    """A salt per respondent for the resume code's hash (older rows keep the shared salt), and
    the record of wrong codes that slows guessing down."""
    run_script(db, """
        ALTER TABLE respondents ADD COLUMN code_salt TEXT;
        ALTER TABLE respondents ADD COLUMN code_key TEXT;
        CREATE INDEX respondents_code_key ON respondents(code_key);
        CREATE TABLE code_attempts (
            consultation_id TEXT NOT NULL,
            at REAL NOT NULL
        );
        CREATE INDEX code_attempts_at ON code_attempts(consultation_id, at);
        """)

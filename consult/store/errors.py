"""What can go wrong with the database file, said in one line the user can act on.

Every ``sqlite3`` error that comes from the file or the machine (a lock held too long, a full
disk, a read-only file or folder, a damaged file, tables not as this version expects) becomes a
:class:`StoreError` at the connection itself, so no caller can forget to catch it: the CLI
prints ``str(exc)`` and exits 2, the TUIs keep the member's text on screen and retry when
``exc.retryable``. Errors that mean a bug in consult (SQL syntax, a broken constraint) stay
``sqlite3`` errors, so they are not disguised as the user's problem.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from pathlib import Path


class StoreError(Exception):
    """A database that cannot be opened or used; ``str(exc)`` is one line for the user.

    ``retryable``: the same write may succeed later (a lock, a full disk) and nothing was written.
    """

    retryable = False


class StoreBusy(StoreError):
    """Another program held the write lock longer than the busy timeout."""

    retryable = True


class StoreFull(StoreError):
    """The disk (or the file size limit) is full."""

    retryable = True


class StoreReadOnly(StoreError):
    """The file, its folder or its file system cannot be written."""


class StoreDamaged(StoreError):
    """The file is not a database, or fails SQLite's integrity check."""


class SchemaError(StoreError):
    """The tables are not the ones this version of consult knows (newer, or altered by hand)."""


def why_read_only(path: Path) -> StoreReadOnly:
    """Say which of file, folder or file system stops the write (they need different fixes)."""
    folder = path.parent if str(path.parent) else Path(".")
    with contextlib.suppress(OSError):
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return StoreReadOnly(f"{path} is on a read-only file system: copy it to a writable disk "
                                 "and use the copy")
    if path.exists() and not _can_open_for_writing(path):
        return StoreReadOnly(f"the database {path} is read-only (its permissions forbid writing): "
                             f"make it writable (chmod u+w {path}) or work on a copy")
    if not _can_create_in(folder):
        return StoreReadOnly(f"the folder {folder} is read-only: SQLite must create {path.name}-wal and "
                             f"{path.name}-shm beside the database; make the folder writable or copy "
                             "the database to a folder you can write")
    return StoreReadOnly(f"{path} cannot be written (read-only); check its permissions and those "
                         f"of {folder}")


def _can_open_for_writing(path: Path) -> bool:
    try:
        os.close(os.open(path, os.O_RDWR))
    except PermissionError:
        return False
    except OSError:
        return True
    return True


def _can_create_in(folder: Path) -> bool:
    try:
        fd, name = tempfile.mkstemp(dir=folder, prefix=".consult-probe-")
    except PermissionError:
        return False
    except OSError:
        return True
    os.close(fd)
    with contextlib.suppress(OSError):
        os.unlink(name)
    return True


def translate(exc: sqlite3.Error, path: Path) -> StoreError | None:
    """The :class:`StoreError` for an error from the file or the machine; None for a bug."""
    if isinstance(exc, StoreError):
        return exc
    code = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc)
    lowered = text.lower()
    if code.startswith("SQLITE_BUSY") or "database is locked" in lowered:
        return StoreBusy(f"{path} is busy: another consult command has held it for too long; "
                         "nothing was lost, try again in a moment")
    if code.startswith("SQLITE_FULL") or "database or disk is full" in lowered:
        return StoreFull(f"the disk holding {path} is full: free some space and try again "
                         "(nothing of this change was written)")
    if code.startswith("SQLITE_READONLY") or "readonly database" in lowered:
        return why_read_only(path)
    if code.startswith(("SQLITE_CANTOPEN", "SQLITE_IOERR", "SQLITE_PERM")) or \
            "unable to open database" in lowered or "disk i/o error" in lowered:
        if code.startswith("SQLITE_IOERR") and _disk_is_full(path):
            return StoreFull(f"the disk holding {path} is full: free some space and try again "
                             "(nothing of this change was written)")
        folder = path.parent if str(path.parent) else Path(".")
        if not folder.is_dir():
            return StoreError(f"cannot open {path}: folder {folder} does not exist")
        problem = why_read_only(path)
        if "cannot be written (read-only)" not in str(problem):
            return problem
        return StoreError(f"cannot open {path} ({text}): check the file and its folder")
    if code.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT")) or "file is not a database" in lowered \
            or "malformed" in lowered:
        return StoreDamaged(f"{path} is damaged or is not a consult database ({text}): restore it "
                            "from a backup (`consult backup` makes one); `consult check` says more")
    if "could not decode to utf-8" in lowered:
        return StoreDamaged(f"{path} holds text that is not UTF-8, so it is damaged or was changed "
                            "by another program: run `consult check`, or restore it from a backup")
    if "no such column" in lowered or "no such table" in lowered or "has no column named" in lowered:
        return SchemaError(f"the tables in {path} are not as this version of consult expects "
                           f"({text}): was it changed by hand? Restore it from a backup, or run "
                           "`consult check`")
    return None


def _disk_is_full(path: Path) -> bool:
    folder = path.parent if str(path.parent) else Path(".")
    try:
        return os.statvfs(folder).f_bavail == 0
    except OSError:
        return False


class _Cursor(sqlite3.Cursor):
    """A cursor whose file and machine errors arrive as :class:`StoreError` (see module doc)."""

    def _fail(self, exc: sqlite3.Error):
        problem = translate(exc, self.connection.store_path)
        if problem is None:
            raise exc
        raise problem from exc

    def execute(self, *args):
        try:
            return super().execute(*args)
        except sqlite3.Error as exc:
            self._fail(exc)

    def executemany(self, *args):
        try:
            return super().executemany(*args)
        except sqlite3.Error as exc:
            self._fail(exc)

    def executescript(self, *args):
        try:
            return super().executescript(*args)
        except sqlite3.Error as exc:
            self._fail(exc)

    def fetchone(self):
        try:
            return super().fetchone()
        except sqlite3.Error as exc:
            self._fail(exc)

    def fetchmany(self, *args):
        try:
            return super().fetchmany(*args)
        except sqlite3.Error as exc:
            self._fail(exc)

    def fetchall(self):
        try:
            return super().fetchall()
        except sqlite3.Error as exc:
            self._fail(exc)

    def __iter__(self):
        return self

    def __next__(self):
        try:
            return super().__next__()
        except sqlite3.Error as exc:
            self._fail(exc)


class Connection(sqlite3.Connection):
    """``sqlite3.connect(..., factory=Connection)``: every cursor is a :class:`_Cursor`."""

    store_path: Path = Path("?")

    def cursor(self, factory=_Cursor):  # noqa: D102
        return super().cursor(factory)

    def execute(self, *args):
        return self.cursor().execute(*args)

    def executemany(self, *args):
        return self.cursor().executemany(*args)

    def executescript(self, *args):
        return self.cursor().executescript(*args)

    def backup(self, *args, **kwargs):
        try:
            return super().backup(*args, **kwargs)
        except sqlite3.Error as exc:
            problem = translate(exc, self.store_path)
            if problem is None:
                raise
            raise problem from exc

"""Member writes that cannot be stored right now: kept, retried, and copied somewhere private.

A save can fail for reasons the member cannot see: another program holding the write lock (a
large ``consult import``), a full disk, a read-only file, a database from a newer consult. The
app must then keep the text, say plainly what is wrong, try again by itself, and leave a copy
that only the member's own account can read. :class:`PendingWrites` holds that state; it knows
nothing of Textual, so the rules are testable on their own.
"""

from __future__ import annotations

import errno
import json
import os
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from consult.files import write_private_atomic
from consult.store import StoreError
from consult.text import clean

# One member save waits at most this long for another writer's lock before it is kept to retry:
# the save runs on the screen's thread, so a longer wait would freeze the screen. Normal saves by
# other members take milliseconds, so this only trips on a long transaction (an import).
MEMBER_WAIT_MS = 400
# How often kept saves are tried again while the database refuses them.
RETRY_SECONDS = 3.0
# What a failed write may raise: SQLite's own errors, the store's typed error, the file system.
WRITE_ERRORS = (sqlite3.Error, StoreError, OSError)

Key = tuple[str, ...]


def problem_words(exc: BaseException) -> str:
    """What went wrong, in words a member understands (never a traceback)."""
    from consult.store.errors import SchemaError, StoreBusy, StoreFull, StoreReadOnly

    text = str(exc).lower()
    number = getattr(exc, "errno", None)
    if isinstance(exc, StoreBusy) or "locked" in text or "busy" in text:
        return "the database is busy (another program is writing to it)"
    if isinstance(exc, StoreFull) or " full" in text or number == errno.ENOSPC:
        return "the disk is full"
    if (isinstance(exc, StoreReadOnly) or "readonly" in text or "read-only" in text
            or number in (errno.EROFS, errno.EACCES)):
        return "the database cannot be written to (it is read-only)"
    if isinstance(exc, SchemaError) or "newer" in text:
        return "the database was made by a newer version of consult"
    return f"the database could not be written ({' '.join(clean(str(exc)).split())[:120]})"


def recovery_folders(db_path: Path) -> list[Path]:
    """Where a recovery copy may go, best first: beside the database (staff find it there), then
    the member's own data folder (it may be writable when the database's folder is not)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return [db_path.resolve().parent, Path(base) / "consult" / "recovery"]


def write_private(path: Path, text: str, *, replace: bool) -> None:
    """Write ``text`` to ``path`` readable by its owner only (0600), all or nothing.

    With ``replace=False`` an existing file is never touched (``FileExistsError``); with
    ``replace=True`` the file (one this session created) is swapped for the new text at once.
    """
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    write_private_atomic(path, text, overwrite=replace)


class PendingWrites:
    """Writes that failed, latest per key, tried again in order until the database takes them."""

    def __init__(self, db_path: Path, *, clock: Callable[[], datetime] = datetime.now) -> None:
        self.db_path = Path(db_path)
        self.clock = clock
        self.items: dict[Key, tuple[Callable, tuple]] = {}
        self.problem: str | None = None
        self.recovery_path: Path | None = None
        self.recovery_error: str | None = None

    def __bool__(self) -> bool:
        return bool(self.items)

    def run(self, key: Key, write: Callable, *args):
        """Run one write now, or keep it when the database refuses it (or is already refusing:
        later writes queue behind the kept ones, so nothing is stored out of order).
        Returns the write's result, or None when it was kept."""
        if self.items:
            self.items.pop(key, None)
            self.items[key] = (write, args)
            return None
        try:
            return write(*args)
        except WRITE_ERRORS as exc:
            self.items[key] = (write, args)
            self.problem = problem_words(exc)
            return None

    def retry(self) -> bool:
        """Try every kept write again, oldest first; True when none is left."""
        for key, entry in list(self.items.items()):
            write, args = entry
            try:
                write(*args)
            except WRITE_ERRORS as exc:
                self.problem = problem_words(exc)
                return False
            if self.items.get(key) is entry:
                del self.items[key]
        self.problem = None
        return True

    # ------------------------------------------------------------------ recovery copy
    def save_recovery(self, document: dict) -> Path | None:
        """Write (or refresh) this session's recovery copy; its path, or None if nowhere would
        take it (then :attr:`recovery_error` says why)."""
        body = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
        if self.recovery_path is not None:
            try:
                write_private(self.recovery_path, body, replace=True)
                return self.recovery_path
            except OSError:
                pass  # that folder stopped taking it: try the others with a new name
        stamp = self.clock().strftime("%Y%m%d-%H%M%S")
        who = document.get("respondent", "response")
        for folder in recovery_folders(self.db_path):
            for attempt in range(1, 100):
                suffix = "" if attempt == 1 else f"-{attempt}"
                path = folder / f"consult-recovery-{who}-{stamp}{suffix}.json"
                try:
                    write_private(path, body, replace=False)
                except FileExistsError:
                    continue
                except OSError as exc:
                    self.recovery_error = exc.strerror or str(exc)
                    break
                self.recovery_path = path
                return path
        return None

    def drop_recovery(self) -> None:
        """Everything reached the database: the copy (personal data) is not needed any more."""
        if self.recovery_path is not None:
            try:
                self.recovery_path.unlink(missing_ok=True)
            except OSError:
                return
            self.recovery_path = None

"""Loading many responses at once without making members wait, all or nothing.

A large import written in one transaction held the write lock for most of a minute (100,800
rows: 49 s), and members' saves failed behind it. Here the new respondents and their answers are
written in short transactions of :data:`IMPORT_CHUNK_ANSWERS` answers under a *pending*
consultation no reader asks for, with a pause between chunks in which waiting saves get the lock.
One short final transaction then moves them into the real consultation and applies the changes
to respondents already there. Until that commit nobody sees any of it; if the import fails its
rows are removed, and if its process is killed the next open of the database removes them.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import socket
import sqlite3
import time
from collections.abc import Iterable

from consult.store.errors import StoreError

# Answers written per staging transaction: about 0.05 s of lock with the search index updated,
# so a member's save waits at most about that long behind one chunk.
IMPORT_CHUNK_ANSWERS = 500
# Pause between chunks: several of Database.write's lock polls (LOCK_POLL_S), so a save that is
# waiting gets the lock before the next chunk does.
IMPORT_PAUSE_S = 0.02
# Consultation ids of imports in progress start so; no bank id can (bank ids are identifiers).
PENDING_PREFIX = "~importing:"


class ImportsMixin:
    """:meth:`load_responses` and the clean-up of imports that were killed."""

    def load_responses(self, consultation_id: str, records: Iterable[dict], *, source: str = "import") -> int:
        """Insert or update whole responses: all of them, or none.

        Each record: ``respondent`` (its public id within this consultation), optional
        ``status``, ``profile``, ``consent``, ``created_at``, ``updated_at``, ``submitted_at`` and
        ``answers`` ({question id: text}). Re-loading the same records changes nothing, so an
        import can be run twice safely. Validation is the caller's job; this only writes.
        """
        records = list(records)
        existing = self._existing_public_ids(consultation_id, [str(r["respondent"]) for r in records])
        fresh = [r for r in records if str(r["respondent"]) not in existing]
        known = [r for r in records if str(r["respondent"]) in existing]
        pending = self._stage(consultation_id, fresh, source) if fresh else None
        try:
            with self.write():
                if pending is not None:
                    self._publish(pending, consultation_id)
                for rec in known:
                    self._update_known(existing[str(rec["respondent"])], rec)
        except BaseException as exc:
            if pending is not None:
                with contextlib.suppress(StoreError):
                    self._discard(pending)
            if isinstance(exc, sqlite3.IntegrityError):
                raise StoreError("another import added some of the same respondents meanwhile; "
                                 "nothing was imported: run the import again") from None
            raise
        return len(records)

    # ------------------------------------------------------------------ staging
    def _existing_public_ids(self, consultation_id: str, public_ids: list[str]) -> dict[str, str]:
        """``{public id: internal id}`` of those already in the consultation."""
        found: dict[str, str] = {}
        for start in range(0, len(public_ids), 500):
            chunk = public_ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.query(f"SELECT public_id, id FROM respondents WHERE consultation_id = ?"
                                  f" AND public_id IN ({marks})", (consultation_id, *chunk)):
                found[row[0]] = row[1]
        return found

    def _internal_id(self, consultation_id: str, public_id: str, taken: set[str]) -> str:
        """The public id itself when no consultation uses it yet, else one made unique."""
        candidate, n = public_id, 1
        while candidate in taken or self.scalar("SELECT 1 FROM respondents WHERE id = ?", (candidate,)):
            candidate = f"{public_id}@{consultation_id}" + (f"#{n}" if n > 1 else "")
            n += 1
        taken.add(candidate)
        return candidate

    def _stage(self, consultation_id: str, records: list[dict], source: str) -> str:
        pending = f"{PENDING_PREFIX}{secrets.token_hex(6)}"
        with self.write():
            self.conn.execute("INSERT INTO consultations (id, title, updated_at) VALUES (?, ?, ?)",
                              (pending, f"(import into {consultation_id} in progress)", self.now()))
            self.conn.execute("INSERT INTO imports (pending, consultation_id, pid, host, started_at)"
                              " VALUES (?, ?, ?, ?, ?)",
                              (pending, consultation_id, os.getpid(), socket.gethostname(), self.now()))
        try:
            taken: set[str] = set()
            batch: list[dict] = []
            size = 0
            for rec in records:
                batch.append(rec)
                size += max(len(rec.get("answers") or {}), 1)
                if size >= IMPORT_CHUNK_ANSWERS:
                    self._stage_chunk(pending, consultation_id, batch, source, taken)
                    batch, size = [], 0
                    time.sleep(IMPORT_PAUSE_S)
            if batch:
                self._stage_chunk(pending, consultation_id, batch, source, taken)
        except BaseException:
            with contextlib.suppress(StoreError):
                self._discard(pending)
            raise
        return pending

    def _stage_chunk(self, pending: str, consultation_id: str, records: list[dict], source: str,
                     taken: set[str]) -> None:
        now = self.now()
        with self.write():
            for rec in records:
                public_id = str(rec["respondent"])
                rid = self._internal_id(consultation_id, public_id, taken)
                status = rec.get("status") or "submitted"
                answers = {q: t for q, t in (rec.get("answers") or {}).items() if t != ""}
                written = rec.get("updated_at") or rec.get("submitted_at") or rec.get("created_at")
                self.conn.execute(
                    "INSERT INTO respondents (id, public_id, consultation_id, source, status, profile,"
                    " consent, created_at, updated_at, submitted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (rid, public_id, pending, source, status,
                     json.dumps(rec.get("profile") or {}, ensure_ascii=False),
                     json.dumps(rec.get("consent") or {}), rec.get("created_at") or now,
                     written or now, rec.get("submitted_at")))
                rows = [(rid, q, t, now) for q, t in answers.items()]
                self.conn.executemany("INSERT INTO answers (respondent_id, question_id, text, updated_at)"
                                      " VALUES (?, ?, ?, ?)", rows)
                self.conn.executemany("INSERT INTO answer_revisions (respondent_id, question_id, text,"
                                      " saved_at) VALUES (?, ?, ?, ?)", rows)

    def _publish(self, pending: str, consultation_id: str) -> None:
        """Inside the final transaction: the staged respondents join the consultation."""
        self.conn.execute("UPDATE respondents SET consultation_id = ? WHERE consultation_id = ?",
                          (consultation_id, pending))
        self.conn.execute("DELETE FROM imports WHERE pending = ?", (pending,))
        self.conn.execute("DELETE FROM consultations WHERE id = ?", (pending,))

    def _update_known(self, rid: str, rec: dict) -> None:
        """A record for a respondent already in the consultation: merge, inside the final transaction."""
        existing = self.respondent(rid)
        if existing is None:  # erased meanwhile: the erasure stands
            return
        changes = {}
        if rec.get("profile"):
            changes["profile"] = json.dumps({**existing.profile, **rec["profile"]}, ensure_ascii=False)
        if rec.get("consent"):
            changes["consent"] = json.dumps({**existing.consent, **rec["consent"]})
        if rec.get("status"):
            changes["status"] = rec["status"]
        if changes:
            self._touch(rid, **changes)
        changed = False
        for question_id, text in (rec.get("answers") or {}).items():
            changed |= self.save_answer(rid, question_id, text)
        if changed or rec.get("status"):
            # The file is the response as sent: what it holds now is the submitted version.
            self._sent_again(rid)

    # ------------------------------------------------------------------ clean-up
    def _discard(self, pending: str) -> None:
        """Remove a staged import's rows, a chunk at a time (the lock is never held long)."""
        while True:
            with self.write():
                ids = [r[0] for r in self.query("SELECT id FROM respondents WHERE consultation_id = ?"
                                                " LIMIT ?", (pending, IMPORT_CHUNK_ANSWERS // 10 or 1))]
                if not ids:
                    self.conn.execute("DELETE FROM imports WHERE pending = ?", (pending,))
                    self.conn.execute("DELETE FROM consultations WHERE id = ?", (pending,))
                    return
                marks = ",".join("?" * len(ids))
                self.conn.execute(f"DELETE FROM respondents WHERE id IN ({marks})", ids)
            time.sleep(IMPORT_PAUSE_S)

    def recover_imports(self) -> int:
        """Remove what imports killed mid-way left staged; return how many there were.

        An import whose process is still running (same host, live pid) is left alone.
        """
        stale = [row["pending"] for row in self.query("SELECT pending, pid, host FROM imports")
                 if row["host"] == socket.gethostname() and not _pid_alive(row["pid"])]
        for pending in stale:
            self._discard(pending)
        return len(stale)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True

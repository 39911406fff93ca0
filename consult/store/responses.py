"""Consultations, respondents and their answers.

A respondent who answers in the app gets a random public id and a resume code; only a slow hash
of the code is stored, so a copy of the database does not hand out everyone's codes. Answers keep
one current text per question plus an append-only history of revisions.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field

from consult.questions import Bank

# No 0/O, 1/I/L: easy to read aloud and copy by hand.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


@dataclass
class Respondent:
    id: str
    consultation_id: str
    source: str = "app"
    status: str = "draft"
    profile: dict = field(default_factory=dict)
    consent: dict = field(default_factory=dict)
    position: str | None = None
    created_at: str = ""
    updated_at: str = ""
    submitted_at: str | None = None
    excluded_reason: str | None = None

    @property
    def submitted(self) -> bool:
        return self.status == "submitted"

    @property
    def excluded(self) -> bool:
        return self.excluded_reason is not None

    @classmethod
    def from_row(cls, row) -> Respondent:
        return cls(id=row["id"], consultation_id=row["consultation_id"], source=row["source"],
                   status=row["status"], profile=json.loads(row["profile"] or "{}"),
                   consent=json.loads(row["consent"] or "{}"), position=row["position"],
                   created_at=row["created_at"], updated_at=row["updated_at"],
                   submitted_at=row["submitted_at"], excluded_reason=row["excluded_reason"])


def new_code() -> str:
    """A resume code such as ``KX7P-3QMD`` (about 40 bits)."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def normalise_code(code: str) -> str:
    """Upper-case, drop spaces and dashes, and read look-alikes (O->0 is not in the alphabet)."""
    return re.sub(r"[^A-Z0-9]", "", code.upper())


class ResponsesMixin:
    """Methods of :class:`consult.store.Store` for consultations, respondents and answers."""

    # ------------------------------------------------------------------ consultation
    def sync_bank(self, bank: Bank) -> None:
        """Record the consultation and its questions, so the file describes itself in Datasette.

        Writes only when something changed, so that commands that only read (report, export,
        browse) take no write lock and work on a database they may not write.
        """
        consultation = {"id": bank.id, "title": bank.title, "publisher": bank.publisher,
                        "date": bank.date, "bank_path": str(bank.path)}
        rows = [{"consultation_id": bank.id, "id": q.id, "position": i, "section_id": s.id,
                 "section_title": s.title, "text": q.text, "kind": q.kind,
                 "key_question": int(q.key_question)}
                for i, (s, q) in enumerate((s, q) for s in bank.sections for q in s.questions)]
        stored = self.conn.execute("SELECT id, title, publisher, date, bank_path FROM consultations"
                                   " WHERE id = ?", (bank.id,)).fetchone()
        ids = {r["id"] for r in rows}
        stored_rows = [dict(r) for r in self.query(
            "SELECT consultation_id, id, position, section_id, section_title, text, kind, key_question"
            " FROM questions WHERE consultation_id = ? ORDER BY position", (bank.id,)) if r["id"] in ids]
        if stored is not None and dict(stored) == consultation and stored_rows == rows:
            return
        with self.write():
            self.db["consultations"].upsert({**consultation, "updated_at": self.now()}, pk="id")
            self.db["questions"].upsert_all(rows, pk=("consultation_id", "id"))

    def has_consultation(self, consultation_id: str) -> bool:
        return self.scalar("SELECT 1 FROM consultations WHERE id = ?", (consultation_id,)) is not None

    def consultations(self) -> list[dict]:
        """Every consultation this database holds: ``id``, ``title``, ``bank_path``, by id."""
        return [dict(r) for r in self.query("SELECT id, title, bank_path FROM consultations ORDER BY id")]

    def _code_hash(self, code: str) -> str:
        salt = self.scalar("SELECT value FROM settings WHERE key = 'code_salt'")
        if salt is None:
            with self.write():
                self.conn.execute("INSERT OR IGNORE INTO settings VALUES ('code_salt', ?)",
                                  (secrets.token_hex(16),))
            salt = self.scalar("SELECT value FROM settings WHERE key = 'code_salt'")
        digest = hashlib.scrypt(normalise_code(code).encode(), salt=bytes.fromhex(salt),
                                n=2**13, r=8, p=1, dklen=32)
        return digest.hex()

    # ------------------------------------------------------------------ respondents
    def new_respondent(self, consultation_id: str, *, code: str | None = None) -> tuple[Respondent, str]:
        """A fresh draft response and its resume code (the only time the code exists in clear).

        ``code`` fixes the code (tests use it for repeatable screens); it must be well formed and
        unused.
        """
        if code is not None:
            raw = normalise_code(code)
            if len(raw) != CODE_LENGTH or set(raw) - set(CODE_ALPHABET):
                raise ValueError(f"not a resume code: {code!r}")
            code = f"{raw[:4]}-{raw[4:]}"
            code_hash = self._code_hash(code)
            if self.scalar("SELECT 1 FROM respondents WHERE code_hash = ?", (code_hash,)) is not None:
                raise ValueError("that resume code is already in use")
        while code is None:
            candidate = new_code()
            code_hash = self._code_hash(candidate)
            if self.scalar("SELECT 1 FROM respondents WHERE code_hash = ?", (code_hash,)) is None:
                code = candidate
        now = self.now()
        respondent_id = secrets.token_hex(6)
        with self.write():
            self.conn.execute(
                "INSERT INTO respondents (id, consultation_id, source, code_hash, status, created_at,"
                " updated_at) VALUES (?, ?, 'app', ?, 'draft', ?, ?)",
                (respondent_id, consultation_id, code_hash, now, now))
        return self.respondent(respondent_id), code

    def respondent(self, respondent_id: str) -> Respondent | None:
        row = self.conn.execute("SELECT * FROM respondents WHERE id = ?", (respondent_id,)).fetchone()
        return Respondent.from_row(row) if row else None

    def respondent_by_code(self, consultation_id: str, code: str) -> Respondent | None:
        """The response this code opens, or None; never a near match."""
        if len(normalise_code(code)) != CODE_LENGTH:
            return None
        row = self.conn.execute(
            "SELECT * FROM respondents WHERE code_hash = ? AND consultation_id = ?",
            (self._code_hash(code), consultation_id)).fetchone()
        return Respondent.from_row(row) if row else None

    def respondents(self, consultation_id: str, *, include_excluded: bool = False,
                    status: str | None = None) -> list[Respondent]:
        sql = "SELECT * FROM respondents WHERE consultation_id = ?"
        params: list = [consultation_id]
        if not include_excluded:
            sql += " AND excluded_reason IS NULL"
        if status:
            sql += " AND status = ?"
            params.append(status)
        return [Respondent.from_row(r) for r in self.query(sql + " ORDER BY created_at, id", tuple(params))]

    def _touch(self, respondent_id: str, **columns) -> None:
        columns["updated_at"] = self.now()
        sets = ", ".join(f"{name} = ?" for name in columns)
        cursor = self.conn.execute(f"UPDATE respondents SET {sets} WHERE id = ?",
                                   (*columns.values(), respondent_id))
        if cursor.rowcount != 1:
            raise KeyError(respondent_id)

    def save_profile(self, respondent_id: str, profile: dict) -> None:
        with self.write():
            self._touch(respondent_id, profile=json.dumps(profile, ensure_ascii=False))

    def save_consent(self, respondent_id: str, consent: dict[str, bool]) -> None:
        with self.write():
            self._touch(respondent_id, consent=json.dumps(consent))

    def save_position(self, respondent_id: str, position: str) -> None:
        """Where the member was, so that resuming brings them back there."""
        with self.write():
            self._touch(respondent_id, position=position)

    def submit(self, respondent_id: str) -> None:
        """Mark a response submitted; resubmitting an amended response updates the time."""
        with self.write():
            self._touch(respondent_id, status="submitted", submitted_at=self.now())

    # ------------------------------------------------------------------ answers
    def save_answer(self, respondent_id: str, question_id: str, text: str) -> bool:
        """Store the current text of one answer; return False when nothing changed.

        Every change is also appended to ``answer_revisions``. An emptied answer is kept as an
        empty string, so that clearing a box is remembered too.
        """
        with self.write():
            old = self.conn.execute(
                "SELECT text FROM answers WHERE respondent_id = ? AND question_id = ?",
                (respondent_id, question_id)).fetchone()
            if old is not None and old[0] == text:
                return False
            if old is None and text == "":
                return False
            now = self.now()
            self.conn.execute(
                "INSERT INTO answers (respondent_id, question_id, text, updated_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (respondent_id, question_id) DO UPDATE SET text = excluded.text,"
                " updated_at = excluded.updated_at",
                (respondent_id, question_id, text, now))
            self.conn.execute(
                "INSERT INTO answer_revisions (respondent_id, question_id, text, saved_at)"
                " VALUES (?, ?, ?, ?)", (respondent_id, question_id, text, now))
            self._touch(respondent_id)
        return True

    def answers(self, respondent_id: str) -> dict[str, str]:
        """One respondent's current answers, non-empty only, by question id."""
        rows = self.query("SELECT question_id, text FROM answers WHERE respondent_id = ? AND text != ''",
                          (respondent_id,))
        return {r["question_id"]: r["text"] for r in rows}

    def answers_to(self, question_id: str, *, consultation_id: str | None = None,
                   include_excluded: bool = False, submitted_only: bool = False) -> list[tuple[str, str]]:
        """``(respondent_id, text)`` for every non-empty answer to one question, stable order."""
        sql = ("SELECT a.respondent_id, a.text FROM answers a JOIN respondents r ON r.id = a.respondent_id"
               " WHERE a.question_id = ? AND a.text != ''")
        params: list = [question_id]
        if consultation_id:
            sql += " AND r.consultation_id = ?"
            params.append(consultation_id)
        if not include_excluded:
            sql += " AND r.excluded_reason IS NULL"
        if submitted_only:
            sql += " AND r.status = 'submitted'"
        return [(r[0], r[1]) for r in self.query(sql + " ORDER BY a.respondent_id", tuple(params))]

    def revisions(self, respondent_id: str, question_id: str) -> list[str]:
        rows = self.query("SELECT text FROM answer_revisions WHERE respondent_id = ? AND question_id = ?"
                          " ORDER BY id", (respondent_id, question_id))
        return [r[0] for r in rows]

    # ------------------------------------------------------------------ bulk load
    def load_responses(self, consultation_id: str, records: Iterable[dict], *, source: str = "import") -> int:
        """Insert or update whole responses in one transaction: all of them, or none.

        Each record: ``respondent`` (kept as the id), optional ``status``, ``profile``,
        ``consent``, ``created_at``, ``submitted_at`` and ``answers`` ({question id: text}).
        Re-loading the same records changes nothing, so an import can be run twice safely.
        Validation is the caller's job; this only writes.
        """
        count = 0
        with self.write():
            for rec in records:
                rid = str(rec["respondent"])
                now = self.now()
                existing = self.respondent(rid)
                if existing is None:
                    self.conn.execute(
                        "INSERT INTO respondents (id, consultation_id, source, status, profile, consent,"
                        " created_at, updated_at, submitted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (rid, consultation_id, source, rec.get("status") or "submitted",
                         json.dumps(rec.get("profile") or {}, ensure_ascii=False),
                         json.dumps(rec.get("consent") or {}), rec.get("created_at") or now,
                         rec.get("updated_at") or rec.get("created_at") or now,
                         rec.get("submitted_at")))
                else:
                    changes = {}
                    if rec.get("profile"):
                        changes["profile"] = json.dumps({**existing.profile, **rec["profile"]}, ensure_ascii=False)
                    if rec.get("consent"):
                        changes["consent"] = json.dumps({**existing.consent, **rec["consent"]})
                    if rec.get("status"):
                        changes["status"] = rec["status"]
                    if changes:
                        self._touch(rid, **changes)
                for question_id, text in (rec.get("answers") or {}).items():
                    self.save_answer(rid, question_id, text)
                if existing is None:
                    # Saving the answers stamped the import time; a response's own times, when
                    # the file gives them, say more about when it was written.
                    written = rec.get("updated_at") or rec.get("submitted_at") or rec.get("created_at")
                    if written:
                        self.conn.execute("UPDATE respondents SET updated_at = ? WHERE id = ?", (written, rid))
                count += 1
        return count

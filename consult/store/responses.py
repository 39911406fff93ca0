"""Consultations, respondents and their answers.

A respondent who answers in the app gets a random public id and a resume code; only a slow hash
of the code is stored, so a copy of the database does not hand out everyone's codes. Answers keep
one current text per question plus an append-only history of revisions.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass, field

from consult.questions import Bank
from consult.store.codes import CODE_ALPHABET, CODE_LENGTH, new_code, normalise_code
from consult.store.imports import PENDING_PREFIX
from consult.store.staff_text import staff_text

__all__ = ["Respondent", "ResponsesMixin", "CODE_ALPHABET", "CODE_LENGTH", "new_code", "normalise_code"]

@dataclass
class Respondent:
    """One response. ``id`` is the internal key; ``public_id`` the id shown and exported, unique
    within its consultation (an imported file's respondent column; the same as ``id`` for
    responses made in the app and whenever no other consultation used that id)."""

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
    public_id: str = ""
    amended: bool = False  # submitted, then edited: analysis reads the submitted version

    def __post_init__(self) -> None:
        self.public_id = self.public_id or self.id

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
                   submitted_at=row["submitted_at"], excluded_reason=row["excluded_reason"],
                   public_id=row["public_id"] or row["id"], amended=bool(row["amended"]))


_SURROGATE = re.compile("[\ud800-\udfff]")


def storable(text: str) -> str:
    """``text`` as SQLite can store it: lone surrogates (from odd input decoding) become U+FFFD."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


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
        return [dict(r) for r in self.query("SELECT id, title, bank_path FROM consultations"
                                            f" WHERE id NOT LIKE '{PENDING_PREFIX}%' ORDER BY id")]

    # ------------------------------------------------------------------ respondents
    def new_respondent(self, consultation_id: str, *, code: str | None = None) -> tuple[Respondent, str]:
        """A fresh draft response and its resume code (the only time the code exists in clear).

        ``code`` fixes the code (tests use it for repeatable screens); it must be well formed and
        unused.
        """
        code, columns = self._code_columns(code)
        now = self.now()
        respondent_id = secrets.token_hex(6)
        names = ", ".join(columns)
        marks = ", ".join("?" * len(columns))
        with self.write():
            self.conn.execute(
                f"INSERT INTO respondents (id, public_id, consultation_id, source, status, created_at,"
                f" updated_at, {names}) VALUES (?, ?, ?, 'app', 'draft', ?, ?, {marks})",
                (respondent_id, respondent_id, consultation_id, now, now, *columns.values()))
        return self.respondent(respondent_id), code

    def respondent(self, respondent_id: str) -> Respondent | None:
        row = self.conn.execute("SELECT * FROM respondents WHERE id = ?", (respondent_id,)).fetchone()
        return Respondent.from_row(row) if row else None

    def respondent_by_public_id(self, consultation_id: str, public_id: str) -> Respondent | None:
        """The respondent a file, an export or staff call ``public_id`` in this consultation."""
        row = self.conn.execute("SELECT * FROM respondents WHERE consultation_id = ? AND public_id = ?",
                                (consultation_id, public_id)).fetchone()
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
        """Mark a response submitted: its current answers are what analysis and the report read.
        Resubmitting an amended response replaces the version submitted before."""
        with self.write():
            self._touch(respondent_id, status="submitted", submitted_at=self.now())
            self._sent_again(respondent_id)

    def _sent_again(self, respondent_id: str) -> None:
        """Inside a transaction: the current answers are the submitted version again."""
        self.conn.execute("DELETE FROM submitted_answers WHERE respondent_id = ?", (respondent_id,))
        self.conn.execute("UPDATE respondents SET amended = 0 WHERE id = ?", (respondent_id,))

    def _keep_submitted(self, respondent_id: str) -> None:
        """Inside a transaction, before a submitted response's first edit: keep the answers as
        sent, which are its current answers until now."""
        row = self.conn.execute("SELECT status, amended, submitted_at FROM respondents WHERE id = ?",
                                (respondent_id,)).fetchone()
        if row is None or row[0] != "submitted" or row[1]:
            return
        # (a plain INSERT after a DELETE: REPLACE would skip the search index's delete trigger)
        self.conn.execute("DELETE FROM submitted_answers WHERE respondent_id = ?", (respondent_id,))
        self.conn.execute("INSERT INTO submitted_answers (respondent_id, question_id, text,"
                          " submitted_at) SELECT respondent_id, question_id, text, ? FROM answers"
                          " WHERE respondent_id = ? AND text != ''", (row[2] or self.now(), respondent_id))
        self.conn.execute("UPDATE respondents SET amended = 1 WHERE id = ?", (respondent_id,))

    # ------------------------------------------------------------------ answers
    def save_answer(self, respondent_id: str, question_id: str, text: str) -> bool:
        """Store the current text of one answer; return False when nothing changed.

        Every change is also appended to ``answer_revisions``. An emptied answer is kept as an
        empty string, so that clearing a box is remembered too. A lone surrogate (which no UTF-8
        file can hold, so SQLite refuses the whole text) becomes U+FFFD: the rest is kept.
        """
        text = storable(text)
        with self.write():
            old = self.conn.execute(
                "SELECT text FROM answers WHERE respondent_id = ? AND question_id = ?",
                (respondent_id, question_id)).fetchone()
            if old is not None and old[0] == text:
                return False
            if old is None and text == "":
                return False
            now = self.now()
            self._keep_submitted(respondent_id)
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

    def staff_answers(self, respondent_id: str) -> dict[str, str]:
        """One respondent's answers as staff see them (:func:`staff_text`: as submitted while
        the member edits a draft since), non-empty only, by question id."""
        text = staff_text()
        rows = self.query(f"SELECT a.question_id, {text} FROM answers a JOIN respondents r"
                          f" ON r.id = a.respondent_id WHERE a.respondent_id = ? AND {text} != ''",
                          (respondent_id,))
        return {r[0]: r[1] for r in rows}

    def answers_to(self, question_id: str, *, consultation_id: str | None = None,
                   include_excluded: bool = False, submitted_only: bool = False,
                   current: bool = False) -> list[tuple[str, str]]:
        """``(respondent_id, text)`` for every non-empty answer to one question, stable order.

        A submitted response gives its answers as submitted, even if the member has edited them
        since (``Respondent.amended``) until they submit again; a draft gives its current text.
        ``current=True`` gives everyone's current text (the member's own view).
        """
        text = "a.text" if current else staff_text()
        sql = (f"SELECT a.respondent_id, {text} FROM answers a JOIN respondents r ON r.id = a.respondent_id"
               f" WHERE a.question_id = ? AND {text} != ''")
        params: list = [question_id]
        if consultation_id:
            sql += " AND r.consultation_id = ?"
            params.append(consultation_id)
        else:
            sql += f" AND r.consultation_id NOT LIKE '{PENDING_PREFIX}%'"
        if not include_excluded:
            sql += " AND r.excluded_reason IS NULL"
        if submitted_only:
            sql += " AND r.status = 'submitted'"
        return [(r[0], r[1]) for r in self.query(sql + " ORDER BY a.respondent_id", tuple(params))]

    def revisions(self, respondent_id: str, question_id: str) -> list[str]:
        rows = self.query("SELECT text FROM answer_revisions WHERE respondent_id = ? AND question_id = ?"
                          " ORDER BY id", (respondent_id, question_id))
        return [r[0] for r in rows]

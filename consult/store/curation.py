"""Staff curation of responses and themes: key quotes, reading, flags, exclusions, theme edits.

Every curation action is one method, one ``BEGIN IMMEDIATE`` transaction and one row in
``curation_log`` (who, when, what: an audit trail, never read back for meaning). Theme edits
made on a run's rows (as the browser makes them) are edits of the codebook theme the row shows
(``consult.store.codebook_edits``): they last through every later run.

Reading marks are not curation: they go to ``reads`` (who, when) and not to the log.
"""

from __future__ import annotations

import json

from consult.store.search import SearchMixin

OTHER_LABEL = "Other"
# The built-in groups' names (as consult.pipeline writes them): no theme of staff may take one, in
# any case, or the report would show two groups of that name (and "Other" means "keep in Other").
NON_ANSWER_LABEL = "No substantive answer"
TOO_FEW_LABEL = "Too few answers to find themes"
RESERVED_LABELS = (OTHER_LABEL, NON_ANSWER_LABEL, TOO_FEW_LABEL)


class CurationError(ValueError):
    """A curation that cannot be done as asked; the message is for the user."""


class CurationMixin(SearchMixin):
    """Methods of :class:`consult.store.Store` for staff curation."""

    # ------------------------------------------------------------------ reads for analysis/report
    def key_quotes(self, question_id: str | None = None) -> set[tuple[str, str]]:
        """Answers marked as key quotes, as ``(respondent id, question id)``; the report prefers them."""
        sql = "SELECT respondent_id, question_id FROM key_quotes"
        rows = self.query(sql + " WHERE question_id = ?", (question_id,)) if question_id else self.query(sql)
        return {(r[0], r[1]) for r in rows}

    def flags(self, question_id: str | None = None) -> dict[tuple[str, str], str]:
        """Answers flagged for follow-up, ``{(respondent id, question id): note}``."""
        sql = "SELECT respondent_id, question_id, note FROM flags"
        rows = self.query(sql + " WHERE question_id = ?", (question_id,)) if question_id else self.query(sql)
        return {(r[0], r[1]): r[2] for r in rows}

    def is_read(self, respondent_id: str, question_id: str, user: str) -> bool:
        return self.scalar("SELECT 1 FROM reads WHERE respondent_id = ? AND question_id = ? AND read_by = ?",
                           (respondent_id, question_id, user)) is not None

    def curation_log(self, limit: int = 100) -> list[dict]:
        """The latest curation actions, newest first."""
        rows = self.query("SELECT id, at, by, action, detail FROM curation_log ORDER BY id DESC LIMIT ?",
                          (limit,))
        return [{"id": r[0], "at": r[1], "by": r[2], "action": r[3], "detail": json.loads(r[4])} for r in rows]

    # ------------------------------------------------------------------ helpers (inside a transaction)
    def _log(self, by: str, action: str, **detail) -> None:
        self.conn.execute("INSERT INTO curation_log (at, by, action, detail) VALUES (?, ?, ?, ?)",
                          (self.now(), by, action, json.dumps(detail, ensure_ascii=False)))

    def _run_theme(self, theme_id: int):
        """A row of a run's themes, with the codebook theme it shows."""
        row = self.conn.execute("SELECT t.*, r.consultation_id FROM themes t JOIN analysis_runs r ON r.id = t.run_id"
                                " WHERE t.id = ?", (theme_id,)).fetchone()
        if row is None:
            raise CurationError(f"no theme with id {theme_id}")
        return row

    def _codebook_id(self, theme_id: int) -> tuple[int, object]:
        row = self._run_theme(theme_id)
        if row["kind"] != "theme":
            raise CurationError(f"{row['label']!r} is a built-in group and keeps its name")
        if row["codebook_id"] is None:
            raise CurationError(f"{row['label']!r} is from an earlier run: edit the latest run's themes")
        return row["codebook_id"], row

    def _row_of(self, run_id: int, codebook_id: int | None, kind: str = "theme") -> int | None:
        if codebook_id is None:
            return self.scalar("SELECT id FROM themes WHERE run_id = ? AND kind = ? ORDER BY id LIMIT 1",
                               (run_id, kind))
        return self.scalar("SELECT id FROM themes WHERE run_id = ? AND codebook_id = ?", (run_id, codebook_id))

    # ------------------------------------------------------------------ theme actions on run rows
    # The browser names themes by their row in the latest run; these turn that into the codebook
    # theme the row shows and make the codebook edit (consult.store.codebook_edits), which then
    # rewrites the run's rows. Row ids stay as long as their theme does.
    def rename_theme(self, theme_id: int, label: str, *, by: str) -> None:
        """Give a theme a new name (the codebook theme: it lasts through every later run)."""
        codebook_id, row = self._codebook_id(theme_id)
        if " ".join((label or "").split()) == row["label"]:
            return
        self.codebook_rename(codebook_id, label, by=by)

    def merge_themes(self, into_id: int, from_id: int, *, by: str) -> int:
        """Fold ``from_id`` into ``into_id``; returns the number of answers moved."""
        if into_id == from_id:
            raise CurationError("a theme cannot be merged into itself")
        into, _ = self._codebook_id(into_id)
        src, _ = self._codebook_id(from_id)
        return self.codebook_merge(src, into, by=by)

    def split_theme(self, theme_id: int, respondent_ids: list[str], label: str, *, by: str) -> int:
        """Move the chosen answers of a theme into a new theme called ``label``; return its row id."""
        if not respondent_ids:
            raise CurationError("choose the answers to split off first")
        codebook_id, row = self._codebook_id(theme_id)
        with self.write():
            new_ids = self.codebook_split(codebook_id, [(label, "", [], list(respondent_ids))], by=by)
            return self._row_of(row["run_id"], new_ids[0])

    def move_answer(self, run_id: int, respondent_id: str, question_id: str, to_theme_id: int | None,
                    *, by: str) -> int:
        """Put one answer in another theme, or in Other (``None``); returns the row it is now in."""
        with self.write():
            consultation_id = self.scalar("SELECT consultation_id FROM analysis_runs WHERE id = ?", (run_id,))
            target = None
            if to_theme_id is not None:
                row = self._run_theme(to_theme_id)
                if (row["run_id"], row["question_id"]) != (run_id, question_id):
                    raise CurationError("an answer can only move to a theme of its own question")
                if row["kind"] == "non_answer":
                    raise CurationError("answers cannot be moved into the non-answer group")
                if row["kind"] == "theme":
                    target, _ = self._codebook_id(to_theme_id)
            self.codebook_code(consultation_id, question_id, respondent_id, target, by=by)
            found = self._row_of(run_id, target, "other")
            if found is None:
                raise CurationError("no such answer")
            return found

    # ------------------------------------------------------------------ answer actions
    def set_key_quote(self, respondent_id: str, question_id: str, on: bool = True, *, by: str) -> None:
        """Mark (or unmark) an answer as a key quote; the report prefers key quotes."""
        with self.write():
            if on:
                self.conn.execute("INSERT OR IGNORE INTO key_quotes (respondent_id, question_id, marked_by,"
                                  " marked_at) VALUES (?, ?, ?, ?)", (respondent_id, question_id, by, self.now()))
            else:
                self.conn.execute("DELETE FROM key_quotes WHERE respondent_id = ? AND question_id = ?",
                                  (respondent_id, question_id))
            self._log(by, "key_quote" if on else "unkey_quote", respondent_id=respondent_id,
                      question_id=question_id)

    def flag_answer(self, respondent_id: str, question_id: str, note: str = "", *, by: str) -> None:
        """Flag an answer for follow-up with a note (flagging again replaces the note)."""
        with self.write():
            self.conn.execute(
                "INSERT INTO flags (respondent_id, question_id, note, flagged_by, flagged_at) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (respondent_id, question_id) DO UPDATE SET note = excluded.note,"
                " flagged_by = excluded.flagged_by, flagged_at = excluded.flagged_at",
                (respondent_id, question_id, note, by, self.now()))
            self._log(by, "flag", respondent_id=respondent_id, question_id=question_id, note=note)

    def unflag_answer(self, respondent_id: str, question_id: str, *, by: str) -> None:
        with self.write():
            self.conn.execute("DELETE FROM flags WHERE respondent_id = ? AND question_id = ?",
                              (respondent_id, question_id))
            self._log(by, "unflag", respondent_id=respondent_id, question_id=question_id)

    def mark_read(self, respondent_id: str, question_id: str, *, by: str) -> bool:
        """Record that ``by`` has opened this answer; False if they had already."""
        with self.write():
            cursor = self.conn.execute("INSERT OR IGNORE INTO reads (respondent_id, question_id, read_by, read_at)"
                                       " VALUES (?, ?, ?, ?)", (respondent_id, question_id, by, self.now()))
        return cursor.rowcount == 1

    # ------------------------------------------------------------------ exclusion
    def exclude_respondent(self, respondent_id: str, reason: str, *, by: str) -> None:
        """Leave a whole response out of counts, analysis and report (spam, duplicate, off-topic)."""
        reason = " ".join((reason or "").split())
        if not reason:
            raise CurationError("give a reason for excluding the response")
        with self.write():
            cursor = self.conn.execute("UPDATE respondents SET excluded_reason = ?, excluded_at = ?,"
                                       " excluded_by = ? WHERE id = ?", (reason, self.now(), by, respondent_id))
            if cursor.rowcount != 1:
                raise CurationError(f"no response {respondent_id}")
            self._recount_respondent(respondent_id)
            self._log(by, "exclude", respondent_id=respondent_id, reason=reason)

    def restore_respondent(self, respondent_id: str, *, by: str) -> None:
        """Undo an exclusion."""
        with self.write():
            old = self.scalar("SELECT excluded_reason FROM respondents WHERE id = ?", (respondent_id,))
            cursor = self.conn.execute("UPDATE respondents SET excluded_reason = NULL, excluded_at = NULL,"
                                       " excluded_by = NULL WHERE id = ?", (respondent_id,))
            if cursor.rowcount != 1:
                raise CurationError(f"no response {respondent_id}")
            self._recount_respondent(respondent_id)
            self._log(by, "restore", respondent_id=respondent_id, reason=old)

    def _recount_respondent(self, respondent_id: str) -> None:
        """The latest run's copy of every question this respondent answered, refreshed. (Every
        question of the submitted version has a row in ``answers``, so these are all of them.)"""
        cid = self.scalar("SELECT consultation_id FROM respondents WHERE id = ?", (respondent_id,))
        for (qid,) in self.query("SELECT DISTINCT question_id FROM answers WHERE respondent_id = ?",
                                 (respondent_id,)):
            self.materialise_latest(cid, qid)

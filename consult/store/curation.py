"""Staff curation of responses and themes: placements, key quotes, reading, flags, exclusions.

Every curation action is one method, one ``BEGIN IMMEDIATE`` transaction and one row in
``curation_log`` (who, when, what). Theme edits change the rows of the run they are made on
(normally the latest), so the browser and the report see them at once; moves, splits and merges
also write ``placements`` (respondent, question, theme label), which outlive the run: the next
``consult analyse`` keeps those answers where staff put them. A rename carries the new label into
the placements that named the old one.

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
    def placements(self, question_id: str) -> dict[str, str]:
        """Answers staff placed by hand, ``{respondent id: theme label}``; analysis keeps them there."""
        rows = self.query("SELECT respondent_id, theme_label FROM placements WHERE question_id = ?",
                          (question_id,))
        return {r[0]: r[1] for r in rows}

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

    def _theme_or_fail(self, theme_id: int):
        row = self.conn.execute("SELECT * FROM themes WHERE id = ?", (theme_id,)).fetchone()
        if row is None:
            raise CurationError(f"no theme with id {theme_id}")
        return row

    def _label_taken(self, run_id: int, question_id: str, label: str, but: int | None = None) -> str | None:
        """The label of another theme of the question that ``label`` names (any case), or None."""
        wanted = label.casefold()
        for (other,) in self.conn.execute("SELECT label FROM themes WHERE run_id = ? AND question_id = ?"
                                          " AND id IS NOT ?", (run_id, question_id, but)):
            if other.casefold() == wanted:
                return other
        return None

    def _clean_label(self, label: str) -> str:
        """The label with its spaces tidied; refused when empty or a built-in group's name."""
        label = " ".join((label or "").split())
        if not label:
            raise CurationError("a theme needs a name")
        reserved = next((r for r in RESERVED_LABELS if r.casefold() == label.casefold()), None)
        if reserved is not None:
            hint = " (to put answers there, move them with v)" if reserved == OTHER_LABEL else ""
            raise CurationError(f"{reserved!r} is the name of a built-in group: choose another name{hint}")
        return label

    def _population_sql(self, run_id: int) -> str:
        """SQL condition on respondents ``r``: those the run analysed (and not excluded since).

        A run reads submitted responses only unless it was asked to include drafts
        (``params["include_drafts"]``), so shares after curation have the run's denominator.
        """
        params = json.loads(self.scalar("SELECT params FROM analysis_runs WHERE id = ?", (run_id,)) or "{}")
        drafts = bool(params.get("include_drafts", False)) if isinstance(params, dict) else False
        return "r.excluded_reason IS NULL" + ("" if drafts else " AND r.status = 'submitted'")

    def _recount(self, run_id: int, question_id: str) -> None:
        """Sizes and shares again, over the run's population (see :meth:`_population_sql`).

        A theme staff made that no answer is left in goes (the analysis' own themes stay).
        """
        empty = [r[0] for r in self.conn.execute(
            "SELECT id FROM themes WHERE run_id = ? AND question_id = ? AND created_by = 'staff' AND kind = 'theme'"
            " AND NOT EXISTS (SELECT 1 FROM theme_members m WHERE m.theme_id = themes.id AND m.is_primary = 1)",
            (run_id, question_id))]
        for theme_id in empty:
            self.conn.execute("UPDATE themes SET similar_to = NULL WHERE similar_to = ?", (theme_id,))
            self.conn.execute("DELETE FROM themes WHERE id = ?", (theme_id,))
        who = self._population_sql(run_id)
        total = self.scalar(
            "SELECT count(*) FROM answers a JOIN respondents r ON r.id = a.respondent_id"
            f" WHERE a.question_id = ? AND a.text != '' AND {who}", (question_id,)) or 0
        self.conn.execute(
            "UPDATE themes SET size = (SELECT count(*) FROM theme_members m JOIN respondents r"
            " ON r.id = m.respondent_id WHERE m.theme_id = themes.id AND m.is_primary = 1"
            f" AND {who}) WHERE run_id = ? AND question_id = ?", (run_id, question_id))
        self.conn.execute("UPDATE themes SET share = CASE WHEN ? > 0 THEN size * 1.0 / ? ELSE 0 END"
                          " WHERE run_id = ? AND question_id = ?", (total, total, run_id, question_id))

    def _place(self, respondent_id: str, question_id: str, label: str, by: str) -> None:
        self.conn.execute(
            "INSERT INTO placements (respondent_id, question_id, theme_label, placed_by, placed_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (respondent_id, question_id) DO UPDATE SET"
            " theme_label = excluded.theme_label, placed_by = excluded.placed_by,"
            " placed_at = excluded.placed_at", (respondent_id, question_id, label, by, self.now()))

    def _set_primary(self, run_id: int, respondent_id: str, question_id: str, theme_id: int) -> int | None:
        """Make ``theme_id`` the answer's primary theme in the run; return the previous one."""
        old = self.scalar(
            "SELECT m.theme_id FROM theme_members m JOIN themes t ON t.id = m.theme_id WHERE t.run_id = ?"
            " AND m.respondent_id = ? AND m.question_id = ? AND m.is_primary = 1",
            (run_id, respondent_id, question_id))
        self.conn.execute(
            "DELETE FROM theme_members WHERE respondent_id = ? AND question_id = ? AND is_primary = 1"
            " AND theme_id IN (SELECT id FROM themes WHERE run_id = ?)", (respondent_id, question_id, run_id))
        self.conn.execute(
            "INSERT OR REPLACE INTO theme_members (theme_id, respondent_id, question_id, is_primary, score,"
            " rank) VALUES (?, ?, ?, 1, NULL, NULL)", (theme_id, respondent_id, question_id))
        return old

    def _new_theme(self, run_id: int, question_id: str, label: str, kind: str = "theme") -> int:
        position = self.scalar("SELECT coalesce(max(position), -1) + 1 FROM themes WHERE run_id = ?"
                               " AND question_id = ?", (run_id, question_id))
        cursor = self.conn.execute(
            "INSERT INTO themes (run_id, question_id, position, kind, label, created_by)"
            " VALUES (?, ?, ?, ?, ?, 'staff')", (run_id, question_id, position, kind, label))
        return cursor.lastrowid

    def _other_theme(self, run_id: int, question_id: str) -> int:
        found = self.scalar("SELECT id FROM themes WHERE run_id = ? AND question_id = ? AND kind = 'other'"
                            " ORDER BY position LIMIT 1", (run_id, question_id))
        if found is not None:
            return found
        taken = self._label_taken(run_id, question_id, OTHER_LABEL)
        if taken:
            raise CurationError(f"a theme is already called {taken!r} but is not the 'other' group")
        return self._new_theme(run_id, question_id, OTHER_LABEL, kind="other")

    # ------------------------------------------------------------------ theme actions
    def rename_theme(self, theme_id: int, label: str, *, by: str) -> None:
        """Give a theme a new name; placements that named the old one follow it."""
        label = self._clean_label(label)
        with self.write():
            theme = self._theme_or_fail(theme_id)
            if theme["label"] == label:
                return
            if theme["kind"] != "theme":
                raise CurationError(f"{theme['label']!r} is a built-in group and keeps its name")
            taken = self._label_taken(theme["run_id"], theme["question_id"], label, but=theme_id)
            if taken:
                raise CurationError(f"this question already has a theme called {taken!r}: merge them instead")
            self.conn.execute("UPDATE themes SET label = ? WHERE id = ?", (label, theme_id))
            self.conn.execute("UPDATE placements SET theme_label = ? WHERE question_id = ? AND theme_label = ?",
                              (label, theme["question_id"], theme["label"]))
            self._log(by, "rename_theme", theme_id=theme_id, question_id=theme["question_id"],
                      old=theme["label"], new=label)

    def merge_themes(self, into_id: int, from_id: int, *, by: str) -> int:
        """Move every answer of ``from_id`` into ``into_id`` and delete ``from_id``.

        The moved answers are placed under the kept label, and placements that named the merged
        label now name the kept one. Returns the number of answers moved.
        """
        if into_id == from_id:
            raise CurationError("a theme cannot be merged into itself")
        with self.write():
            into, src = self._theme_or_fail(into_id), self._theme_or_fail(from_id)
            if (into["run_id"], into["question_id"]) != (src["run_id"], src["question_id"]):
                raise CurationError("only themes of the same question and run can be merged")
            members = self.query("SELECT respondent_id, question_id, is_primary, score, rank FROM theme_members"
                                 " WHERE theme_id = ?", (from_id,))
            moved = 0
            for m in members:
                if m["is_primary"]:
                    self._set_primary(into["run_id"], m["respondent_id"], m["question_id"], into_id)
                    self._place(m["respondent_id"], m["question_id"], into["label"], by)
                    moved += 1
                else:
                    self.conn.execute(
                        "INSERT OR IGNORE INTO theme_members (theme_id, respondent_id, question_id, is_primary,"
                        " score, rank) VALUES (?, ?, ?, 0, ?, ?)",
                        (into_id, m["respondent_id"], m["question_id"], m["score"], m["rank"]))
            self.conn.execute("UPDATE placements SET theme_label = ? WHERE question_id = ? AND theme_label = ?",
                              (into["label"], src["question_id"], src["label"]))
            terms = json.loads(into["terms"])
            terms += [t for t in json.loads(src["terms"]) if t not in terms]
            self.conn.execute("UPDATE themes SET terms = ? WHERE id = ?",
                              (json.dumps(terms[:12], ensure_ascii=False), into_id))
            self.conn.execute("UPDATE themes SET similar_to = NULL WHERE similar_to = ?", (from_id,))
            self.conn.execute("DELETE FROM themes WHERE id = ?", (from_id,))
            self._recount(into["run_id"], into["question_id"])
            self._log(by, "merge_themes", question_id=into["question_id"], into_id=into_id,
                      into=into["label"], from_id=from_id, merged=src["label"], answers=moved)
        return moved

    def split_theme(self, theme_id: int, respondent_ids: list[str], label: str, *, by: str) -> int:
        """Move the chosen answers of a theme into a new theme called ``label``; return its id."""
        label = self._clean_label(label)
        if not respondent_ids:
            raise CurationError("choose the answers to split off first")
        with self.write():
            theme = self._theme_or_fail(theme_id)
            run_id, qid = theme["run_id"], theme["question_id"]
            taken = self._label_taken(run_id, qid, label)
            if taken:
                raise CurationError(f"this question already has a theme called {taken!r}: move the answers"
                                    " there instead")
            new_id = self._new_theme(run_id, qid, label)
            for rid in respondent_ids:
                self._set_primary(run_id, rid, qid, new_id)
                self._place(rid, qid, label, by)
            self._recount(run_id, qid)
            self._log(by, "split_theme", question_id=qid, from_id=theme_id, source=theme["label"],
                      theme_id=new_id, label=label, respondents=list(respondent_ids))
        return new_id

    def move_answer(self, run_id: int, respondent_id: str, question_id: str, to_theme_id: int | None,
                    *, by: str) -> int:
        """Put one answer in another theme of the run, or in its "other" group (``None``).

        Returns the id of the theme it is now in.
        """
        with self.write():
            if self.scalar("SELECT 1 FROM answers WHERE respondent_id = ? AND question_id = ?",
                           (respondent_id, question_id)) is None:
                raise CurationError("no such answer")
            if to_theme_id is None:
                to_theme_id = self._other_theme(run_id, question_id)
            target = self._theme_or_fail(to_theme_id)
            if (target["run_id"], target["question_id"]) != (run_id, question_id):
                raise CurationError("an answer can only move to a theme of its own question")
            old = self._set_primary(run_id, respondent_id, question_id, to_theme_id)
            self._place(respondent_id, question_id, target["label"], by)
            self._recount(run_id, question_id)
            self._log(by, "move_answer", respondent_id=respondent_id, question_id=question_id,
                      from_id=old, to_id=to_theme_id, to=target["label"])
        return to_theme_id

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
        """Theme sizes of the latest run for every question this respondent answered."""
        run_id = self.scalar("SELECT max(a.id) FROM analysis_runs a JOIN respondents r"
                             " ON r.consultation_id = a.consultation_id WHERE r.id = ?", (respondent_id,))
        if run_id is None:
            return
        for (qid,) in self.query("SELECT DISTINCT question_id FROM answers WHERE respondent_id = ?",
                                 (respondent_id,)):
            self._recount(run_id, qid)

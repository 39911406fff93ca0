"""Staff edits of the codebook, each one transaction that can be undone exactly.

Every method: opens ``BEGIN IMMEDIATE`` (``self.write()``), records the before-image of every row
it will change (themes, and the codings of every answer it touches) in ``codebook_actions``,
makes the change, writes the audit row in ``curation_log``, and refreshes the latest run's copy
of the question's themes (``materialise``) so readers of run tables see it at once.
:meth:`codebook_undo` puts the before-image back. Edits follow the rules of
:mod:`consult.codebook`: a theme staff edit in any way becomes confirmed, and an answer staff
code has exactly the themes staff gave it.
"""

from __future__ import annotations

import json

from consult.store.curation import RESERVED_LABELS, CurationError
from consult.store.staff_text import staff_text

THEME_COLUMNS = ("label", "description", "terms", "parent_id", "status", "is_new", "position", "updated_by",
                 "updated_at", "deleted")
# The audit trail keeps the names it had before the codebook for the same actions.
AUDIT_NAMES = {"rename": "rename_theme", "merge": "merge_themes", "split": "split_theme", "move": "move_answer"}
CODING_COLUMNS = ("consultation_id", "respondent_id", "question_id", "theme_id", "source", "is_primary",
                  "strength", "rank", "run_id", "by", "at")


class _Change:
    """The before-image of one staff action, collected as the action goes."""

    def __init__(self, store, consultation_id: str, question_id: str):
        self.store, self.cid, self.qid = store, consultation_id, question_id
        self.themes: dict[int, dict | None] = {}
        self.answers: dict[str, dict] = {}

    def theme(self, theme_id: int) -> None:
        if theme_id not in self.themes:
            row = self.store.conn.execute("SELECT * FROM codebook_themes WHERE id = ?", (theme_id,)).fetchone()
            self.themes[theme_id] = {c: row[c] for c in THEME_COLUMNS}

    def created(self, theme_id: int) -> None:
        self.themes.setdefault(theme_id, None)

    def answer(self, respondent_id: str) -> None:
        if respondent_id in self.answers:
            return
        conn = self.store.conn
        codings = conn.execute(f"SELECT {', '.join(CODING_COLUMNS)} FROM codings WHERE respondent_id = ?"
                               " AND question_id = ?", (respondent_id, self.qid)).fetchall()
        other = conn.execute("SELECT by, at FROM codebook_other WHERE respondent_id = ? AND question_id = ?",
                             (respondent_id, self.qid)).fetchone()
        self.answers[respondent_id] = {"codings": [list(r) for r in codings],
                                       "other": list(other) if other else None}

    def save(self, action: str, summary: str, by: str) -> int:
        before = {"themes": [[k, v] for k, v in self.themes.items()],
                  "answers": [[k, v] for k, v in self.answers.items()]}
        cursor = self.store.conn.execute(
            "INSERT INTO codebook_actions (consultation_id, question_id, action, summary, by, at, before)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (self.cid, self.qid, action, summary, by, self.store.now(), json.dumps(before, ensure_ascii=False)))
        self.store._log(by, AUDIT_NAMES.get(action, f"codebook_{action}"), question_id=self.qid, summary=summary)
        self.store.materialise_latest(self.cid, self.qid)
        return cursor.lastrowid


class CodebookEditsMixin:
    """Methods of :class:`consult.store.Store` for staff edits of the codebook."""

    # ------------------------------------------------------------------ helpers (inside a write)
    def _cb_live_theme(self, theme_id: int):
        row = self.conn.execute("SELECT * FROM codebook_themes WHERE id = ? AND deleted = 0", (theme_id,)).fetchone()
        if row is None:
            raise CurationError(f"no theme {theme_id} in the codebook")
        return row

    def _cb_touch(self, change: _Change, theme_id: int, by: str, action: str, **columns) -> None:
        """Change a theme; staff touched it, so it is confirmed and no longer new."""
        change.theme(theme_id)
        columns.update(status="confirmed", is_new=0, updated_by=by, updated_at=self.now())
        sets = ", ".join(f"{k} = ?" for k in columns)
        self.conn.execute(f"UPDATE codebook_themes SET {sets}, version = version + 1 WHERE id = ?",
                          (*columns.values(), theme_id))
        self._theme_version(theme_id, action, by)

    def _cb_unique_label(self, cid: str, qid: str, label: str, but: int | None = None) -> str:
        label = " ".join((label or "").split())
        if not label:
            raise CurationError("a theme needs a name")
        reserved = next((r for r in RESERVED_LABELS if r.casefold() == label.casefold()), None)
        if reserved is not None:
            raise CurationError(f"{reserved!r} is the name of a built-in group: choose another name")
        for (other,) in self.conn.execute("SELECT label FROM codebook_themes WHERE consultation_id = ? AND"
                                          " question_id = ? AND deleted = 0 AND id IS NOT ?", (cid, qid, but)):
            if other.casefold() == label.casefold():
                raise CurationError(f"this question already has a theme called {other!r}: merge them instead")
        return label

    def _cb_staff_codings(self, change: _Change, rid: str, by: str) -> None:
        """Make the answer's coding staff's: a copy of the machine's if staff had none yet."""
        change.answer(rid)
        has_staff = self.scalar("SELECT 1 FROM codings WHERE respondent_id = ? AND question_id = ? AND"
                                " source = 'staff' LIMIT 1", (rid, change.qid))
        if not has_staff:
            self.conn.execute(
                "INSERT INTO codings (consultation_id, respondent_id, question_id, theme_id, source, is_primary,"
                " strength, rank, run_id, by, at) SELECT c.consultation_id, c.respondent_id, c.question_id,"
                " c.theme_id, 'staff', c.is_primary, c.strength, c.rank, NULL, ?, ? FROM codings c JOIN codebook_themes t"
                " ON t.id = c.theme_id AND t.deleted = 0 WHERE c.respondent_id = ? AND c.question_id = ?"
                " AND c.source = 'machine'", (by, self.now(), rid, change.qid))

    def _cb_answer_or_fail(self, qid: str, rid: str) -> None:
        if self.scalar(f"SELECT 1 FROM answers a JOIN respondents r ON r.id = a.respondent_id WHERE"
                       f" a.respondent_id = ? AND a.question_id = ? AND {staff_text()} != ''", (rid, qid)) is None:
            raise CurationError(f"{rid} has no answer to {qid}")

    def _cb_primary_of(self, qid: str, rid: str) -> int | None:
        return self.scalar("SELECT theme_id FROM codings WHERE respondent_id = ? AND question_id = ? AND"
                           " source = 'staff' ORDER BY is_primary DESC, strength DESC LIMIT 1", (rid, qid))

    def _cb_ensure_primary(self, qid: str, rid: str) -> None:
        if self.scalar("SELECT 1 FROM codings WHERE respondent_id = ? AND question_id = ? AND source = 'staff'"
                       " AND is_primary = 1", (rid, qid)) is None:
            first = self._cb_primary_of(qid, rid)
            if first is not None:
                self.conn.execute("UPDATE codings SET is_primary = 1 WHERE respondent_id = ? AND question_id = ?"
                                  " AND source = 'staff' AND theme_id = ?", (rid, qid, first))

    # ------------------------------------------------------------------ theme edits
    def codebook_add(self, consultation_id: str, question_id: str, label: str, *, by: str,
                     description: str = "", parent_id: int | None = None) -> int:
        """A theme staff make (confirmed, empty until answers are moved in or a run assigns them)."""
        with self.write():
            label = self._cb_unique_label(consultation_id, question_id, label)
            if parent_id is not None:
                self._cb_check_parent(self._cb_live_theme(parent_id), question_id, None)
            change = _Change(self, consultation_id, question_id)
            theme_id = self._insert_theme(consultation_id, question_id, label, description=description.strip(),
                                          status="confirmed", origin="staff", parent_id=parent_id, by=by)
            change.created(theme_id)
            change.save("add", f"added {label!r}", by)
        return theme_id

    def codebook_confirm(self, theme_ids: list[int], *, by: str) -> int:
        """Staff stand behind these themes as they are; returns how many were not confirmed before."""
        with self.write():
            rows = [self._cb_live_theme(t) for t in theme_ids]
            todo = [r for r in rows if r["status"] != "confirmed" or r["is_new"]]
            if not todo:
                return 0
            change = _Change(self, rows[0]["consultation_id"], rows[0]["question_id"])
            for r in todo:
                change.theme(r["id"])
                self.conn.execute("UPDATE codebook_themes SET status = 'confirmed', is_new = 0,"
                                  " version = version + 1 WHERE id = ?", (r["id"],))
                self._theme_version(r["id"], "confirmed", by)
            change.save("confirm", f"confirmed {len(todo)} theme(s): " + ", ".join(repr(r["label"]) for r in todo), by)
        return len(todo)

    def codebook_rename(self, theme_id: int, label: str, *, by: str) -> None:
        with self.write():
            row = self._cb_live_theme(theme_id)
            label = self._cb_unique_label(row["consultation_id"], row["question_id"], label, but=theme_id)
            change = _Change(self, row["consultation_id"], row["question_id"])
            self._cb_touch(change, theme_id, by, "renamed", label=label)
            change.save("rename", f"renamed {row['label']!r} to {label!r}", by)

    def codebook_describe(self, theme_id: int, description: str, *, by: str) -> None:
        with self.write():
            row = self._cb_live_theme(theme_id)
            change = _Change(self, row["consultation_id"], row["question_id"])
            self._cb_touch(change, theme_id, by, "described", description=" ".join(description.split()))
            change.save("describe", f"described {row['label']!r}", by)

    def _cb_check_parent(self, parent, question_id: str, theme_id: int | None) -> None:
        if parent["question_id"] != question_id or parent["id"] == theme_id:
            raise CurationError("a broad theme must be another theme of the same question")
        if parent["parent_id"] is not None:
            raise CurationError(f"{parent['label']!r} is itself a sub-theme: themes have two levels at most")
        if theme_id is not None and self.scalar("SELECT 1 FROM codebook_themes WHERE parent_id = ? AND deleted = 0",
                                                (theme_id,)):
            raise CurationError("a broad theme with sub-themes cannot itself become a sub-theme")

    def codebook_reparent(self, theme_id: int, parent_id: int | None, *, by: str) -> None:
        """Put a theme under a broad theme, or (``None``) back at the top level."""
        with self.write():
            row = self._cb_live_theme(theme_id)
            if parent_id is not None:
                self._cb_check_parent(self._cb_live_theme(parent_id), row["question_id"], theme_id)
            change = _Change(self, row["consultation_id"], row["question_id"])
            self._cb_touch(change, theme_id, by, "re-parented", parent_id=parent_id)
            change.save("reparent", f"moved {row['label']!r} " + ("to the top level" if parent_id is None
                                                                  else f"under theme {parent_id}"), by)

    def codebook_merge(self, theme_id: int, into_id: int, *, by: str) -> int:
        """Fold ``theme_id`` into ``into_id``: its answers (machine and staff) move there, it goes.

        Returns the number of respondents moved in.
        """
        if theme_id == into_id:
            raise CurationError("a theme cannot be merged into itself")
        with self.write():
            src, into = self._cb_live_theme(theme_id), self._cb_live_theme(into_id)
            qid = src["question_id"]
            if into["question_id"] != qid:
                raise CurationError("only themes of the same question can be merged")
            change = _Change(self, src["consultation_id"], qid)
            rids = [r[0] for r in self.query("SELECT DISTINCT respondent_id FROM codings WHERE theme_id = ?",
                                             (theme_id,))]
            for rid in rids:
                change.answer(rid)
                for c in self.query("SELECT source, is_primary FROM codings WHERE theme_id = ? AND"
                                    " respondent_id = ?", (theme_id, rid)):
                    self.conn.execute("UPDATE codings SET is_primary = max(is_primary, ?) WHERE theme_id = ? AND"
                                      " respondent_id = ? AND source = ?", (c[1], into_id, rid, c[0]))
                    self.conn.execute("UPDATE OR IGNORE codings SET theme_id = ? WHERE theme_id = ? AND"
                                      " respondent_id = ? AND source = ?", (into_id, theme_id, rid, c[0]))
                self.conn.execute("DELETE FROM codings WHERE theme_id = ? AND respondent_id = ?", (theme_id, rid))
            for (child,) in self.query("SELECT id FROM codebook_themes WHERE parent_id = ? AND deleted = 0",
                                       (theme_id,)):
                self._cb_touch(change, child, by, "re-parented by a merge", parent_id=into["parent_id"] or into_id)
            terms = json.loads(into["terms"])
            terms += [t for t in json.loads(src["terms"]) if t not in terms]
            self._cb_touch(change, into_id, by, f"merged {src['label']!r} in", terms=json.dumps(terms[:12]))
            self._cb_touch(change, theme_id, by, f"merged into {into['label']!r}", deleted=1)
            change.save("merge", f"merged {src['label']!r} into {into['label']!r} ({len(rids)} answer(s) moved)", by)
        return len(rids)

    def codebook_split(self, theme_id: int, groups: list[tuple[str, str, list[str], list[str]]], *,
                       by: str) -> list[int]:
        """Split a theme into new themes ``(label, description, terms, respondent ids)``.

        The answers in each group move to the group's theme, as staff codings (their other
        themes stay); the new themes take the old one's place (same broad theme). Answers in no
        group stay in the old theme, which goes if none are left. Returns the new themes' ids.
        """
        with self.write():
            row = self._cb_live_theme(theme_id)
            cid, qid = row["consultation_id"], row["question_id"]
            if not groups:
                raise CurationError(f"{row['label']!r} does not split: no group to split off")
            change = _Change(self, cid, qid)
            ids = []
            for label, description, terms, rids in groups:
                label = self._cb_unique_label(cid, qid, label, but=theme_id)
                new_id = self._insert_theme(cid, qid, label, description=description, terms=terms, status="confirmed",
                                            origin="split", parent_id=row["parent_id"], by=by)
                change.created(new_id)
                ids.append(new_id)
                for rid in rids:  # staff chose where these answers go: the codings become theirs
                    self._cb_staff_codings(change, rid, by)
                    self.conn.execute("UPDATE OR IGNORE codings SET theme_id = ? WHERE theme_id = ? AND"
                                      " respondent_id = ? AND question_id = ? AND source = 'staff'",
                                      (new_id, theme_id, rid, qid))
                    self.conn.execute("DELETE FROM codings WHERE theme_id = ? AND respondent_id = ? AND"
                                      " question_id = ?", (theme_id, rid, qid))
            left = self.scalar("SELECT count(*) FROM codings WHERE theme_id = ?", (theme_id,))
            self._cb_touch(change, theme_id, by, "split", **({} if left else {"deleted": 1}))
            change.save("split", f"split {row['label']!r} into " + ", ".join(repr(g[0]) for g in groups), by)
        return ids

    def codebook_delete(self, theme_id: int, *, by: str) -> int:
        """Take a theme out of the codebook. Its answers keep their other themes; those left with
        none go to Other (as placed by staff, so no run codes them again). Returns that number."""
        with self.write():
            row = self._cb_live_theme(theme_id)
            qid = row["question_id"]
            change = _Change(self, row["consultation_id"], qid)
            rids = [r[0] for r in self.query(
                "SELECT DISTINCT respondent_id FROM codings WHERE theme_id = ? AND respondent_id NOT IN"
                " (SELECT respondent_id FROM codebook_other WHERE question_id = ?)", (theme_id, qid))]
            to_other = 0
            for rid in rids:
                change.answer(rid)
                self.conn.execute("DELETE FROM codings WHERE theme_id = ? AND respondent_id = ?", (theme_id, rid))
                left = self.scalar("SELECT count(*) FROM codings c JOIN codebook_themes t ON t.id = c.theme_id"
                                   " AND t.deleted = 0 WHERE c.respondent_id = ? AND c.question_id = ?", (rid, qid))
                if not left:
                    self.conn.execute("INSERT OR REPLACE INTO codebook_other VALUES (?, ?, ?, ?, ?)",
                                      (row["consultation_id"], rid, qid, by, self.now()))
                    to_other += 1
            for (child,) in self.query("SELECT id FROM codebook_themes WHERE parent_id = ? AND deleted = 0",
                                       (theme_id,)):
                self._cb_touch(change, child, by, "broad theme deleted", parent_id=None)
            self._cb_touch(change, theme_id, by, "deleted", deleted=1)
            change.save("delete", f"deleted {row['label']!r} ({to_other} answer(s) to Other)", by)
        return to_other

    # ------------------------------------------------------------------ answer edits
    def codebook_code(self, consultation_id: str, question_id: str, respondent_id: str, theme_id: int | None, *,
                      by: str, also: bool = False) -> None:
        """Move an answer to a theme (its primary), or to Other (``None``); with ``also``, give it
        ``theme_id`` as one more theme and keep the others. Themes moved in or out are confirmed."""
        with self.write():
            self._cb_answer_or_fail(question_id, respondent_id)
            target = self._cb_live_theme(theme_id) if theme_id is not None else None
            if target is not None and (target["question_id"], target["consultation_id"]) != (question_id,
                                                                                             consultation_id):
                raise CurationError("an answer can only go to a theme of its own question")
            if target is None and also:
                raise CurationError("an answer is in Other or in themes, not both")
            change = _Change(self, consultation_id, question_id)
            self._cb_staff_codings(change, respondent_id, by)
            before = self._cb_primary_of(question_id, respondent_id)
            where = (respondent_id, question_id)
            if target is None:
                touched = [r[0] for r in self.query("SELECT theme_id FROM codings WHERE respondent_id = ? AND"
                                                    " question_id = ? AND source = 'staff'", where)]
                self.conn.execute("DELETE FROM codings WHERE respondent_id = ? AND question_id = ? AND"
                                  " source = 'staff'", where)
                self.conn.execute("INSERT OR REPLACE INTO codebook_other VALUES (?, ?, ?, ?, ?)",
                                  (consultation_id, respondent_id, question_id, by, self.now()))
                summary = f"moved {respondent_id} to Other"
            else:
                self.conn.execute("DELETE FROM codebook_other WHERE respondent_id = ? AND question_id = ?", where)
                if not also:
                    self.conn.execute("DELETE FROM codings WHERE respondent_id = ? AND question_id = ? AND"
                                      " source = 'staff' AND is_primary = 1", where)
                    self.conn.execute("UPDATE codings SET is_primary = 0 WHERE respondent_id = ? AND question_id = ?"
                                      " AND source = 'staff'", where)
                self.conn.execute(
                    "INSERT INTO codings (consultation_id, respondent_id, question_id, theme_id, source, is_primary,"
                    " strength, by, at) VALUES (?, ?, ?, ?, 'staff', ?, NULL, ?, ?) ON CONFLICT DO UPDATE SET"
                    " is_primary = max(is_primary, excluded.is_primary), by = excluded.by, at = excluded.at",
                    (consultation_id, respondent_id, question_id, theme_id, int(not also), by, self.now()))
                self._cb_ensure_primary(question_id, respondent_id)
                touched = [theme_id] + ([before] if before is not None and not also else [])
                summary = (f"gave {respondent_id} also {target['label']!r}" if also
                           else f"moved {respondent_id} to {target['label']!r}")
            for tid in dict.fromkeys(t for t in touched if t is not None):
                self._cb_touch(change, tid, by, "answer moved in" if tid == theme_id else "answer moved out")
            change.save("code" if also else "move", summary, by)

    def codebook_uncode(self, consultation_id: str, question_id: str, respondent_id: str, theme_id: int, *,
                        by: str) -> None:
        """Take one theme off an answer; one left with no theme goes to Other."""
        with self.write():
            self._cb_answer_or_fail(question_id, respondent_id)
            row = self._cb_live_theme(theme_id)
            change = _Change(self, consultation_id, question_id)
            self._cb_staff_codings(change, respondent_id, by)
            self.conn.execute("DELETE FROM codings WHERE respondent_id = ? AND question_id = ? AND source = 'staff'"
                              " AND theme_id = ?", (respondent_id, question_id, theme_id))
            self._cb_ensure_primary(question_id, respondent_id)
            if self._cb_primary_of(question_id, respondent_id) is None:
                self.conn.execute("INSERT OR REPLACE INTO codebook_other VALUES (?, ?, ?, ?, ?)",
                                  (consultation_id, respondent_id, question_id, by, self.now()))
            self._cb_touch(change, theme_id, by, "answer moved out")
            change.save("uncode", f"took {row['label']!r} off {respondent_id}", by)

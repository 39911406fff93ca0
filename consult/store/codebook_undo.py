"""Undo and history of staff edits to the codebook.

Each edit saved the rows it was about to change (``codebook_actions.before``); undo writes them
back: theme rows to their old state (a theme the edit created is marked deleted), and every
answer it touched to exactly the codings and Other placement it had. Undo takes the latest edit
not yet undone, so edits come off in the reverse order they were made. An answer whose
respondent was erased since cannot come back: erasure took it out of the before-image (counted in
``erased``), and undo restores the rest and says so in the summary it returns.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

from consult.store.codebook_edits import CODING_COLUMNS, THEME_COLUMNS


@dataclass(frozen=True)
class CodebookAction:
    id: int
    consultation_id: str
    question_id: str
    action: str
    summary: str
    by: str
    at: str
    undone_by: str | None
    undone_at: str | None
    erased: int = 0  # answers of erased respondents this action was about: undo cannot restore them

    @classmethod
    def from_row(cls, row) -> CodebookAction:
        return cls(id=row["id"], consultation_id=row["consultation_id"], question_id=row["question_id"],
                   action=row["action"], summary=row["summary"], by=row["by"], at=row["at"],
                   undone_by=row["undone_by"], undone_at=row["undone_at"],
                   erased=json.loads(row["before"]).get("erased", 0))


@dataclass(frozen=True)
class ThemeVersion:
    theme_id: int
    version: int
    label: str
    description: str
    parent_id: int | None
    status: str
    deleted: bool
    action: str
    by: str
    at: str
    run_id: int | None


class CodebookUndoMixin:
    """Methods of :class:`consult.store.Store`: undo the last codebook edit, and read the history."""

    def codebook_history(self, consultation_id: str, question_id: str | None = None,
                         limit: int = 50) -> list[CodebookAction]:
        """Staff edits, newest first (undone ones included, with who undid them)."""
        sql = "SELECT * FROM codebook_actions WHERE consultation_id = ?"
        params: list = [consultation_id]
        if question_id:
            sql += " AND question_id = ?"
            params.append(question_id)
        rows = self.query(sql + " ORDER BY id DESC LIMIT ?", (*params, limit))
        return [CodebookAction.from_row(r) for r in rows]

    def theme_history(self, theme_id: int) -> list[ThemeVersion]:
        """Every state a theme has been in, oldest first."""
        rows = self.query("SELECT * FROM codebook_versions WHERE theme_id = ? ORDER BY version", (theme_id,))
        return [ThemeVersion(r["theme_id"], r["version"], r["label"], r["description"], r["parent_id"], r["status"],
                             bool(r["deleted"]), r["action"], r["by"], r["at"], r["run_id"]) for r in rows]

    def codebook_undo(self, consultation_id: str, question_id: str | None = None, *,
                      by: str) -> CodebookAction | None:
        """Undo the latest edit not yet undone (of the question, if given); None when none is left."""
        with self.write():
            sql = "SELECT * FROM codebook_actions WHERE consultation_id = ? AND undone_at IS NULL"
            params: list = [consultation_id]
            if question_id:
                sql += " AND question_id = ?"
                params.append(question_id)
            row = self.conn.execute(sql + " ORDER BY id DESC LIMIT 1", tuple(params)).fetchone()
            if row is None:
                return None
            qid = row["question_id"]
            before = json.loads(row["before"])
            for theme_id, image in before["themes"]:
                if image is None:  # made by the edit: it goes again
                    image = {"deleted": 1}
                sets = ", ".join(f"{k} = ?" for k in image if k in THEME_COLUMNS)
                self.conn.execute(f"UPDATE codebook_themes SET {sets}, version = version + 1 WHERE id = ?",
                                  (*[image[k] for k in image if k in THEME_COLUMNS], theme_id))
                self._theme_version(theme_id, f"undo: {row['summary']}", by)
            erased = before.get("erased", 0)
            for rid, image in before["answers"]:
                if self.scalar("SELECT 1 FROM respondents WHERE id = ?", (rid,)) is None:
                    erased += 1  # erased by a way that left its image: it stays erased
                    continue
                self.conn.execute("DELETE FROM codings WHERE respondent_id = ? AND question_id = ?", (rid, qid))
                self.conn.execute("DELETE FROM codebook_other WHERE respondent_id = ? AND question_id = ?", (rid, qid))
                self.conn.executemany(
                    f"INSERT INTO codings ({', '.join(CODING_COLUMNS)}) VALUES ({', '.join('?' * len(CODING_COLUMNS))})",
                    [tuple(c) for c in image["codings"]])
                if image["other"]:
                    self.conn.execute("INSERT INTO codebook_other VALUES (?, ?, ?, ?, ?)",
                                      (consultation_id, rid, qid, *image["other"]))
            self.conn.execute("UPDATE codebook_actions SET undone_by = ?, undone_at = ? WHERE id = ?",
                              (by, self.now(), row["id"]))
            self._log(by, "codebook_undo", question_id=qid, action_id=row["id"], summary=row["summary"])
            self.materialise_latest(consultation_id, qid)
            undone = CodebookAction.from_row(self.conn.execute("SELECT * FROM codebook_actions WHERE id = ?",
                                                               (row["id"],)).fetchone())
        if not erased:
            return undone
        what = "its answer" if erased == 1 else f"{erased} of its answers"
        return replace(undone, erased=erased, summary=f"{undone.summary}; {what} cannot be undone: the respondent"
                       f"{'' if erased == 1 else 's'} {'was' if erased == 1 else 'were'} erased")

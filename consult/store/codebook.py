"""The codebook in the store: reads, and what analysis runs write into it.

Staff edits (rename, merge, move, undo...) are in :mod:`consult.store.codebook_edits`; the
tables are described in :mod:`consult.store.codebook_schema`. How the rows add up to the themes
staff and readers see (staff codings beat machine ones, shares over respondents) is policy, in
:mod:`consult.codebook`; this module only reads and writes rows.

Runs write in two ways. A *finding* run (no confirmed theme in the question) replaces the
question's candidates with the themes it found. An *assigning* run codes answers to the
existing themes and may add candidates it proposes (``is_new``). Either way the run's own rows
(``themes``/``theme_members``) are then written as a copy of the codebook (``materialise``), and
every staff edit refreshes that copy, so readers of run tables see the curated set.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from consult.store.codebook_schema import text_hash
from consult.store.staff_text import staff_text


@dataclass(frozen=True)
class CodebookTheme:
    """One row of ``codebook_themes``."""

    id: int
    consultation_id: str
    question_id: str
    label: str
    description: str
    terms: tuple[str, ...]
    parent_id: int | None
    status: str
    origin: str
    is_new: bool
    position: int
    proposed_in_run: int | None
    created_by: str
    created_at: str
    updated_by: str | None
    updated_at: str | None
    version: int
    deleted: bool

    @classmethod
    def from_row(cls, row) -> CodebookTheme:
        return cls(id=row["id"], consultation_id=row["consultation_id"], question_id=row["question_id"],
                   label=row["label"], description=row["description"], terms=tuple(json.loads(row["terms"])),
                   parent_id=row["parent_id"], status=row["status"], origin=row["origin"],
                   is_new=bool(row["is_new"]), position=row["position"], proposed_in_run=row["proposed_in_run"],
                   created_by=row["created_by"], created_at=row["created_at"], updated_by=row["updated_by"],
                   updated_at=row["updated_at"], version=row["version"], deleted=bool(row["deleted"]))


@dataclass(frozen=True)
class Coding:
    respondent_id: str
    theme_id: int
    source: str  # 'machine' | 'staff'
    is_primary: bool
    strength: float | None
    rank: int | None = None  # the finder's representativeness order (1 = most), when it ranked it


@dataclass
class CodingRows:
    """Everything :func:`consult.codebook.question_coding` needs about one question's answers."""

    population: list[str]  # respondents counted: answered, not excluded (submitted unless drafts)
    codings: list[Coding] = field(default_factory=list)
    staff_other: set[str] = field(default_factory=set)
    outcomes: dict[str, str] = field(default_factory=dict)  # what the last run did: theme/other/non_answer


@dataclass
class Proposal:
    """A theme a run proposes: label, description, terms, and its members with their strength."""

    label: str
    description: str = ""
    terms: list[str] = field(default_factory=list)
    members: list[tuple[str, bool, float | None]] = field(default_factory=list)  # (respondent, primary, strength)
    ranks: dict[str, int] = field(default_factory=dict)  # the finder's representativeness order
    parent: str | None = None  # label of its broad theme, when the analysis gave one


class CodebookMixin:
    """Methods of :class:`consult.store.Store` for the codebook (reads and run writes)."""

    # ------------------------------------------------------------------ reads
    def codebook(self, consultation_id: str, question_id: str | None = None, *,
                 include_deleted: bool = False) -> list[CodebookTheme]:
        sql = "SELECT * FROM codebook_themes WHERE consultation_id = ?"
        params: list = [consultation_id]
        if question_id is not None:
            sql += " AND question_id = ?"
            params.append(question_id)
        if not include_deleted:
            sql += " AND deleted = 0"
        return [CodebookTheme.from_row(r) for r in self.query(sql + " ORDER BY question_id, position, id",
                                                               tuple(params))]

    def codebook_theme(self, theme_id: int) -> CodebookTheme | None:
        row = self.conn.execute("SELECT * FROM codebook_themes WHERE id = ?", (theme_id,)).fetchone()
        return CodebookTheme.from_row(row) if row else None

    def codebook_questions(self, consultation_id: str) -> list[str]:
        """Questions that have a codebook (themes, or answers a run has coded)."""
        rows = self.query("SELECT question_id FROM codebook_themes WHERE consultation_id = ? AND deleted = 0"
                          " UNION SELECT question_id FROM coded_answers WHERE consultation_id = ?",
                          (consultation_id, consultation_id))
        return sorted(r[0] for r in rows)

    def has_confirmed(self, consultation_id: str, question_id: str) -> bool:
        return self.scalar("SELECT 1 FROM codebook_themes WHERE consultation_id = ? AND question_id = ?"
                           " AND deleted = 0 AND status = 'confirmed' LIMIT 1",
                           (consultation_id, question_id)) is not None

    def coding_rows(self, consultation_id: str, question_id: str, *, include_drafts: bool = False) -> CodingRows:
        who = "r.excluded_reason IS NULL" + ("" if include_drafts else " AND r.status = 'submitted'")
        population = [r[0] for r in self.query(
            "SELECT a.respondent_id FROM answers a JOIN respondents r ON r.id = a.respondent_id"
            f" WHERE a.question_id = ? AND r.consultation_id = ? AND {staff_text()} != '' AND {who}"
            " ORDER BY a.respondent_id", (question_id, consultation_id))]
        rows = CodingRows(population=population)
        rows.codings = [Coding(r[0], r[1], r[2], bool(r[3]), r[4], r[5]) for r in self.query(
            "SELECT respondent_id, theme_id, source, is_primary, strength, rank FROM codings"
            " WHERE consultation_id = ? AND question_id = ?", (consultation_id, question_id))]
        rows.staff_other = {r[0] for r in self.query(
            "SELECT respondent_id FROM codebook_other WHERE consultation_id = ? AND question_id = ?",
            (consultation_id, question_id))}
        rows.outcomes = {r[0]: r[1] for r in self.query(
            "SELECT respondent_id, outcome FROM coded_answers WHERE consultation_id = ? AND question_id = ?",
            (consultation_id, question_id))}
        return rows

    def coded_hashes(self, consultation_id: str, question_id: str) -> dict[str, tuple[str, str]]:
        """``{respondent: (text hash, outcome)}`` as the last run left them."""
        return {r[0]: (r[1], r[2]) for r in self.query(
            "SELECT respondent_id, text_hash, outcome FROM coded_answers WHERE consultation_id = ?"
            " AND question_id = ?", (consultation_id, question_id))}

    def placements(self, question_id: str) -> dict[str, str]:
        """Answers staff coded by hand, ``{respondent: label of its primary theme, or "Other"}``."""
        rows = self.query("SELECT c.respondent_id, t.label FROM codings c JOIN codebook_themes t ON t.id = c.theme_id"
                          " AND t.deleted = 0 WHERE c.question_id = ? AND c.source = 'staff' AND c.is_primary = 1",
                          (question_id,))
        placed = {r[0]: r[1] for r in rows}
        placed.update({r[0]: "Other" for r in self.query(
            "SELECT respondent_id FROM codebook_other WHERE question_id = ?", (question_id,))})
        return placed

    # ------------------------------------------------------------------ run writes
    def _theme_version(self, theme_id: int, action: str, by: str, run_id: int | None = None) -> None:
        """Append the theme's current state to its history (inside a write)."""
        self.conn.execute(
            "INSERT INTO codebook_versions SELECT id, version, label, description, parent_id, status, deleted,"
            " ?, ?, ?, ? FROM codebook_themes WHERE id = ?", (action, by, self.now(), run_id, theme_id))

    def _insert_theme(self, consultation_id: str, question_id: str, label: str, *, description: str = "",
                      terms: list[str] | tuple[str, ...] = (), status: str = "candidate", origin: str = "analysis",
                      is_new: bool = False, parent_id: int | None = None, run_id: int | None = None,
                      by: str = "analysis", position: int | None = None) -> int:
        if position is None:
            position = self.scalar("SELECT coalesce(max(position), -1) + 1 FROM codebook_themes"
                                   " WHERE consultation_id = ? AND question_id = ?", (consultation_id, question_id))
        staff = by != "analysis"
        cursor = self.conn.execute(
            "INSERT INTO codebook_themes (consultation_id, question_id, label, description, terms, parent_id,"
            " status, origin, is_new, position, proposed_in_run, created_by, created_at, updated_by, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (consultation_id, question_id, label, description, json.dumps(list(terms), ensure_ascii=False),
             parent_id, status, origin, int(is_new), position, run_id, by, self.now(),
             by if staff else None, self.now() if staff else None))
        self._theme_version(cursor.lastrowid, "created" if staff else "proposed", by, run_id)
        return cursor.lastrowid

    def _add_proposals(self, run_id: int, consultation_id: str, question_id: str, proposals: list[Proposal],
                       *, is_new: bool, origin: str) -> list[int]:
        parents: dict[str, int] = {}
        labels = {p.label.casefold() for p in proposals}
        ids = []
        for p in proposals:
            parent_id = None
            if p.parent:
                if p.parent not in parents:
                    # a broad theme named as one of its sub-themes says which it is
                    name = p.parent + (" (broad theme)" if p.parent.casefold() in labels else "")
                    parents[p.parent] = self._insert_theme(consultation_id, question_id, name, origin=origin,
                                                           is_new=is_new, run_id=run_id)
                parent_id = parents[p.parent]
            theme_id = self._insert_theme(consultation_id, question_id, p.label, description=p.description,
                                          terms=p.terms, origin=origin, is_new=is_new, parent_id=parent_id,
                                          run_id=run_id)
            self._write_codings(run_id, consultation_id, question_id, theme_id, p.members, p.ranks)
            ids.append(theme_id)
        return ids

    def _write_codings(self, run_id, consultation_id, question_id, theme_id, members, ranks) -> None:
        now = self.now()
        self.conn.executemany(
            "INSERT OR REPLACE INTO codings (consultation_id, respondent_id, question_id, theme_id, source,"
            " is_primary, strength, rank, run_id, at) VALUES (?, ?, ?, ?, 'machine', ?, ?, ?, ?, ?)",
            [(consultation_id, rid, question_id, theme_id, int(primary), strength, ranks.get(rid) if primary else None,
              run_id, now) for rid, primary, strength in members])

    def _record_outcomes(self, run_id: int, consultation_id: str, question_id: str,
                         outcomes: dict[str, str]) -> None:
        # the text the run read (as submitted), so that the next run sees only real changes
        texts = dict(self.query(f"SELECT a.respondent_id, {staff_text()} FROM answers a JOIN respondents r"
                                " ON r.id = a.respondent_id WHERE a.question_id = ?", (question_id,)))
        self.conn.executemany(
            "INSERT OR REPLACE INTO coded_answers VALUES (?, ?, ?, ?, ?, ?)",
            [(rid, question_id, consultation_id, run_id, text_hash(texts.get(rid, "")), outcome)
             for rid, outcome in outcomes.items()])

    def replace_candidates(self, run_id: int, consultation_id: str, question_id: str,
                           proposals: list[Proposal], outcomes: dict[str, str]) -> list[int]:
        """A finding run: the question's unconfirmed candidates give way to what it found.

        Refused (``ValueError``) when the question has confirmed themes: those are staff's.
        """
        with self.write():
            if self.has_confirmed(consultation_id, question_id):
                raise ValueError(f"{question_id} has confirmed themes: a run may only assign answers to them")
            old = [r[0] for r in self.query("SELECT id FROM codebook_themes WHERE consultation_id = ?"
                                            " AND question_id = ? AND deleted = 0", (consultation_id, question_id))]
            for theme_id in old:
                self.conn.execute("UPDATE codebook_themes SET deleted = 1, version = version + 1 WHERE id = ?",
                                  (theme_id,))
                self._theme_version(theme_id, "replaced by a new finding run", "analysis", run_id)
            self.conn.execute("DELETE FROM codings WHERE consultation_id = ? AND question_id = ?"
                              " AND source = 'machine'", (consultation_id, question_id))
            self.conn.execute("DELETE FROM coded_answers WHERE consultation_id = ? AND question_id = ?",
                              (consultation_id, question_id))
            ids = self._add_proposals(run_id, consultation_id, question_id, proposals, is_new=False,
                                      origin="analysis")
            self._record_outcomes(run_id, consultation_id, question_id, outcomes)
        return ids

    def record_assignment(self, run_id: int, consultation_id: str, question_id: str, *,
                          codings: dict[str, list[tuple[int, bool, float | None]]], outcomes: dict[str, str],
                          proposals: list[Proposal]) -> list[int]:
        """An assigning run: machine codings of the answers it coded (replacing their old ones),
        and the new candidates it proposes. Staff codings and themes are left as they are."""
        with self.write():
            self.conn.executemany(
                "DELETE FROM codings WHERE respondent_id = ? AND question_id = ? AND source = 'machine'",
                [(rid, question_id) for rid in outcomes])
            now = self.now()
            self.conn.executemany(
                "INSERT OR REPLACE INTO codings (consultation_id, respondent_id, question_id, theme_id, source,"
                " is_primary, strength, run_id, at) VALUES (?, ?, ?, ?, 'machine', ?, ?, ?, ?)",
                [(consultation_id, rid, question_id, tid, int(primary), strength, run_id, now)
                 for rid, coded in codings.items() for tid, primary, strength in coded])
            ids = self._add_proposals(run_id, consultation_id, question_id, proposals, is_new=True,
                                      origin="assign")
            self._record_outcomes(run_id, consultation_id, question_id, outcomes)
        return ids

"""Analysis runs: the themes found in each question's answers, and who is in them.

A run is never overwritten: each `consult analyse` adds one, so runs can be compared and the
report and browser read the latest.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field


@dataclass
class Run:
    id: int
    consultation_id: str
    created_at: str
    method: str
    version: str
    params: dict = field(default_factory=dict)
    summary: dict = field(default_factory=dict)

    @classmethod
    def from_row(cls, row) -> Run:
        return cls(id=row["id"], consultation_id=row["consultation_id"], created_at=row["created_at"],
                   method=row["method"], version=row["version"], params=json.loads(row["params"]),
                   summary=json.loads(row["summary"]))


@dataclass
class ThemeRow:
    id: int
    run_id: int
    question_id: str
    position: int
    kind: str  # 'theme', 'other' or 'non_answer'
    label: str
    description: str
    terms: list[str]
    size: int
    share: float
    cohesion: float | None
    similar_to: int | None
    created_by: str

    @classmethod
    def from_row(cls, row) -> ThemeRow:
        return cls(id=row["id"], run_id=row["run_id"], question_id=row["question_id"],
                   position=row["position"], kind=row["kind"], label=row["label"],
                   description=row["description"], terms=json.loads(row["terms"]), size=row["size"],
                   share=row["share"], cohesion=row["cohesion"], similar_to=row["similar_to"],
                   created_by=row["created_by"])


@dataclass
class Member:
    respondent_id: str
    question_id: str
    is_primary: bool
    score: float | None
    rank: int | None
    text: str


class AnalysesMixin:
    """Methods of :class:`consult.store.Store` for analysis runs and their themes."""

    def save_run(self, consultation_id: str, *, method: str, version: str, params: dict,
                 summary: dict, themes: list[dict]) -> int:
        """Store one run in a single transaction and return its id.

        ``themes`` is a list of dicts with ``question_id``, ``kind``, ``label``, and optionally
        ``description``, ``terms``, ``size``, ``share``, ``cohesion``, ``similar_to`` (the index of
        another theme in this same list) and ``members``: dicts with ``respondent_id``,
        ``is_primary``, ``score``, ``rank``. Positions follow list order within each question.
        """
        with self.write():
            cursor = self.conn.execute(
                "INSERT INTO analysis_runs (consultation_id, created_at, method, version, params, summary)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (consultation_id, self.now(), method, version, json.dumps(params), json.dumps(summary)))
            run_id = cursor.lastrowid
            ids: list[int] = []
            positions: dict[str, int] = {}
            for theme in themes:
                qid = theme["question_id"]
                position = positions.get(qid, 0)
                positions[qid] = position + 1
                cursor = self.conn.execute(
                    "INSERT INTO themes (run_id, question_id, position, kind, label, description, terms,"
                    " size, share, cohesion, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (run_id, qid, position, theme.get("kind", "theme"), theme["label"],
                     theme.get("description", ""), json.dumps(theme.get("terms", []), ensure_ascii=False),
                     theme.get("size", 0), theme.get("share", 0.0), theme.get("cohesion"),
                     theme.get("created_by", "analysis")))
                ids.append(cursor.lastrowid)
                self.conn.executemany(
                    "INSERT OR REPLACE INTO theme_members (theme_id, respondent_id, question_id, is_primary,"
                    " score, rank) VALUES (?, ?, ?, ?, ?, ?)",
                    [(cursor.lastrowid, m["respondent_id"], qid, int(m.get("is_primary", True)),
                      m.get("score"), m.get("rank")) for m in theme.get("members", [])])
            for theme, theme_id in zip(themes, ids, strict=True):
                if theme.get("similar_to") is not None:
                    self.conn.execute("UPDATE themes SET similar_to = ? WHERE id = ?",
                                      (ids[theme["similar_to"]], theme_id))
        return run_id

    def runs(self, consultation_id: str) -> list[Run]:
        rows = self.query("SELECT * FROM analysis_runs WHERE consultation_id = ? ORDER BY id",
                          (consultation_id,))
        return [Run.from_row(r) for r in rows]

    def latest_run(self, consultation_id: str) -> Run | None:
        row = self.conn.execute("SELECT * FROM analysis_runs WHERE consultation_id = ? ORDER BY id DESC"
                                " LIMIT 1", (consultation_id,)).fetchone()
        return Run.from_row(row) if row else None

    def themes(self, run_id: int, question_id: str | None = None) -> list[ThemeRow]:
        """A run's themes, in question order then theme position (largest first)."""
        sql = ("SELECT t.* FROM themes t JOIN analysis_runs r ON r.id = t.run_id"
               " LEFT JOIN questions q ON q.consultation_id = r.consultation_id AND q.id = t.question_id"
               " WHERE t.run_id = ?")
        params: list = [run_id]
        if question_id:
            sql += " AND t.question_id = ?"
            params.append(question_id)
        rows = self.query(sql + " ORDER BY q.position, t.question_id, t.position", tuple(params))
        return [ThemeRow.from_row(r) for r in rows]

    def theme(self, theme_id: int) -> ThemeRow | None:
        row = self.conn.execute("SELECT * FROM themes WHERE id = ?", (theme_id,)).fetchone()
        return ThemeRow.from_row(row) if row else None

    def theme_members(self, theme_id: int, *, primary_only: bool = False) -> list[Member]:
        """Members with their answer text, most representative first, excluded respondents left out."""
        sql = ("SELECT m.*, a.text FROM theme_members m"
               " JOIN answers a ON a.respondent_id = m.respondent_id AND a.question_id = m.question_id"
               " JOIN respondents r ON r.id = m.respondent_id"
               " WHERE m.theme_id = ? AND r.excluded_reason IS NULL")
        if primary_only:
            sql += " AND m.is_primary = 1"
        rows = self.query(sql + " ORDER BY m.is_primary DESC, m.rank IS NULL, m.rank, m.score DESC,"
                          " m.respondent_id", (theme_id,))
        return [Member(respondent_id=r["respondent_id"], question_id=r["question_id"],
                       is_primary=bool(r["is_primary"]), score=r["score"], rank=r["rank"], text=r["text"])
                for r in rows]

    def answer_themes(self, run_id: int) -> dict[tuple[str, str], ThemeRow]:
        """The primary theme of every answer in a run, by (respondent id, question id)."""
        themes = {t.id: t for t in self.themes(run_id)}
        rows = self.query("SELECT m.theme_id, m.respondent_id, m.question_id FROM theme_members m"
                          " JOIN themes t ON t.id = m.theme_id WHERE t.run_id = ? AND m.is_primary = 1",
                          (run_id,))
        return {(r["respondent_id"], r["question_id"]): themes[r["theme_id"]] for r in rows}

    def staff_named_themes(self, run_id: int, question_id: str) -> list[tuple[str, set[str]]]:
        """Themes of a run whose label staff chose (renamed, or made by a split), with the
        respondents in each; the next analysis gives their label to the theme that matches."""
        renamed = {r[0] for r in self.query(
            "SELECT json_extract(detail, '$.theme_id') FROM curation_log WHERE action = 'rename_theme'")}
        found = []
        for theme in self.themes(run_id, question_id):
            if theme.kind != "theme" or (theme.id not in renamed and theme.created_by != "staff"):
                continue
            members = {r[0] for r in self.query(
                "SELECT respondent_id FROM theme_members WHERE theme_id = ? AND is_primary = 1", (theme.id,))}
            found.append((theme.label, members))
        return found

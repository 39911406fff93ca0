"""Analysis runs: the themes found in each question's answers, and who is in them.

A run is never overwritten: each `consult analyse` adds one, so runs can be compared and the
report and browser read the latest.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from consult.store.codebook import Proposal
from consult.store.staff_text import staff_text


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
    codebook_id: int | None = None  # the codebook theme this row shows (consult.store.codebook)

    @classmethod
    def from_row(cls, row) -> ThemeRow:
        return cls(id=row["id"], run_id=row["run_id"], question_id=row["question_id"],
                   position=row["position"], kind=row["kind"], label=row["label"],
                   description=row["description"], terms=json.loads(row["terms"]), size=row["size"],
                   share=row["share"], cohesion=row["cohesion"], similar_to=row["similar_to"],
                   created_by=row["created_by"],
                   codebook_id=row["codebook_id"])


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
        another theme in this same list), ``parent`` (the label of its broad theme) and ``members``:
        dicts with ``respondent_id``, ``is_primary``, ``score``, ``rank``. Positions follow list
        order within each question.

        These are what a *finding* run found: in each question with no confirmed theme they
        replace the codebook's candidates (see :meth:`replace_candidates`); a question with
        confirmed themes keeps its codebook. The run's rows are then written as the codebook's
        copy (:meth:`materialise`).
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
            for qid in dict.fromkeys(t["question_id"] for t in themes):
                mine = [(t, i) for t, i in zip(themes, ids, strict=True) if t["question_id"] == qid]
                if self.has_confirmed(consultation_id, qid):
                    continue
                found = [(t, i) for t, i in mine if t.get("kind", "theme") == "theme"]
                outcomes: dict[str, str] = {}
                for t, _ in mine:
                    kind = t.get("kind", "theme")
                    for m in t.get("members", []):
                        if kind != "theme" or m.get("is_primary", True):
                            outcomes[m["respondent_id"]] = kind
                cb_ids = self.replace_candidates(run_id, consultation_id, qid, [
                    Proposal(label=t["label"], description=t.get("description", ""), terms=list(t.get("terms", [])),
                             members=[(m["respondent_id"], bool(m.get("is_primary", True)), m.get("score"))
                                      for m in t.get("members", [])], parent=t.get("parent"),
                             ranks={m["respondent_id"]: m["rank"] for m in t.get("members", [])
                                    if m.get("rank") is not None})
                    for t, _ in found], outcomes)
                for (_, row_id), cb_id in zip(found, cb_ids, strict=True):
                    self.conn.execute("UPDATE themes SET codebook_id = ? WHERE id = ?", (cb_id, row_id))
                self.materialise(run_id, consultation_id, qid)
        return run_id

    def materialise_run(self, run_id: int, consultation_id: str, *, done: Iterable[str] = ()) -> None:
        """Write the run's rows for every question with a codebook as the codebook stands;
        ``done`` names questions ``save_run`` has just written so (each costs a full recount)."""
        skip = set(done)
        with self.write():
            for qid in self.codebook_questions(consultation_id):
                if qid not in skip:
                    self.materialise(run_id, consultation_id, qid)

    def materialise_latest(self, consultation_id: str, question_id: str) -> None:
        """After a staff edit: the latest run's copy of the question's themes, refreshed."""
        run_id = self.scalar("SELECT max(id) FROM analysis_runs WHERE consultation_id = ?", (consultation_id,))
        if run_id is not None:
            self.materialise(run_id, consultation_id, question_id)

    def materialise(self, run_id: int, consultation_id: str, question_id: str) -> None:
        """Rewrite one question's rows of a run (``themes``, ``theme_members``) from the codebook.

        Readers of run tables (the report and browse, until they read ``consult.codebook``) so
        see the curated set. Rows keep their id while their codebook theme lives; broad themes
        (those with sub-themes) are not rows, their sub-themes are.
        """
        from consult.codebook import question_coding, share
        from consult.store.curation import NON_ANSWER_LABEL, OTHER_LABEL, TOO_FEW_LABEL

        params = json.loads(self.scalar("SELECT params FROM analysis_runs WHERE id = ?", (run_id,)) or "{}")
        drafts = bool(params.get("include_drafts", False)) if isinstance(params, dict) else False
        # Members as coded, drafts too (readers filter them, as they did the run's own rows); sizes
        # and shares over the run's population.
        coding = question_coding(self, consultation_id, question_id, include_drafts=True)
        counted = coding if drafts else question_coding(self, consultation_id, question_id)
        sizes = {t.id: (t.count, t.share) for t in counted.themes}
        population = counted.population
        parents = {t.parent_id for t in coding.themes if t.parent_id is not None}
        with self.write():
            rows = self.query("SELECT id, kind, codebook_id FROM themes WHERE run_id = ? AND question_id = ?",
                              (run_id, question_id))
            by_code = {r["codebook_id"]: r["id"] for r in rows if r["kind"] == "theme" and r["codebook_id"]}
            by_kind = {r["kind"]: r["id"] for r in rows if r["kind"] != "theme"}
            groups = [(t, "theme", t.label, t.description, json.dumps(list(t.terms), ensure_ascii=False),
                       "staff" if t.edited or t.origin in ("staff", "split") else "analysis", t.respondents,
                       set(t.primary), sizes.get(t.id, (0, 0.0))) for t in coding.themes if t.id not in parents]
            for kind, label, members, of in (
                    ("other", TOO_FEW_LABEL if coding.too_few else OTHER_LABEL, coding.other, counted.other),
                    ("non_answer", NON_ANSWER_LABEL, coding.non_answers, counted.non_answers)):
                if members or kind in by_kind:  # a group's row stays, even empty, so its id lasts
                    groups.append((None, kind, label, "", "[]", "analysis", members, set(members),
                                   (len(of), share(len(of), population))))
            keep = set()
            for position, (t, kind, label, description, terms, created_by, members, primary, (size, part)) in (
                    enumerate(groups)):
                row_id = by_code.get(t.id) if t is not None else by_kind.get(kind)
                values = (position, label, description, terms, size, part, created_by, t.id if t is not None else None)
                if row_id is None:
                    row_id = self.conn.execute(
                        "INSERT INTO themes (run_id, question_id, kind, position, label, description, terms, size,"
                        " share, created_by, codebook_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (run_id, question_id, kind, *values)).lastrowid
                else:
                    self.conn.execute("UPDATE themes SET position = ?, label = ?, description = ?, terms = ?,"
                                      " size = ?, share = ?, created_by = ?, codebook_id = ? WHERE id = ?",
                                      (*values, row_id))
                keep.add(row_id)
                self.conn.execute("DELETE FROM theme_members WHERE theme_id = ?", (row_id,))
                ordered = [rid for rid in members if rid in primary] + [rid for rid in members if rid not in primary]
                self.conn.executemany(
                    "INSERT INTO theme_members (theme_id, respondent_id, question_id, is_primary, rank)"
                    " VALUES (?, ?, ?, ?, ?)",
                    [(row_id, rid, question_id, int(rid in primary), rank if rid in primary else None)
                     for rank, rid in enumerate(ordered, start=1)])
            gone = [r["id"] for r in rows if r["id"] not in keep]
            for row_id in gone:
                self.conn.execute("UPDATE themes SET similar_to = NULL WHERE similar_to = ?", (row_id,))
                self.conn.execute("DELETE FROM themes WHERE id = ?", (row_id,))

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
        """Members with their answer text (as submitted: :func:`staff_text`), most representative
        first, excluded respondents left out."""
        sql = (f"SELECT m.*, {staff_text()} AS text FROM theme_members m"
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


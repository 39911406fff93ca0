"""Read-side queries for the staff browser: overview counts, pages of answers, full-text search.

Everything here aggregates in SQL and returns small pages, so that a database of 100,000 answers
opens and scrolls quickly: nothing loads a whole question's answers. What a search query means
(stems, prefixes, exact phrases in quotes) lives in :mod:`consult.store.search_query`. Every
answer is read as staff see it, as submitted (:func:`consult.store.staff_text.staff_text`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from consult.store.respondent_pages import RespondentPagesMixin, RespondentRow, json_path
from consult.store.search_hits import SearchHitsMixin
from consult.store.search_query import (
    EXACT_FUNCTION,
    exact_match,
    fts_query,
    parse,
    split_highlight,
)
from consult.store.staff_text import SEARCH_INDEXES, staff_text
from consult.text import word_count

__all__ = ["STATUSES", "AnswerRow", "Filters", "Overview", "RespondentRow", "SearchMixin", "fair_shares",
           "fts_query", "split_highlight"]

STATUSES = ("submitted", "draft", "excluded", "all")


def fair_shares(counts: dict[str, int], limit: int, cap: int | None = None) -> dict[str, int]:
    """How many of ``limit`` rows each question gets: an equal share each, at most its own count
    (and ``cap``), and what a small question leaves over goes to the larger ones."""
    out: dict[str, int] = {}
    left = limit
    pending = sorted((n, qid) for qid, n in counts.items() if n > 0)
    while pending:
        n, qid = pending.pop(0)
        share = left // (len(pending) + 1)
        out[qid] = min(n, share, cap if cap is not None else n)
        left -= out[qid]
    return out


@dataclass
class Filters:
    """What narrows a list of answers. Empty means: every answer of respondents not excluded."""

    profile: dict[str, str] = field(default_factory=dict)  # profile field id -> value
    status: str | None = None  # None: not excluded; or one of STATUSES
    theme: str | None = None  # a theme label of the latest run
    unread_by: str | None = None  # only answers this user has not opened
    flagged: bool = False  # only answers flagged for follow-up

    @property
    def active(self) -> bool:
        return bool(self.profile or self.status or self.theme or self.unread_by or self.flagged)


@dataclass
class AnswerRow:
    answer_id: int
    respondent_id: str
    question_id: str
    text: str
    organisation: str | None
    status: str
    excluded_reason: str | None
    theme_id: int | None
    theme: str | None
    read: bool
    flag_note: str | None  # None: not flagged
    key_quote: bool
    spans: list[tuple[int, int]] = field(default_factory=list)  # search matches in text

    @property
    def words(self) -> int:
        return word_count(self.text)

    @property
    def flagged(self) -> bool:
        return self.flag_note is not None

    @property
    def excluded(self) -> bool:
        return self.excluded_reason is not None


@dataclass
class Overview:
    respondents: int
    submitted: int
    draft: int
    excluded: int
    answers: dict[str, int]  # question id -> non-empty answers of respondents not excluded
    breakdowns: dict[str, list[tuple[str, int]]]  # profile field id -> [(value, count)], largest first
    latest_response: str | None
    latest_submission: str | None


TEXT = staff_text()  # SQL: the answer ``a`` of respondent ``r`` as staff see it
_ANSWER_COLUMNS = f"""
    a.id, a.respondent_id, a.question_id, {TEXT} AS text, r.status, r.excluded_reason,
    json_extract(r.profile, :org_path) AS organisation,
    (SELECT t.id FROM theme_members m JOIN themes t ON t.id = m.theme_id
      WHERE t.run_id = :run_id AND m.respondent_id = a.respondent_id
        AND m.question_id = a.question_id AND m.is_primary = 1 LIMIT 1) AS theme_id,
    EXISTS (SELECT 1 FROM reads d WHERE d.respondent_id = a.respondent_id
        AND d.question_id = a.question_id AND d.read_by = :user) AS is_read,
    (SELECT f.note FROM flags f WHERE f.respondent_id = a.respondent_id
        AND f.question_id = a.question_id) AS flag_note,
    EXISTS (SELECT 1 FROM key_quotes k WHERE k.respondent_id = a.respondent_id
        AND k.question_id = a.question_id) AS key_quote
"""


class SearchMixin(SearchHitsMixin, RespondentPagesMixin):
    """Read methods of :class:`consult.store.Store` for the staff browser."""

    # ------------------------------------------------------------------ overview
    def overview(self, consultation_id: str, breakdown_fields: Iterable[str] = ()) -> Overview:
        """Counts for the overview screen, all aggregated in SQL."""
        row = self.conn.execute(
            "SELECT count(*),"
            " coalesce(sum(excluded_reason IS NULL AND status = 'submitted'), 0),"
            " coalesce(sum(excluded_reason IS NULL AND status = 'draft'), 0),"
            " coalesce(sum(excluded_reason IS NOT NULL), 0),"
            " max(CASE WHEN excluded_reason IS NULL THEN updated_at END),"
            " max(CASE WHEN excluded_reason IS NULL THEN submitted_at END)"
            " FROM respondents WHERE consultation_id = ?", (consultation_id,)).fetchone()
        answers = {r[0]: r[1] for r in self.query(
            "SELECT a.question_id, count(*) FROM answers a JOIN respondents r ON r.id = a.respondent_id"
            f" WHERE r.consultation_id = ? AND r.excluded_reason IS NULL AND {TEXT} != ''"
            " GROUP BY a.question_id", (consultation_id,))}
        breakdowns = {}
        for field_id in breakdown_fields:
            path = json_path(field_id)
            counts = [(str(r[0]), r[1]) for r in self.query(
                "SELECT j.value, count(*) FROM respondents r, json_each(r.profile, ?) j"
                " WHERE r.consultation_id = ? AND r.excluded_reason IS NULL AND j.value != ''"
                " GROUP BY j.value ORDER BY count(*) DESC, j.value", (path, consultation_id))]
            missing = self.scalar(
                "SELECT count(*) FROM respondents WHERE consultation_id = ? AND excluded_reason IS NULL"
                " AND coalesce(json_extract(profile, ?), '') IN ('', '[]')", (consultation_id, path))
            if missing:
                counts.append(("(not given)", missing))
            breakdowns[field_id] = counts
        return Overview(respondents=row[0], submitted=row[1], draft=row[2], excluded=row[3],
                        answers=answers, breakdowns=breakdowns, latest_response=row[4],
                        latest_submission=row[5])

    # ------------------------------------------------------------------ filters
    def _filter_sql(self, filters: Filters | None, params: dict) -> str:
        filters = filters or Filters()
        sql = ""
        status = filters.status
        if status is None:
            sql += " AND r.excluded_reason IS NULL"
        elif status == "excluded":
            sql += " AND r.excluded_reason IS NOT NULL"
        elif status in ("submitted", "draft"):
            sql += " AND r.excluded_reason IS NULL AND r.status = :status"
            params["status"] = status
        for i, (field_id, value) in enumerate(sorted(filters.profile.items())):
            params[f"pf{i}"] = json_path(field_id)
            params[f"pv{i}"] = value
            # Equality first (cheap; choice fields), then list membership (multi fields).
            sql += (f" AND (json_extract(r.profile, :pf{i}) = :pv{i}"
                    f" OR (json_type(r.profile, :pf{i}) = 'array' AND EXISTS"
                    f" (SELECT 1 FROM json_each(r.profile, :pf{i}) j WHERE j.value = :pv{i})))")
        if filters.theme:
            params["theme"] = filters.theme
            sql += (" AND EXISTS (SELECT 1 FROM theme_members m JOIN themes t ON t.id = m.theme_id"
                    " WHERE t.run_id = :run_id AND t.label = :theme AND m.is_primary = 1"
                    " AND m.respondent_id = a.respondent_id AND m.question_id = a.question_id)")
        if filters.unread_by:
            params["reader"] = filters.unread_by
            sql += (" AND NOT EXISTS (SELECT 1 FROM reads d WHERE d.respondent_id = a.respondent_id"
                    " AND d.question_id = a.question_id AND d.read_by = :reader)")
        if filters.flagged:
            sql += (" AND EXISTS (SELECT 1 FROM flags f WHERE f.respondent_id = a.respondent_id"
                    " AND f.question_id = a.question_id)")
        return sql

    def _answer_rows(self, rows, themes: dict[int, str]) -> list[AnswerRow]:
        return [AnswerRow(answer_id=r["id"], respondent_id=r["respondent_id"], question_id=r["question_id"],
                          text=r["text"], organisation=r["organisation"], status=r["status"],
                          excluded_reason=r["excluded_reason"], theme_id=r["theme_id"],
                          theme=themes.get(r["theme_id"]) if r["theme_id"] else None,
                          read=bool(r["is_read"]), flag_note=r["flag_note"], key_quote=bool(r["key_quote"]))
                for r in rows]

    def _theme_labels(self, run_id: int | None) -> dict[int, str]:
        if run_id is None:
            return {}
        return {r[0]: r[1] for r in self.query("SELECT id, label FROM themes WHERE run_id = ?", (run_id,))}

    def _latest_run_id(self, consultation_id: str) -> int | None:
        return self.scalar("SELECT max(id) FROM analysis_runs WHERE consultation_id = ?", (consultation_id,))

    # ------------------------------------------------------------------ answers of a question
    def count_answers(self, consultation_id: str, question_id: str, filters: Filters | None = None) -> int:
        params = {"cid": consultation_id, "qid": question_id, "run_id": self._latest_run_id(consultation_id)}
        where = self._filter_sql(filters, params)
        return self.scalar(
            "SELECT count(*) FROM answers a JOIN respondents r ON r.id = a.respondent_id"
            f" WHERE a.question_id = :qid AND r.consultation_id = :cid AND {TEXT} != ''" + where, params)

    def answer_page(self, consultation_id: str, question_id: str, *, user: str,
                    filters: Filters | None = None, after_id: int = 0, limit: int = 100,
                    org_field: str | None = None) -> list[AnswerRow]:
        """One page of a question's answers in stable order (answer id), after ``after_id``.

        Keyset paging: the next page starts after the last id of this one, so page 500 costs
        what page 1 costs.
        """
        run_id = self._latest_run_id(consultation_id)
        params = {"cid": consultation_id, "qid": question_id, "run_id": run_id, "user": user,
                  "org_path": json_path(org_field or ""), "after": after_id, "limit": limit}
        where = self._filter_sql(filters, params)
        rows = self.query(
            f"SELECT {_ANSWER_COLUMNS} FROM answers a JOIN respondents r ON r.id = a.respondent_id"
            f" WHERE a.question_id = :qid AND r.consultation_id = :cid AND {TEXT} != '' AND a.id > :after"
            + where + " ORDER BY a.id LIMIT :limit", params)
        return self._answer_rows(rows, self._theme_labels(run_id))

    def answer_row(self, consultation_id: str, respondent_id: str, question_id: str, *, user: str,
                   org_field: str | None = None) -> AnswerRow | None:
        """One answer with its organisation, theme, read mark, flag and key-quote mark."""
        run_id = self._latest_run_id(consultation_id)
        params = {"rid": respondent_id, "qid": question_id, "run_id": run_id, "user": user,
                  "org_path": json_path(org_field or "")}
        rows = self.query(
            f"SELECT {_ANSWER_COLUMNS} FROM answers a JOIN respondents r ON r.id = a.respondent_id"
            " WHERE a.respondent_id = :rid AND a.question_id = :qid", params)
        found = self._answer_rows(rows, self._theme_labels(run_id))
        return found[0] if found else None

    # ------------------------------------------------------------------ search
    def search_answers(self, consultation_id: str, text: str, *, user: str,
                       filters: Filters | None = None, question_id: str | None = None,
                       limit: int = 200, per_question: int | None = None, after_id: int = 0,
                       with_counts: bool = True, org_field: str | None = None
                       ) -> tuple[list[AnswerRow], dict[str, int]]:
        """Answers matching ``text`` (every word, any order), grouped by question in paper order.

        Returns up to ``limit`` rows shared fairly between the questions with matches (see
        :func:`fair_shares`; at most ``per_question`` each when given), so every question with
        matches shows some; each row has ``spans`` of the matched words in its text,
        and the number of matches per question (all of them, not only those returned; ``{}``
        when ``with_counts`` is false, for the next page of a search already counted). Within a
        question rows come in answer id order; ``after_id`` (with ``question_id``) continues
        after the last row of a page. With empty ``text`` the filters alone select.
        """
        parsed = parse(text)
        query = parsed.fts()
        run_id = self._latest_run_id(consultation_id)
        params = {"cid": consultation_id, "run_id": run_id, "user": user, "q": query,
                  "org_path": json_path(org_field or ""), "limit": limit, "after": after_id}
        where = self._filter_sql(filters, params)
        if question_id:
            params["qid"] = question_id
            where += " AND a.question_id = :qid"
        if parsed.exact:
            # Quoted words: FTS5 (porter) found them and their stem variants; keep the exact ones.
            self.conn.create_function(EXACT_FUNCTION, 2, exact_match, deterministic=True)
            params["exact"] = parsed.exact
        # (FROM, its conditions, the key rows come in): with words, one per index, each for the
        # responses whose staff text it holds (SEARCH_INDEXES); the submitted one only when in use.
        if query:
            indexes = SEARCH_INDEXES if self.scalar("SELECT 1 FROM submitted_answers LIMIT 1") else SEARCH_INDEXES[:1]
            exact = f" AND {EXACT_FUNCTION}({TEXT}, :exact)" if parsed.exact else ""
            # FTS5 drives (CROSS JOIN keeps it the outer loop), else with a rowid bound SQLite may
            # walk the question's answers and probe the index once each (0.7 s with filters).
            sources = [(f"{fts} CROSS JOIN answers a ON a.id = {fts}.rowid JOIN respondents r ON r.id = a.respondent_id",
                        f" AND {fts} MATCH :q AND {who}{exact}", f"{fts}.rowid", fts) for fts, who in indexes]
        else:
            sources = [("answers a JOIN respondents r ON r.id = a.respondent_id", "", "a.id", None)]
        counts: dict[str, int] = {}
        if with_counts:
            for source, match, _, _ in sources:
                for qid, n in self.query(f"SELECT a.question_id, count(*) FROM {source.replace('CROSS JOIN', 'JOIN', 1)}"
                                         f" WHERE r.consultation_id = :cid AND {TEXT} != ''{match}{where}"
                                         " GROUP BY a.question_id", params):
                    counts[qid] = counts.get(qid, 0) + n
        # Rows question by question in paper order; within one, in rowid order, which FTS5 reads
        # in order, so LIMIT stops early instead of sorting every match.
        if question_id:
            order = [question_id]
        else:
            order = [r[0] for r in self.query("SELECT id FROM questions WHERE consultation_id = ?"
                                              " ORDER BY position", (consultation_id,))]
            order += sorted(set(counts) - set(order))
        share = fair_shares(counts, limit, per_question) if with_counts else {}
        rows, index_of = [], {}
        for qid in order:
            if (with_counts and not share.get(qid)) or len(rows) >= limit:
                continue
            take = min(share.get(qid, per_question or limit), limit - len(rows))
            found_here = []
            for source, match, key, fts in sources:
                after = f" AND {key} > :after" if after_id else ""
                for row in self.query(f"SELECT {_ANSWER_COLUMNS} FROM {source} WHERE r.consultation_id = :cid"
                                      f" AND {TEXT} != ''{match}{where} AND a.question_id = :one{after}"
                                      f" ORDER BY {key} LIMIT :left", {**params, "one": qid, "left": take}):
                    found_here.append(row)
                    index_of[row["id"]] = fts
            rows += sorted(found_here, key=lambda r: r["id"])[:take]
        found = self._answer_rows(rows, self._theme_labels(run_id))
        if query and found:
            self._mark_spans(parsed, found, index_of)
        return found, counts

    def theme_member_page(self, theme_id: int, *, user: str, offset: int = 0, limit: int = 100,
                          org_field: str | None = None) -> list[AnswerRow]:
        """One page of a theme's answers (primary members, excluded respondents left out),
        most representative first."""
        row = self.conn.execute("SELECT run_id FROM themes WHERE id = ?", (theme_id,)).fetchone()
        if row is None:
            return []
        params = {"tid": theme_id, "run_id": row[0], "user": user, "org_path": json_path(org_field or ""),
                  "limit": limit, "offset": offset}
        rows = self.query(
            f"SELECT {_ANSWER_COLUMNS} FROM theme_members tm"
            " JOIN answers a ON a.respondent_id = tm.respondent_id AND a.question_id = tm.question_id"
            " JOIN respondents r ON r.id = a.respondent_id"
            " WHERE tm.theme_id = :tid AND tm.is_primary = 1 AND r.excluded_reason IS NULL"
            " ORDER BY tm.rank IS NULL, tm.rank, tm.score DESC, tm.respondent_id LIMIT :limit OFFSET :offset",
            params)
        return self._answer_rows(rows, self._theme_labels(row[0]))

    def answer_rows(self, consultation_id: str, question_id: str, respondent_ids: list[str], *, user: str,
                    org_field: str | None = None) -> list[AnswerRow]:
        """The answers of these respondents to one question, in the order given (a page of a
        codebook theme's members, which :func:`consult.codebook.question_coding` orders)."""
        if not respondent_ids:
            return []
        run_id = self._latest_run_id(consultation_id)
        params = {"qid": question_id, "run_id": run_id, "user": user, "org_path": json_path(org_field or ""),
                  "ids": json.dumps(list(respondent_ids))}
        rows = self.query(
            f"SELECT {_ANSWER_COLUMNS} FROM answers a JOIN respondents r ON r.id = a.respondent_id"
            " WHERE a.question_id = :qid AND a.respondent_id IN (SELECT value FROM json_each(:ids))", params)
        found = {row.respondent_id: row for row in self._answer_rows(rows, self._theme_labels(run_id))}
        return [found[rid] for rid in respondent_ids if rid in found]

    def answer_strengths(self, respondent_id: str, question_id: str) -> dict[int, tuple[str, float | None]]:
        """How each of an answer's themes was given, by codebook theme id: ``("staff", None)``
        for a theme staff gave it (staff codings, once there are any, are its coding), else
        ``("machine", strength)`` with the run's strength (None when the run recorded none)."""
        rows = self.query("SELECT theme_id, source, strength FROM codings WHERE respondent_id = ?"
                          " AND question_id = ?", (respondent_id, question_id))
        staff = {r[0]: ("staff", None) for r in rows if r[1] == "staff"}
        return staff or {r[0]: ("machine", r[2]) for r in rows if r[1] == "machine"}

    def theme_labels(self, consultation_id: str, question_id: str | None = None) -> list[str]:
        """Distinct theme labels of the latest run (of one question, or of all), for filters."""
        run_id = self._latest_run_id(consultation_id)
        if run_id is None:
            return []
        sql = "SELECT DISTINCT label FROM themes WHERE run_id = ?"
        params: list = [run_id]
        if question_id:
            sql += " AND question_id = ?"
            params.append(question_id)
        return sorted((r[0] for r in self.query(sql, tuple(params))), key=lambda label: (label.casefold(), label))

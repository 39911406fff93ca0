"""Read-side queries for the browser's respondents: pages of respondents, finding them, and the
fast synthetic insert used by benchmarks and fixtures. Part of :class:`consult.store.search.SearchMixin`."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from consult.store.staff_text import staff_text


@dataclass
class RespondentRow:
    id: str
    organisation: str | None
    status: str
    excluded_reason: str | None
    answers: int
    updated_at: str


def json_path(field_id: str) -> str:
    return '$."' + field_id.replace('"', "") + '"'


class RespondentPagesMixin:
    """Respondent pages for ``consult browse`` (the Store provides ``query``, ``scalar``, ``conn``)."""

    # ------------------------------------------------------------------ respondents
    def _respondent_where(self, text: str, org_field: str | None, params: list) -> str:
        """Respondents whose organisation contains ``text`` (any case) or whose id starts with it."""
        text = " ".join((text or "").split())
        if not text:
            return ""
        like = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params += [json_path(org_field or ""), f"%{like}%", f"{like}%"]
        return (" AND (coalesce(json_extract(r.profile, ?), '') LIKE ? ESCAPE '\\'"
                " OR r.id LIKE ? ESCAPE '\\')")

    def respondent_page(self, consultation_id: str, *, after_id: str = "", limit: int = 100,
                        org_field: str | None = None, include_excluded: bool = True,
                        text: str = "") -> list[RespondentRow]:
        """One page of respondents in id order (keyset: after ``after_id``), with their number of
        non-empty answers; ``text`` keeps those whose organisation contains it (any case) or whose
        id starts with it."""
        params: list = [json_path(org_field or ""), consultation_id, after_id]
        sql = ("SELECT r.id, json_extract(r.profile, ?) AS org, r.status, r.excluded_reason, r.updated_at,"
               f" (SELECT count(*) FROM answers a WHERE a.respondent_id = r.id AND {staff_text()} != '') AS n"
               " FROM respondents r WHERE r.consultation_id = ? AND r.id > ?")
        if not include_excluded:
            sql += " AND r.excluded_reason IS NULL"
        sql += self._respondent_where(text, org_field, params)
        rows = self.query(sql + " ORDER BY r.id LIMIT ?", (*params, limit))
        return [RespondentRow(id=r["id"], organisation=r["org"], status=r["status"],
                              excluded_reason=r["excluded_reason"], answers=r["n"], updated_at=r["updated_at"])
                for r in rows]

    def count_respondents(self, consultation_id: str, *, text: str = "", org_field: str | None = None) -> int:
        """Respondents (excluded ones too), or those ``text`` finds as in :meth:`respondent_page`."""
        params: list = [consultation_id]
        where = self._respondent_where(text, org_field, params)
        return self.scalar(f"SELECT count(*) FROM respondents r WHERE r.consultation_id = ?{where}",
                           tuple(params))

    def exclusion(self, respondent_id: str) -> dict | None:
        """``{reason, at, by}`` when the response is excluded, else None."""
        row = self.conn.execute("SELECT excluded_reason, excluded_at, excluded_by FROM respondents"
                                " WHERE id = ?", (respondent_id,)).fetchone()
        if row is None or row[0] is None:
            return None
        return {"reason": row[0], "at": row[1], "by": row[2]}

    # ------------------------------------------------------------------ bulk (benchmarks, fixtures)
    def bulk_insert(self, consultation_id: str, respondents: Iterable[dict],
                    answers: Iterable[tuple[str, str, str]]) -> None:
        """Fast path for synthetic data: new respondents and ``(respondent, question, text)``
        answers in one transaction, with no revision history. Not for real responses."""
        now = self.now()
        with self.write():
            self.conn.executemany(
                "INSERT INTO respondents (id, consultation_id, source, status, profile, consent,"
                " created_at, updated_at, submitted_at) VALUES (?, ?, 'synthetic', ?, ?, ?, ?, ?, ?)",
                [(r["respondent"], consultation_id, r.get("status", "submitted"),
                  json.dumps(r.get("profile") or {}, ensure_ascii=False), json.dumps(r.get("consent") or {}),
                  r.get("created_at") or now, r.get("updated_at") or r.get("created_at") or now,
                  r.get("submitted_at")) for r in respondents])
            self.conn.executemany(
                "INSERT INTO answers (respondent_id, question_id, text, updated_at) VALUES (?, ?, ?, ?)",
                [(rid, qid, text, now) for rid, qid, text in answers])

"""Where a search's words are in each answer found: FTS5's highlights, and exact phrases.

Part of :class:`consult.store.search.SearchMixin`. Each row is highlighted by the index it was
found in (``answers_fts`` for current text, ``submitted_fts`` for the submitted version of an
amended response: see :mod:`consult.store.staff_text`).
"""

from __future__ import annotations

from consult.store.search_query import HL_CLOSE, HL_OPEN, exact_spans, merge_spans, split_highlight


class SearchHitsMixin:
    """Spans of the matches in found rows (the Store provides ``query``)."""

    def _mark_spans(self, parsed, rows: list, index_of: dict[int, str | None]) -> None:
        """Set each row's ``spans``: FTS5's highlights of the stemmed words and prefixes, and
        the exact phrases found in Python (FTS5 would also mark their stem variants)."""
        words = parsed.fts(phrases=False)
        marked: dict[int, str] = {}
        if words:
            for fts in dict.fromkeys(index_of.get(r.answer_id) or "answers_fts" for r in rows):
                marked.update(self._highlights(words, [r for r in rows
                                                        if (index_of.get(r.answer_id) or "answers_fts") == fts], fts))
        for row in rows:
            spans = exact_spans(row.text, parsed.exact) if parsed.exact else []
            if row.answer_id in marked and HL_OPEN not in row.text and HL_CLOSE not in row.text:
                plain, found = split_highlight(marked[row.answer_id])
                if plain == row.text:
                    spans += found
            row.spans = merge_spans(spans)

    def _highlights(self, query: str, rows: list, fts: str = "answers_fts") -> dict[int, str]:
        """FTS5 ``highlight()`` of the given rows in index ``fts``, by answer id.

        ``rowid IN (...)`` makes FTS5 expand a prefix query once per id (measured: 190 ms for 200
        rows of ``train*`` at 100k answers), while a rowid range is one scan. Rows come in runs
        of ascending ids, one run per question: each run is read as a range when the range is
        dense enough, else by its ids.
        """
        hl = f"highlight({fts}, 0, '{HL_OPEN}', '{HL_CLOSE}')"
        runs: dict[str, list[int]] = {}
        for row in rows:
            runs.setdefault(row.question_id, []).append(row.answer_id)
        out: dict[int, str] = {}
        for ids in runs.values():
            lo, hi = min(ids), max(ids)
            if hi - lo <= 50 * len(ids):
                found = self.query(f"SELECT rowid, {hl} FROM {fts} WHERE {fts} MATCH ?"
                                   " AND rowid BETWEEN ? AND ?", (query, lo, hi))
                wanted = set(ids)
                out.update({r[0]: r[1] for r in found if r[0] in wanted})
            else:
                out.update({r[0]: r[1] for r in self.query(
                    f"SELECT rowid, {hl} FROM {fts} WHERE {fts} MATCH ?"
                    f" AND rowid IN ({','.join(str(i) for i in ids)})", (query,))})
        return out

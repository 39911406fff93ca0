"""Staff curation of responses and themes: placements, key quotes, reading, flags, exclusions."""

from __future__ import annotations


class CurationMixin:
    """Methods of :class:`consult.store.Store` for staff curation."""

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

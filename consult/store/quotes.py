"""Staff-chosen excerpts of key quotes: which sentences of an answer the report quotes.

A key quote (``key_quotes``) may carry a sentence range, ``first_sentence`` to
``last_sentence`` (1-based, inclusive, as :func:`consult.report.quotes.sentences` numbers an
answer); without one the report quotes the answer from its start.
"""

from __future__ import annotations

import sqlite_utils

from consult.store.db import migrations, run_script


@migrations()
def m006_report_quote_excerpt(db: sqlite_utils.Database) -> None:
    run_script(db, """
        ALTER TABLE key_quotes ADD COLUMN first_sentence INTEGER;
        ALTER TABLE key_quotes ADD COLUMN last_sentence INTEGER;
        """)


class QuotesMixin:
    """Methods of :class:`consult.store.Store` for key-quote excerpts."""

    def set_quote_excerpt(self, respondent_id: str, question_id: str, first: int | None,
                          last: int | None = None, *, by: str) -> None:
        """Make the answer a key quote quoting sentences ``first``..``last`` (``None``: all of it)."""
        if first is not None and (first < 1 or (last is not None and last < first)):
            raise ValueError("a sentence range runs from 1 upwards, first to last")
        last = last if last is not None or first is None else first
        with self.write():
            self.conn.execute(
                "INSERT INTO key_quotes (respondent_id, question_id, marked_by, marked_at, first_sentence,"
                " last_sentence) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (respondent_id, question_id) DO UPDATE"
                " SET first_sentence = excluded.first_sentence, last_sentence = excluded.last_sentence",
                (respondent_id, question_id, by, self.now(), first, last))
            self._log(by, "quote_excerpt", respondent_id=respondent_id, question_id=question_id,
                      first=first, last=last)

    def quote_excerpts(self) -> dict[tuple[str, str], tuple[int, int]]:
        """``{(respondent id, question id): (first, last)}`` for key quotes with a chosen excerpt."""
        rows = self.query("SELECT respondent_id, question_id, first_sentence, last_sentence FROM key_quotes"
                          " WHERE first_sentence IS NOT NULL")
        return {(r[0], r[1]): (r[2], r[3] or r[2]) for r in rows}

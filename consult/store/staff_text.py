"""Which text of an answer staff see: what the member submitted.

A response edited after it was submitted (``respondents.amended``) keeps its answers as sent in
``submitted_answers`` until the member submits again; analysis, counts, the report and the
browser read those, and the member's draft stays the member's. A draft response, or a submitted
one not edited since, gives its current text. :func:`staff_text` is that rule as SQL, for every
query of the store that reads an answer for staff.

Search needs the submitted words indexed too: ``submitted_fts`` indexes the amended responses'
submitted answers (few rows, kept in step by triggers on ``submitted_answers``), by the id of the
answer they belong to, beside ``answers_fts`` (everyone's current text, which Datasette and
``sqlite-utils search`` find on ``answers``).
"""

from __future__ import annotations

import sqlite_utils

from consult.store.db import migrations, run_script

# The full-text indexes staff search, with the responses each one answers for.
SEARCH_INDEXES = (("answers_fts", "r.amended = 0"), ("submitted_fts", "r.amended = 1"))


def staff_text(answer: str = "a", respondent: str = "r") -> str:
    """SQL for the text staff see of the ``answers`` row ``answer``, whose ``respondents`` row is
    ``respondent``: the submitted text while the response is amended ('' for a question answered
    only since), else the current text."""
    return (f"(CASE WHEN {respondent}.amended THEN coalesce((SELECT s.text FROM submitted_answers s"
            f" WHERE s.respondent_id = {answer}.respondent_id AND s.question_id = {answer}.question_id), '')"
            f" ELSE {answer}.text END)")


@migrations()
def m010_submitted_search(db: sqlite_utils.Database) -> None:
    """Search over the submitted version of amended responses (see the module doc). Its rows are
    found through the answer they belong to; erasure rebuilds it with the other indexes."""
    run_script(db, """
        CREATE VIEW submitted_texts AS SELECT a.id AS id, s.text AS text FROM submitted_answers s
            JOIN answers a ON a.respondent_id = s.respondent_id AND a.question_id = s.question_id;
        CREATE VIRTUAL TABLE submitted_fts USING FTS5 (
            text, tokenize='porter unicode61 remove_diacritics 2', prefix='2 3 4',
            content="submitted_texts", content_rowid='id'
        );
        INSERT INTO submitted_fts (submitted_fts) VALUES ('rebuild');
        CREATE TRIGGER submitted_ai AFTER INSERT ON submitted_answers BEGIN
            INSERT INTO submitted_fts (rowid, text) SELECT a.id, new.text FROM answers a
                WHERE a.respondent_id = new.respondent_id AND a.question_id = new.question_id;
        END;
        CREATE TRIGGER submitted_ad AFTER DELETE ON submitted_answers BEGIN
            INSERT INTO submitted_fts (submitted_fts, rowid, text) SELECT 'delete', a.id, old.text FROM answers a
                WHERE a.respondent_id = old.respondent_id AND a.question_id = old.question_id;
        END;
        CREATE TRIGGER submitted_au AFTER UPDATE ON submitted_answers BEGIN
            INSERT INTO submitted_fts (submitted_fts, rowid, text) SELECT 'delete', a.id, old.text FROM answers a
                WHERE a.respondent_id = old.respondent_id AND a.question_id = old.question_id;
            INSERT INTO submitted_fts (rowid, text) SELECT a.id, new.text FROM answers a
                WHERE a.respondent_id = new.respondent_id AND a.question_id = new.question_id;
        END;
        """)

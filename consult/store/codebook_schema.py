"""The codebook's tables, and the one-time move of existing databases onto them.

A codebook holds, per consultation and question, the themes staff stand behind. Runs of the
analysis find candidates (a finding run) or assign answers to the codebook (an assigning run);
staff confirm and edit. Tables:

- ``codebook_themes``: one row per theme, with a stable id, a status (candidate/confirmed), an
  optional parent (two levels), who made and last changed it, and a ``deleted`` flag (rows are
  never removed, so history and undo can always name them).
- ``codebook_versions``: every state each theme has been in (label, description, parent,
  status, deleted), with the action, who and when.
- ``codings``: answer to theme, primary or not, with a strength; ``source`` is 'machine' (a run,
  ``run_id``, with the finder's representativeness ``rank``) or 'staff' (``by``, ``at``). Staff codings of an answer replace the machine's.
- ``coded_answers``: what the last run did with each answer (theme, other or non-answer) and a
  hash of the text it saw, so a later run re-assigns only new and edited answers.
- ``codebook_other``: answers staff put in Other; no run codes them.
- ``codebook_actions``: each staff action with the before-image of the rows it changed, so
  that undo restores them exactly. ``curation_log`` stays the audit trail and is never read for
  meaning (except once, by the migration below, to carry old renames over).
"""

from __future__ import annotations

import hashlib
import json

import sqlite_utils

from consult.store.db import migrations, run_script

SCHEMA = """
    CREATE TABLE codebook_themes (
        id INTEGER PRIMARY KEY,
        consultation_id TEXT NOT NULL REFERENCES consultations(id),
        question_id TEXT NOT NULL,
        label TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        terms TEXT NOT NULL DEFAULT '[]',
        parent_id INTEGER REFERENCES codebook_themes(id),
        status TEXT NOT NULL DEFAULT 'candidate' CHECK (status IN ('candidate', 'confirmed')),
        origin TEXT NOT NULL DEFAULT 'analysis'
            CHECK (origin IN ('analysis', 'assign', 'staff', 'split', 'migrated')),
        is_new INTEGER NOT NULL DEFAULT 0,
        position INTEGER NOT NULL DEFAULT 0,
        proposed_in_run INTEGER,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_by TEXT,
        updated_at TEXT,
        version INTEGER NOT NULL DEFAULT 1,
        deleted INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX codebook_themes_question ON codebook_themes(consultation_id, question_id, deleted);
    CREATE TABLE codebook_versions (
        theme_id INTEGER NOT NULL REFERENCES codebook_themes(id),
        version INTEGER NOT NULL,
        label TEXT NOT NULL,
        description TEXT NOT NULL,
        parent_id INTEGER,
        status TEXT NOT NULL,
        deleted INTEGER NOT NULL,
        action TEXT NOT NULL,
        by TEXT NOT NULL,
        at TEXT NOT NULL,
        run_id INTEGER,
        PRIMARY KEY (theme_id, version)
    );
    CREATE TABLE codings (
        consultation_id TEXT NOT NULL,
        respondent_id TEXT NOT NULL REFERENCES respondents(id) ON DELETE CASCADE,
        question_id TEXT NOT NULL,
        theme_id INTEGER NOT NULL REFERENCES codebook_themes(id),
        source TEXT NOT NULL CHECK (source IN ('machine', 'staff')),
        is_primary INTEGER NOT NULL DEFAULT 1,
        strength REAL,
        rank INTEGER,
        run_id INTEGER,
        by TEXT,
        at TEXT NOT NULL,
        PRIMARY KEY (respondent_id, question_id, source, theme_id)
    );
    CREATE INDEX codings_theme ON codings(theme_id);
    CREATE INDEX codings_question ON codings(consultation_id, question_id);
    CREATE TABLE coded_answers (
        respondent_id TEXT NOT NULL REFERENCES respondents(id) ON DELETE CASCADE,
        question_id TEXT NOT NULL,
        consultation_id TEXT NOT NULL,
        run_id INTEGER NOT NULL,
        text_hash TEXT NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('theme', 'other', 'non_answer')),
        PRIMARY KEY (respondent_id, question_id)
    );
    CREATE INDEX coded_answers_question ON coded_answers(consultation_id, question_id);
    CREATE TABLE codebook_other (
        consultation_id TEXT NOT NULL,
        respondent_id TEXT NOT NULL REFERENCES respondents(id) ON DELETE CASCADE,
        question_id TEXT NOT NULL,
        by TEXT NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (respondent_id, question_id)
    );
    CREATE TABLE codebook_actions (
        id INTEGER PRIMARY KEY,
        consultation_id TEXT NOT NULL,
        question_id TEXT NOT NULL,
        action TEXT NOT NULL,
        summary TEXT NOT NULL,
        by TEXT NOT NULL,
        at TEXT NOT NULL,
        before TEXT NOT NULL,
        undone_by TEXT,
        undone_at TEXT
    );
    CREATE INDEX codebook_actions_consultation ON codebook_actions(consultation_id, undone_at);
    -- Each run's rows say which codebook theme they show.
    ALTER TABLE themes ADD COLUMN codebook_id INTEGER;
"""


def text_hash(text: str) -> str:
    """What a run remembers of the text it coded: enough to see that the answer changed."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


@migrations()
def m005_codebook_tables(db: sqlite_utils.Database) -> None:
    run_script(db, SCHEMA)
    _carry_over(db.conn)


def _carry_over(conn) -> None:
    """Existing databases: the latest run's themes become the codebook, once.

    Its themes become candidates with their members as machine codings. Renames recorded in
    ``curation_log`` are carried over once, here: a theme renamed on an earlier run gives its
    new name to the latest run's theme holding most of its answers (the old re-runs lost it),
    and a theme of the latest run already bearing a staff name joins it. Themes staff renamed or
    made, and themes staff placed answers in, become confirmed; placements become staff codings
    (those naming "Other" become Other placements); a placement naming a label no theme carries
    gets a confirmed theme of that name. Nothing staff did is lost.
    """
    # per question, the latest run that analysed it
    runs = conn.execute("SELECT r.consultation_id, t.question_id, max(r.id) FROM analysis_runs r JOIN themes t"
                        " ON t.run_id = r.id GROUP BY r.consultation_id, t.question_id").fetchall()
    renames = conn.execute("SELECT json_extract(detail, '$.theme_id'), json_extract(detail, '$.new')"
                           " FROM curation_log WHERE action = 'rename_theme' ORDER BY id").fetchall()
    by_label: dict[tuple[str, str, str], int] = {}
    for consultation_id, question_id, run_id in runs:
        at = conn.execute("SELECT created_at FROM analysis_runs WHERE id = ?", (run_id,)).fetchone()[0]
        rows = conn.execute("SELECT * FROM themes WHERE run_id = ? AND question_id = ? ORDER BY size DESC, position",
                            (run_id, question_id)).fetchall()
        named = _staff_names(conn, rows, renames)
        for row in rows:
            qid = row["question_id"]
            members = conn.execute("SELECT respondent_id, is_primary, score, rank FROM theme_members WHERE theme_id = ?",
                                   (row["id"],)).fetchall()
            for m in members:
                text = conn.execute("SELECT text FROM answers WHERE respondent_id = ? AND question_id = ?",
                                    (m["respondent_id"], qid)).fetchone()
                if text is not None and (row["kind"] != "theme" or m["is_primary"]):
                    conn.execute("INSERT OR REPLACE INTO coded_answers VALUES (?, ?, ?, ?, ?, ?)",
                                 (m["respondent_id"], qid, consultation_id, run_id, text_hash(text[0]), row["kind"]))
            if row["kind"] != "theme":
                continue
            label = named.get(row["id"], row["label"])
            staff = row["created_by"] != "analysis" or row["id"] in named
            theme_id = by_label.get((consultation_id, qid, label.casefold()))
            if theme_id is None:
                theme_id = _new_theme(conn, consultation_id, qid, label, row["description"], row["terms"],
                                      "confirmed" if staff else "candidate", row["position"], run_id, at)
                by_label[(consultation_id, qid, label.casefold())] = theme_id
            elif staff:
                conn.execute("UPDATE codebook_themes SET status = 'confirmed' WHERE id = ?", (theme_id,))
            conn.execute("UPDATE themes SET codebook_id = ? WHERE id = ?", (theme_id, row["id"]))
            conn.executemany(
                "INSERT OR IGNORE INTO codings (consultation_id, respondent_id, question_id, theme_id, source,"
                " is_primary, strength, rank, run_id, at) VALUES (?, ?, ?, ?, 'machine', ?, ?, ?, ?, ?)",
                [(consultation_id, m["respondent_id"], qid, theme_id, m["is_primary"], m["score"], m["rank"], run_id,
                  at) for m in members])
    for p in conn.execute("SELECT p.*, r.consultation_id FROM placements p JOIN respondents r"
                          " ON r.id = p.respondent_id").fetchall():
        consultation_id = p["consultation_id"]
        qid, label = p["question_id"], p["theme_label"]
        if label.casefold() == "other":
            conn.execute("INSERT OR REPLACE INTO codebook_other VALUES (?, ?, ?, ?, ?)",
                         (consultation_id, p["respondent_id"], qid, p["placed_by"], p["placed_at"]))
            continue
        theme_id = by_label.get((consultation_id, qid, label.casefold()))
        if theme_id is None:
            theme_id = _new_theme(conn, consultation_id, qid, label, "", "[]", "confirmed", 999, None,
                                  p["placed_at"])
            by_label[(consultation_id, qid, label.casefold())] = theme_id
        conn.execute("UPDATE codebook_themes SET status = 'confirmed' WHERE id = ?", (theme_id,))
        conn.execute(
            "INSERT OR REPLACE INTO codings (consultation_id, respondent_id, question_id, theme_id, source,"
            " is_primary, strength, run_id, by, at) VALUES (?, ?, ?, ?, 'staff', 1, NULL, NULL, ?, ?)",
            (consultation_id, p["respondent_id"], qid, theme_id, p["placed_by"], p["placed_at"]))
    conn.execute("INSERT INTO codebook_versions SELECT id, 1, label, description, parent_id, status, 0,"
                 " 'migrated', created_by, created_at, proposed_in_run FROM codebook_themes")


def _staff_names(conn, rows, renames) -> dict[int, str]:
    """``{row id of the latest run: the name staff gave it}``, following renames in log order.

    A rename made on the latest run is in its row already. One made on an earlier run goes to
    the latest run's theme (same question) holding more than half of the renamed theme's answers.
    """
    named: dict[int, str] = {}
    latest = {row["id"]: row for row in rows if row["kind"] == "theme"}
    for theme_id, new in renames:
        if theme_id is None or not new:
            continue
        if theme_id in latest:
            named[theme_id] = new
            continue
        old = conn.execute("SELECT question_id FROM themes WHERE id = ?", (theme_id,)).fetchone()
        if old is None:
            continue
        mine = {r[0] for r in conn.execute("SELECT respondent_id FROM theme_members WHERE theme_id = ? AND"
                                           " is_primary = 1", (theme_id,))}
        best, overlap = None, 0
        for row_id, row in latest.items():
            if row["question_id"] != old[0]:
                continue
            theirs = {r[0] for r in conn.execute("SELECT respondent_id FROM theme_members WHERE theme_id = ? AND"
                                                 " is_primary = 1", (row_id,))}
            shared = len(mine & theirs)
            if shared * 2 > len(mine) and shared > overlap:
                best, overlap = row_id, shared
        if best is not None:
            named[best] = new
    return named


def _new_theme(conn, consultation_id, qid, label, description, terms, status, position, run_id, at) -> int:
    cursor = conn.execute(
        "INSERT INTO codebook_themes (consultation_id, question_id, label, description, terms, status, origin,"
        " position, proposed_in_run, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'analysis', ?)",
        (consultation_id, qid, label, description or "", terms or json.dumps([]), status, "migrated", position,
         run_id, at))
    return cursor.lastrowid

"""A database made before the codebook moves onto it once, and nothing staff did is lost."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

from consult.codebook import question_coding
from consult.pipeline import run_analysis
from consult.store import Store

DATA = Path(__file__).parent / "data" / "pre_codebook.db.gz"
CID = "localising-justice"
Q = "delivery.payment-by-results"
OTHER_Q = "delivery.different-routes"
RENAMED = "Providers cherry-pick easy cases"


@pytest.fixture
def old_db(tmp_path) -> Path:
    path = tmp_path / "old.db"
    with gzip.open(DATA) as src, path.open("wb") as out:
        shutil.copyfileobj(src, out)
    return path


def test_the_old_databases_curation_becomes_the_codebook(old_db, bank):
    store = Store(old_db)
    placed = {tuple(r) for r in store.query("SELECT respondent_id, theme_label FROM placements")}
    moved_in = next(rid for rid, label in placed if label == RENAMED)
    moved_out = next(rid for rid, label in placed if label == "Other")
    coding = question_coding(store, CID, Q)
    labels = {t.label: t for t in coding.themes}
    # the rename made on the first run reaches the theme with its answers; no duplicate
    assert set(labels) == {"Cash flow", "Distance travelled", RENAMED, "Intermediate outcomes"}
    renamed = labels[RENAMED]
    assert renamed.status == "confirmed" and renamed.count == 8 and moved_in in renamed.respondents
    assert {t.status for t in coding.themes if t.label != RENAMED} == {"candidate"}
    assert moved_out in coding.other
    # a question analysed only by the earlier run has its codebook too
    assert len(question_coding(store, CID, OTHER_Q).themes) == 4
    # the report's run tables carry the codebook ids
    run = store.latest_run(CID)
    assert all(t.codebook_id for t in store.themes(run.id, Q) if t.kind == "theme")
    store.close()
    # once: opening again changes nothing
    again = Store(old_db)
    assert question_coding(again, CID, Q) == coding


def test_after_the_move_runs_keep_the_staff_work(old_db, bank):
    store = Store(old_db)
    store.sync_bank(bank)
    before = question_coding(store, CID, Q)
    run_analysis(store, bank, question_ids=[Q])
    after = question_coding(store, CID, Q)
    renamed = next(t for t in after.themes if t.label == RENAMED)
    assert set(next(t for t in before.themes if t.label == RENAMED).respondents) <= set(renamed.respondents)
    moved_out = next(r[0] for r in store.query("SELECT respondent_id FROM placements WHERE theme_label = 'Other'"))
    assert moved_out in after.other  # the answer staff put in Other stays there
    assert {(t.id, t.label, t.status) for t in after.themes} == {(t.id, t.label, t.status) for t in before.themes}

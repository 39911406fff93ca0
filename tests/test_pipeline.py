"""A re-run of the analysis keeps what staff did to the last one."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from consult.importer import read_records
from consult.pipeline import OTHER_LABEL, run_analysis

QUESTION = "delivery.payment-by-results"


@pytest.fixture
def demo(store, bank):
    with resources.as_file(resources.files("consult") / "data" / "demo_responses.json") as path:
        store.load_responses(bank.id, read_records(path, bank), source="demo")
    return store


def themes_of(store, run_id):
    return {t.label: t for t in store.themes(run_id, QUESTION)}


def members(store, theme):
    return {m.respondent_id for m in store.theme_members(theme.id, primary_only=True)}


def test_a_renamed_theme_keeps_its_name_in_the_next_run(demo, bank):
    first = run_analysis(demo, bank, question_ids=[QUESTION])
    theme = next(t for t in demo.themes(first, QUESTION) if t.kind == "theme")
    demo.rename_theme(theme.id, "Cash flow and up-front risk", by="staff")
    second = run_analysis(demo, bank, question_ids=[QUESTION])
    renamed = themes_of(demo, second).get("Cash flow and up-front risk")
    assert renamed is not None and renamed.kind == "theme"
    assert members(demo, renamed) == members(demo, demo.theme(theme.id))


def test_an_answer_moved_to_other_stays_there_and_other_is_never_a_theme(demo, bank):
    first = run_analysis(demo, bank, question_ids=[QUESTION])
    theme = next(t for t in demo.themes(first, QUESTION) if t.kind == "theme")
    moved = sorted(members(demo, theme))[0]
    demo.move_answer(first, moved, QUESTION, None, by="staff")
    second = run_analysis(demo, bank, question_ids=[QUESTION])
    groups = demo.themes(second, QUESTION)
    assert not [t for t in groups if t.kind == "theme" and t.label.casefold() == OTHER_LABEL.casefold()]
    other = next(t for t in groups if t.kind == "other")
    assert moved in members(demo, other)


def test_contact_details_never_reach_labels_or_terms(store, bank):
    answers = {f"r{i}": f"Please ring Dawn on 07700 900{i:03d} or write to dawn{i}@example.org about "
                        f"funding for mentoring in Bristol BS1 4DJ" for i in range(12)}
    answers.update({f"s{i}": "Payment by results would push small charities out of the market" for i in range(12)})
    store.load_responses(bank.id, [{"respondent": rid, "answers": {QUESTION: text}}
                                   for rid, text in answers.items()])
    run = run_analysis(store, bank, question_ids=[QUESTION])
    shown = json.dumps([(t.label, t.terms, t.description) for t in store.themes(run)]).lower()
    for fragment in ("07700", "example", "dawn0", "bs1", "4dj", "@"):
        assert fragment not in shown

"""Assigning answers to a confirmed codebook, and counting multi-theme answers over respondents."""

from __future__ import annotations

from importlib import resources

import pytest

from consult.assign import NEW_THEME_MIN_ANSWERS, CodebookSeed, assign
from consult.codebook import build_coding, question_coding, share
from consult.importer import read_records
from consult.pipeline import run_analysis
from consult.store.codebook import CodebookTheme, Coding, CodingRows

Q = "delivery.payment-by-results"
CID = "localising-justice"

CASH = ["The cash flow risk is too much for a small charity without reserves {}",
        "Payment in arrears means we cannot carry the cash flow risk {}",
        "Small providers have no reserves to wait for payment, the cash flow would sink us {}"]
CHERRY = ["Providers will cherry pick the easiest clients and park the hardest cases {}",
          "It rewards cherry picking the people closest to success, the hardest are parked {}",
          "Cherry picking and parking of the hardest to help clients is the danger {}"]
NEW = ["Volunteer drivers take our clients to appointments and the mileage costs {}",
       "Transport to appointments by volunteer drivers is where the money goes {}",
       "Our volunteer drivers cover rural transport to probation appointments {}",
       "Mileage for volunteer drivers taking clients to appointments is our biggest cost {}"]
OFF = ["The village hall roof leaks every winter", "Zebra crossings outside the school need repainting"]


def texts_for(templates: list[str], n: int, start: int = 0) -> list[str]:
    return [templates[i % len(templates)].format(f"(answer {start + i})") for i in range(n)]


@pytest.fixture
def book():
    texts = texts_for(CASH, 12) + texts_for(CHERRY, 12)
    seeds = [CodebookSeed(1, "Cash flow", "reserves and payment in arrears", list(range(12))),
             CodebookSeed(2, "Cherry-picking", "easy clients chosen, hardest parked", list(range(12, 24)))]
    return texts, seeds


def test_clear_answers_land_in_their_theme_and_off_topic_ones_in_other(book):
    texts, seeds = book
    new = ["We have no reserves, so the cash flow of payment in arrears would sink us",
           "They would cherry pick the easiest and park the hardest clients", *OFF]
    start = len(texts)
    result = assign(texts + new, seeds, range(start, start + len(new)))
    assert result.codings[start][0][:2] == (1, True)
    assert result.codings[start + 1][0][:2] == (2, True)
    assert sorted(result.other) == [start + 2, start + 3]
    assert result.proposals == []


def test_a_block_of_new_answers_about_something_new_becomes_one_candidate(book):
    texts, seeds = book
    block = texts_for(NEW, NEW_THEME_MIN_ANSWERS + 2, start=100)
    start = len(texts)
    result = assign(texts + block + OFF, seeds, range(start, start + len(block) + len(OFF)))
    assert len(result.proposals) == 1
    proposal = result.proposals[0]
    assert sorted(proposal.members) == list(range(start, start + len(block)))
    assert "driver" in proposal.label.lower() or "volunteer" in proposal.label.lower()
    assert sorted(result.other) == [start + len(block), start + len(block) + 1]


def test_too_few_new_answers_stay_in_other(book):
    texts, seeds = book
    block = texts_for(NEW, NEW_THEME_MIN_ANSWERS - 1, start=100)
    result = assign(texts + block, seeds, range(len(texts), len(texts) + len(block)))
    assert result.proposals == [] and len(result.other) == len(block)


def theme(tid: int, label: str, parent: int | None = None) -> CodebookTheme:
    return CodebookTheme(id=tid, consultation_id=CID, question_id=Q, label=label, description="", terms=(),
                         parent_id=parent, status="confirmed", origin="analysis", is_new=False, position=tid,
                         proposed_in_run=None, created_by="analysis", created_at="", updated_by=None, updated_at=None,
                         version=1, deleted=False)


def test_multi_theme_answers_count_once_per_theme_and_shares_are_over_respondents():
    themes = [theme(1, "Cash flow"), theme(2, "Cherry-picking"), theme(3, "Money", None)]
    themes[0] = theme(1, "Cash flow", parent=3)
    themes[1] = theme(2, "Cherry-picking", parent=3)
    rows = CodingRows(population=["a", "b", "c", "d"], codings=[
        Coding("a", 1, "machine", True, 0.9), Coding("a", 2, "machine", False, 0.6),
        Coding("b", 1, "machine", True, 0.8),
        Coding("c", 2, "machine", True, 0.7), Coding("c", 1, "staff", True, None),  # staff beat the machine
    ], outcomes={"a": "theme", "b": "theme", "c": "theme", "d": "other"})
    coding = build_coding(Q, themes, rows)
    by = {t.label: t for t in coding.themes}
    assert by["Cash flow"].respondents == ("a", "b", "c") and by["Cash flow"].count == 3
    assert by["Cash flow"].primary == ("a", "b", "c")
    assert by["Cherry-picking"].respondents == ("a",)  # c's staff coding replaced the machine's
    assert by["Money"].count == 3  # the broad theme counts a once, though a has two of its sub-themes
    assert by["Cash flow"].share == share(3, 4) == 0.75
    assert coding.other == ("d",) and coding.population == 4
    assert [t.label for t in coding.themes] == ["Money", "Cash flow", "Cherry-picking"]
    assert share(0, 0) == 0.0


@pytest.fixture
def demo(store, bank):
    with resources.as_file(resources.files("consult") / "data" / "demo_responses.json") as path:
        store.load_responses(bank.id, read_records(path, bank), source="demo")
    return store


def test_runs_assign_to_the_confirmed_codebook_and_propose_one_new_theme(demo, bank):
    run_analysis(demo, bank, question_ids=[Q])
    first = question_coding(demo, CID, Q)
    demo.codebook_confirm([t.id for t in first.themes], by="staff")
    block = texts_for(NEW, NEW_THEME_MIN_ANSWERS + 2, start=100)
    clear = "The cash-flow risk will favour large organisations with deep pockets and reserves."
    demo.load_responses(bank.id, [{"respondent": f"new-{i}", "answers": {Q: text}}
                                  for i, text in enumerate([*block, clear, *OFF])])
    run_analysis(demo, bank, question_ids=[Q])
    after = question_coding(demo, CID, Q)
    old = {t.id: t for t in first.themes}
    kept = [t for t in after.themes if t.id in old]
    assert [(t.label, t.status) for t in kept] == [(old[t.id].label, "confirmed") for t in kept] and len(kept) == 4
    for t in kept:  # nobody already coded moves
        assert set(old[t.id].respondents) <= set(t.respondents)
    new = [t for t in after.themes if t.id not in old]
    assert len(new) == 1 and new[0].is_new and new[0].status == "candidate"
    assert set(new[0].respondents) == {f"new-{i}" for i in range(len(block))}
    cash = next(t for t in kept if t.label == "Cash flow")
    assert f"new-{len(block)}" in cash.respondents
    assert {f"new-{len(block) + 1}", f"new-{len(block) + 2}"} <= set(after.other)
    # a third run changes nothing: the proposal is now part of the codebook, not proposed again
    run_analysis(demo, bank, question_ids=[Q])
    assert question_coding(demo, CID, Q) == after



def test_an_edited_answer_is_assigned_again_unless_staff_placed_it(demo, bank):
    run_analysis(demo, bank, question_ids=[Q])
    coding = question_coding(demo, CID, Q)
    demo.codebook_confirm([t.id for t in coding.themes], by="staff")
    cash = next(t for t in coding.themes if t.label == "Cash flow")
    edited, placed = cash.primary[0], cash.primary[1]
    demo.codebook_code(CID, Q, placed, cash.id, by="staff")  # staff stand behind this one
    for rid in (edited, placed):  # both members amend their answer and submit it again
        demo.save_answer(rid, Q, OFF[0])
        demo.submit(rid)
    run_analysis(demo, bank, question_ids=[Q])
    after = question_coding(demo, CID, Q)
    assert edited in after.other  # the machine looked again at what the answer now says
    assert placed in after.theme(cash.id).primary  # staff's placement holds

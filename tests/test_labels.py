"""Theme labels and descriptions read as a person would: short, true of most answers, plain text."""

from __future__ import annotations

import re

import pytest

from consult.labels import (
    MAX_LABEL_WORDS,
    MIN_LABEL_WORDS,
    MIN_SUPPORT,
    is_phrase_description,
    label_groups,
)
from consult.phrases import words_of

CASH = [
    "Payment by results leaves us with a cash flow problem for months.",
    "Our reserves cannot carry the cash flow gap while we wait to be paid in arrears.",
    "Cash flow is the first thing that breaks: we are paid six months after the work.",
    "Without up-front funding the cash flow risk falls on small charities.",
    "We would need a loan to manage cash flow under payment in arrears.",
    "Cash flow again. Trustees will not sign a contract that empties our reserves.",
    "The cash flow problem means only large providers can bid.",
    "Paying in arrears strains cash flow for any organisation without reserves.",
]
VOLUNTEERS = [
    "Volunteer drivers take people to appointments in the rural villages.",
    "We rely on volunteer mentors who meet people at the prison gate.",
    "Recruiting volunteer mentors is hard in a market town with no bus after six.",
    "Our volunteer mentors are often people with lived experience themselves.",
    "Training volunteer mentors costs money that nobody funds.",
    "Expenses for volunteer mentors should be paid by the commissioner.",
    "A volunteer mentor scheme works best when it is run locally.",
    "We lost half our volunteer mentors when the grant ended.",
]
JOINT = [
    "Joint training, so that officers understand what voluntary organisations do.",
    "Joint training and shadowing for new officers.",
    "Joint awareness sessions on domestic violence, mental health and learning disabilities.",
    "Officers should spend a day shadowing our projects; joint training would follow.",
    "We offered sessions about mental health in custody to new constables.",
    "Joint training with the police would change attitudes on both sides.",
    "Shadowing and joint training, twice a year, in each district.",
    "Police culture is target-driven; joint training would help officers see our outcomes.",
]
TEXTS = CASH + VOLUNTEERS + JOINT
GROUPS = [list(range(0, 8)), list(range(8, 16)), list(range(16, 24))]


@pytest.fixture(scope="module")
def planted():
    return label_groups(TEXTS, GROUPS, seed=0)


def _said(word: str, texts: list[str]) -> bool:
    return any(word.lower() in (w.lower() for w in words_of(t)) for t in texts)


def test_labels_are_short_phrases_members_wrote_and_most_of_the_group_bears_out(planted):
    for got, group in zip(planted, GROUPS, strict=True):
        members = [TEXTS[i] for i in group]
        assert MIN_LABEL_WORDS <= len(got.label.split()) <= MAX_LABEL_WORDS, got.label
        for word in words_of(got.label):
            assert word.lower() == "and" or _said(word, members), (got.label, word)
        assert got.support > MIN_SUPPORT
        share = sum(all(_said(w, [t]) for w in got.label.lower().split() if w != "and")
                    for t in members) / len(members)
        assert share > MIN_SUPPORT, got.label
    assert "cash flow" in planted[0].label.lower()
    assert "volunteer mentor" in planted[1].label.lower()
    assert planted[0].label[0].isupper() and planted[0].label[1:] == planted[0].label[1:].lower()


def test_a_minority_mention_does_not_name_the_theme(planted):
    # 2 of 8 answers in the joint-training group mention mental health
    assert "mental health" not in planted[2].label.lower()
    assert "joint training" in planted[2].label.lower()


def test_without_a_majority_phrase_the_label_joins_two_terms_and_says_so():
    texts = [
        "Funding for the service was cut last year.",
        "Commissioning decisions are made without us.",
        "Funding comes too late in the year.",
        "The commissioning cycle is too short.",
        "Funding is the problem, and the rules.",
        "Nobody explains commissioning to small groups.",
        "Housing is what our clients lack most.",
        "Housing first would change everything.",
        "Housing benefit rules trap people.",
        "Temporary housing is far from family.",
        "Housing officers rarely call back.",
        "Without housing, nothing else works.",
    ]
    got = label_groups(texts, [list(range(6)), list(range(6, 12))])[0]
    assert got.basis == "terms"
    assert got.label in {"Funding and commissioning", "Commissioning and funding"}
    assert got.support == 1.0  # every answer mentions one of the two


def test_descriptions_are_one_plain_sentence_never_a_list_of_quoted_words(planted):
    for got in planted:
        d = got.description
        assert d == got.phrase_description
        assert d[0].isupper() and d.endswith(".") and d.count(". ") == 0, d
        assert not re.search(r"['\"‘“]\w+['\"’”]", d), d
        assert re.search(r"\b(mention|raise)\b", d), d
        assert len(d.split()) >= 6
        assert is_phrase_description(d)
    assert "cash flow" in planted[0].description
    assert not is_phrase_description(planted[0].example)


def test_the_example_is_a_representative_sentence_of_one_member(planted):
    for got, group in zip(planted, GROUPS, strict=True):
        assert got.example_index in group
        assert got.example in TEXTS[got.example_index]
        assert got.example.endswith((".", "…"))
    assert "cash flow" in planted[0].example.lower()


def test_same_seed_same_labels_even_when_groups_are_sampled():
    texts = TEXTS * 150  # 3,600 answers: large groups are read from a seeded sample
    groups = [[i for i in range(len(texts)) if i % 24 // 8 == g] for g in range(3)]
    first = label_groups(texts, groups, seed=3)
    assert first == label_groups(texts, groups, seed=3)
    assert "cash flow" in first[0].label.lower()


def test_no_two_groups_share_a_label():
    texts = CASH + [t.replace("payment in arrears", "late payment") for t in CASH]
    got = label_groups(texts, [list(range(8)), list(range(8, 16))])
    assert got[0].label.casefold() != got[1].label.casefold()


def test_hostile_text_comes_out_as_plain_text_without_controls_or_contacts():
    hostile = [
        "[b]Cash flow[/b] \x1b]0;owned\x07 is our worry: call 07700 900123 or jo@example.org.",
        "[@click=app.quit]Cash flow[/] problems \x1b[2J every quarter, write to LS1 4AP.",
        "Cash flow \x9b31m again; the [link=http://x]cash flow[/link] gap grows.",
        "Our cash flow is thin.\r\nReserves are gone.",
    ]
    others = ["Volunteer mentors need expenses.", "Volunteer mentors need training.",
              "Volunteer mentors leave when grants end.", "Volunteer mentors are hard to find."]
    got = label_groups(hostile + others, [[0, 1, 2, 3], [4, 5, 6, 7]])
    for g in got:
        for text in (g.label, g.description, g.example, *g.terms):
            assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", text), text
            assert "@" not in text and "07700" not in text and "LS1" not in text, text
    assert got[0].label == "Cash flow"
    assert "[" not in got[0].label


def test_nothing_to_read_gives_empty_labels_not_an_error():
    assert label_groups([], []) == []
    got = label_groups(["", None, "Housing matters most."], [[0, 1], [], [2]])
    assert [(g.label, g.support, g.basis) for g in got[:2]] == [("", 0.0, "none")] * 2
    assert "housing" in got[2].label.lower()

"""The theme-finding core on small fixtures whose structure is known."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys

import numpy as np
import pytest

from consult.analysis import (
    CONFIG,
    Embedder,
    analyse_texts,
    is_non_answer,
    link_themes,
    min_theme_size,
)

TOPICS = {
    "funding": [
        "Short-term grant funding makes it impossible for small charities to plan.",
        "Payment by results contracts leave small providers carrying all the financial risk.",
        "Annual funding cycles mean we spend months each year chasing the next grant.",
        "Late grant payments from the department have forced us to use our reserves.",
        "Competitive tendering favours large national providers over local charities.",
        "Core funding for local charities has been cut while demand keeps rising.",
        "We lost two projects last year when grant funding ended without warning.",
        "Commissioners should offer three-year grants so charities can keep skilled staff.",
        "The funding does not cover the full cost of delivering the contract.",
        "Small charities cannot bid for contracts because the funding rules are too complex.",
        "Grant funding should cover overheads, not only project costs.",
        "Payment by results puts money before the needs of the people we support.",
        "Funding cuts have closed three local services in our area this year.",
        "Longer grant funding would let us recruit and keep experienced staff.",
        "Charities need fair contracts and grant funding paid on time.",
    ],
    "housing": [
        "Temporary accommodation for people leaving prison is the biggest gap we see.",
        "Without housing on the day of release, people quickly return to crime.",
        "Our clients wait months for supported housing after release from prison.",
        "Councils treat prison leavers as a low priority for social housing.",
        "Hostel places near the prison are full, so people sleep rough on release.",
        "Finding a tenancy with a criminal record is almost impossible for our clients.",
        "Private landlords refuse tenants who have just left prison.",
        "Homelessness on release undoes the work done with people in custody.",
        "Housing advice should start months before the release date.",
        "Supported housing for women leaving prison is badly needed in our region.",
        "Too many people leave prison with a tent instead of a home.",
        "Probation cannot find accommodation for people released on a Friday afternoon.",
        "Stable housing is the foundation for finding work after prison.",
        "Councils need more accommodation for prison leavers.",
        "Young adults leaving custody end up in unsafe hostels or homeless.",
    ],
    "mental": [
        "Mental health support is patchy and waiting lists for therapy are very long.",
        "Many women we support need counselling for trauma but cannot get it.",
        "NHS mental health teams turn away people with a history of offending.",
        "Therapy for anxiety and depression should not stop after twelve sessions.",
        "Access to psychiatric care depends on where you live.",
        "Self-harm among young people needs a mental health response, not punishment.",
        "People with mental illness often need treatment, not a cell.",
        "Our clients need a named therapist who stays with them for as long as it takes.",
        "Drug and alcohol services should work with mental health services.",
        "Trauma-informed mental health care should be available to everyone who needs it.",
        "Counselling waiting lists in the community are over a year long.",
        "Mental health assessments at court are rushed and often missed.",
        "Staff need training in mental health and suicide prevention.",
        "Depression and anxiety are common among the families we support too.",
        "Community mental health services must accept referrals from charities.",
    ],
}


def corpus() -> tuple[list[str], list[str]]:
    texts, truth = [], []
    for name, answers in TOPICS.items():
        texts += answers
        truth += [name] * len(answers)
    return texts, truth


def purity(qa, truth: list[str]) -> float:
    right = 0
    for t in qa.themes:
        labels = [truth[i] for i in t.members]
        right += max(labels.count(x) for x in set(labels))
    return right / len(truth)


@pytest.mark.parametrize("themes", [3, "auto"])
def test_separable_themes_are_found(themes):
    texts, truth = corpus()
    qa = analyse_texts(texts, themes=themes)
    assert not qa.too_few
    assert len(qa.themes) == 3
    assert purity(qa, truth) >= 0.9
    assert [t.key for t in qa.themes] == [0, 1, 2]
    sizes = [len(t.members) for t in qa.themes]
    assert sizes == sorted(sizes, reverse=True)
    for t in qa.themes:
        assert 1 <= len(t.representatives) <= 5
        assert set(t.representatives) <= set(t.members)
        assert 0 <= t.cohesion <= 1
        assert t.terms and t.label


def test_labels_carry_distinguishing_words():
    texts, truth = corpus()
    qa = analyse_texts(texts, themes=3)
    cues = {
        "funding": {"funding", "grant", "money"},
        "housing": {"housing", "accommodation", "tenancy", "release"},
        "mental": {"mental", "health", "therapy", "therapist"},
    }
    for t in qa.themes:
        topic = max(set(truth), key=lambda x: sum(truth[i] == x for i in t.members))
        words = set(t.label.lower().replace(",", " ").split())
        assert words & cues[topic], (t.label, topic)
        assert any(set(term.lower().split()) & cues[topic] for term in t.terms)


def test_label_is_a_phrase_not_stems():
    texts = [f"Payment by results risk is the main worry for us, case {i}." for i in range(8)]
    texts += [f"Our volunteers need training in safeguarding, site {i}." for i in range(8)]
    qa = analyse_texts(texts, themes=2)
    labels = {t.label for t in qa.themes}
    assert any("payment by results" in lab.lower() for lab in labels), labels


def test_deterministic_per_seed():
    texts, _ = corpus()
    a = analyse_texts(texts, themes="auto", seed=3)
    b = analyse_texts(texts, themes="auto", seed=3)
    assert [(t.label, t.members, t.secondary, t.representatives) for t in a.themes] == [
        (t.label, t.members, t.secondary, t.representatives) for t in b.themes
    ]
    assert a.other == b.other and a.scores == b.scores


@pytest.mark.parametrize("n", [0, 1, 4])
def test_too_few(n):
    texts = ["We need longer grants for local charities."] * n + ["n/a", ""]
    qa = analyse_texts(texts)
    assert qa.too_few and qa.themes == []
    assert qa.non_answers == [n, n + 1]
    assert qa.other == list(range(n))  # listed for the caller, not themed
    assert "too few" in qa.k_criterion


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "-",
        "N/A",
        "n/a.",
        "No comment",
        "no comments at this time",
        "Don't know",
        "don’t know",
        "See above",
        "as above",
        "None",
        "Nothing to add.",
        "nil",
        "?",
        "...",
        "🙂",
    ],
)
def test_non_answers_recognised(text):
    assert is_non_answer(text)


@pytest.mark.parametrize(
    "text",
    [
        "No",
        "Yes, strongly",
        "Funding",
        "Nothing works without funding",
        "Не знаю что сказать о финансировании",
        "資金が不足しています",
    ],
)
def test_substantive_answers_are_not_non_answers(text):
    assert not is_non_answer(text)


def test_non_answers_never_form_a_theme():
    texts, _ = corpus()
    junk = ["n/a", "No comment", "don't know", "see above", "", "-", "none", "Nothing to add"] * 3
    qa = analyse_texts(texts + junk, themes="auto")
    junk_idx = set(range(len(texts), len(texts) + len(junk)))
    assert set(qa.non_answers) == junk_idx
    for t in qa.themes:
        assert not junk_idx & set(t.members) and not junk_idx & set(t.secondary)
    assert not junk_idx & set(qa.other)


def test_every_answer_lands_exactly_once():
    texts, _ = corpus()
    texts = texts + ["n/a", "Zebra crossings and giraffe parks"]
    qa = analyse_texts(texts, themes=3)
    seen = [i for t in qa.themes for i in t.members] + qa.other + qa.non_answers
    assert sorted(seen) == list(range(len(texts)))


def test_other_takes_outliers_and_tiny_clusters():
    texts, _ = corpus()
    odd = ["Zebra crossings by the giraffe enclosure", "Quantum chromodynamics lattice gauge"]
    qa = analyse_texts(texts + odd, themes=6)  # 6 asked for, only 3 real themes
    assert all(len(t.members) >= min_theme_size(len(texts)) for t in qa.themes)
    assert len(qa.themes) <= 6
    in_themes = {i for t in qa.themes for i in t.members}
    # answers sharing no word with any other answer cannot be placed in a theme
    assert {len(texts), len(texts) + 1} <= set(qa.other)
    assert not {len(texts), len(texts) + 1} & in_themes


def test_awkward_answers_do_not_break_it():
    texts, truth = corpus()
    long = " ".join(["housing"] + ["the prison estate needs investment in staff training"] * 700)
    awkward = [
        long,
        "😀😀😀 housing 🏠",
        "Финансирование недостаточно для малых организаций",
        "資金が不足しています",
        "x",
        "funding",
        "a" * 10_000,
        None,
        "\x1b[2J",
    ]
    dup = ["We need longer grants for local charities."] * 200
    qa = analyse_texts(texts + awkward + dup, themes="auto")
    n = len(texts) + len(awkward) + len(dup)
    seen = [i for t in qa.themes for i in t.members] + qa.other + qa.non_answers
    assert sorted(seen) == list(range(n))
    # 200 copies are one theme at most, not the whole analysis
    assert len(qa.themes) >= 3


def test_pinned_answers_stay_under_their_label():
    texts, _ = corpus()
    pinned = {0: "Money worries", 20: "Money worries", 40: "Staff placed this"}
    qa = analyse_texts(texts, themes=3, pinned=pinned)
    by_label = {t.label: t for t in qa.themes}
    assert {0, 20} <= set(by_label["Money worries"].members)
    assert 40 in by_label["Staff placed this"].members
    for t in qa.themes:
        if t.label not in ("Money worries", "Staff placed this"):
            assert not {0, 20, 40} & set(t.members)


def test_link_themes_across_questions():
    texts, _ = corpus()
    q1, q2 = texts[::2], texts[1::2]
    a1 = analyse_texts(q1, themes=3)
    a2 = analyse_texts(q2, themes=3)
    emb = Embedder().fit(texts)
    for arg in (
        {"q1": (a1, emb.transform(q1)), "q2": (a2, emb.transform(q2))},
        {"q1": a1, "q2": a2},
    ):
        links = link_themes(arg, threshold=0.7)
        assert len({(x["question_a"], x["theme_a"]) for x in links}) >= 2, links
        assert all(x["question_a"] != x["question_b"] for x in links)
        json.dumps(links)


def test_progress_is_reported():
    texts, _ = corpus()
    seen = []
    analyse_texts(texts, progress=lambda stage, frac: seen.append(frac))
    assert seen[0] == 0 and seen[-1] == 1 and seen == sorted(seen)


def test_larger_question_is_quick_and_sane():
    rng = np.random.default_rng(0)
    words = {
        "a": [
            "grant",
            "funding",
            "money",
            "budget",
            "contract",
            "commissioning",
            "tender",
            "cuts",
            "cost",
        ],
        "b": [
            "housing",
            "tenancy",
            "hostel",
            "accommodation",
            "landlord",
            "council",
            "homeless",
            "rent",
        ],
        "c": [
            "mental",
            "health",
            "therapy",
            "counselling",
            "anxiety",
            "trauma",
            "psychiatric",
            "nhs",
        ],
        "d": ["volunteers", "training", "recruitment", "mentoring", "peer", "support", "retention"],
    }
    common = [
        "we",
        "the",
        "people",
        "need",
        "more",
        "for",
        "our",
        "clients",
        "and",
        "it",
        "is",
        "a",
        "problem",
    ]
    texts, truth = [], []
    for i in range(2000):
        topic = "abcd"[i % 4]
        toks = list(rng.choice(words[topic], 5)) + list(rng.choice(common, 6))
        rng.shuffle(toks)
        texts.append(" ".join(toks))
        truth.append(topic)
    qa = analyse_texts(texts, themes="auto")
    assert 4 <= len(qa.themes) <= 12
    assert purity(qa, truth) > 0.9


def test_pure_module_imports():
    code = (
        "import sys, consult.analysis as a; bad = [m for m in sys.modules if m.split('.')[0] in "
        "('textual', 'sqlite3', 'sqlite_utils', '_sqlite3')] + [m for m in sys.modules if "
        "m.startswith('consult.') and m not in ('consult.text', 'consult.labels', 'consult.phrases') "
        "and not m.startswith('consult.analysis')]; "
        "print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("text", [
    "See my answer to the previous question.", "Not sure - don't know enough about this yet.",
    "Can't comment on this.", "We have no view on this.", "Not applicable to us",
    "Not our area - pass.", "n/a for us",
])
def test_short_non_answers_in_other_words(text):
    assert is_non_answer(text)


@pytest.mark.parametrize("text", [
    "Not sure that payment by results works for us",
    "We cannot comment on the police budget, but joint training matters",
    "See above, plus we want three-year funding",
])
def test_answers_that_start_like_non_answers_are_kept(text):
    assert not is_non_answer(text)


def _planted_words(rng: np.random.Generator, n: int, used: set[str]) -> list[str]:
    """Made-up words (consonant-vowel syllables), distinct across calls sharing ``used``."""
    out: list[str] = []
    while len(out) < n:
        word = "".join(
            rng.choice(list("bcdfghjklmnprstvz")) + rng.choice(list("aeiou")) for _ in range(3)
        )
        if word not in used:
            used.add(word)
            out.append(word)
    return out


def _hierarchical(n: int, n_broad: int, n_fine: int, seed: int = 0) -> tuple[list[str], list[str]]:
    """Planted two-level topics: each answer takes 3-5 words of its broad topic's vocabulary
    (which dominates), 2-3 of its sub-topic's and 2-5 common words."""
    rng = np.random.default_rng(seed)
    used: set[str] = set()
    common = _planted_words(rng, 150, used)
    broad = [_planted_words(rng, 40, used) for _ in range(n_broad)]
    fine = [[_planted_words(rng, 20, used) for _ in range(n_fine)] for _ in range(n_broad)]
    texts, truth = [], []
    for i in range(n):
        b, f = i % n_broad, (i // n_broad) % n_fine
        toks = (
            list(rng.choice(broad[b], rng.integers(3, 6)))
            + list(rng.choice(fine[b][f], rng.integers(2, 4)))
            + list(rng.choice(common, rng.integers(2, 6)))
        )
        rng.shuffle(toks)
        texts.append(" ".join(toks))
        truth.append(f"{b}.{f}")
    return texts, truth


# Made-up words mean nothing to the static word vectors distilled from a language model (their
# word pieces give arbitrary vectors), so planted-word tests measure the criterion on the
# answers' own vectors.
PLANTED = dataclasses.replace(CONFIG, static_vectors=False)


def test_auto_looks_inside_a_dominant_coarse_split():
    # 4 broad topics x 6 sub-topics: the 4-way split is the most stable partition, but each
    # broad topic is itself clearly divisible, so "auto" must not stop at 4.
    texts, truth = _hierarchical(1200, 4, 6)
    qa = analyse_texts(texts, themes="auto", seed=0, config=PLANTED)
    assert 16 <= qa.k_chosen <= 30
    assert len(qa.themes) >= 12
    assert "sub-themes" in qa.k_criterion
    assert purity(qa, truth) > 0.8
    # two levels: the 4 broad topics, each made of its own fine themes
    assert len(qa.broad) == 4
    assert sorted(c for b in qa.broad for c in b.children) == list(range(len(qa.themes)))
    for b in qa.broad:
        tops = [truth[i].split(".")[0] for c in b.children for i in qa.themes[c].members]
        assert max(tops.count(x) for x in set(tops)) / len(tops) > 0.9
        assert b.label and b.terms


def test_auto_keeps_three_clear_topics_without_sub_structure():
    # 3 planted topics among common words, no structure inside: sub-splits are no more
    # reproducible than those of a structureless cloud, so "auto" stays at 3, one level.
    texts, truth = _hierarchical(600, 3, 1, seed=1)
    qa = analyse_texts(texts, themes="auto", seed=0, config=PLANTED)
    assert qa.k_chosen == 3
    assert len(qa.themes) == 3
    assert qa.broad == []
    assert purity(qa, truth) > 0.95


def test_a_small_question_with_two_themes_gets_two():
    # 30 answers on two clear subjects: no rule of thumb may force 3 or 4 themes on them
    texts = TOPICS["funding"] + TOPICS["housing"]
    truth = ["funding"] * 15 + ["housing"] * 15
    qa = analyse_texts(texts, themes="auto", seed=0)
    assert len(qa.themes) == 2, qa.k_criterion
    assert purity(qa, truth) >= 0.9


def test_many_flat_themes_are_grouped_into_broad_ones():
    # 3 broad topics x 5 sub-topics asked for as 15 fine themes: the reader gets broad
    # themes over them, every fine theme in exactly one
    texts, _ = _hierarchical(1500, 3, 5, seed=2)
    qa = analyse_texts(texts, themes=15, seed=0, config=PLANTED)
    assert 2 <= len(qa.broad) <= 10
    children = sorted(c for b in qa.broad for c in b.children)
    assert children == list(range(len(qa.themes)))


def _fingerprint(qa) -> tuple:
    return (qa.k_chosen, qa.k_criterion, qa.other, [
        (t.label, t.members, t.secondary, t.representatives, sorted(t.scores.items()))
        for t in qa.themes], [(b.label, b.children) for b in qa.broad], qa.scores)


def test_same_themes_whatever_the_number_of_threads(monkeypatch):
    """Worker threads, OpenMP and BLAS threads: 1 or 2, the result is identical, bit for bit."""
    from threadpoolctl import threadpool_limits

    import consult.analysis.clustering as clustering

    texts, _ = _hierarchical(900, 3, 4, seed=4)
    texts += corpus()[0]
    runs = []
    for threads in (1, 2):
        monkeypatch.setattr(clustering, "workers", lambda config=None, _t=threads: _t)
        with threadpool_limits(threads):
            runs.append(_fingerprint(analyse_texts(texts, themes="auto", seed=0)))
    assert runs[0] == runs[1]


def test_configuration_is_one_frozen_record_stored_with_versions():
    from consult.analysis import versions

    with pytest.raises(dataclasses.FrozenInstanceError):
        CONFIG.min_theme = 2  # type: ignore[misc]
    record = json.loads(json.dumps({"config": CONFIG.as_dict(), "versions": versions()}))
    assert record["config"]["min_theme"] == 5
    assert {"numpy", "scipy", "scikit-learn"} <= set(record["versions"])


def test_an_answer_making_two_points_is_coded_to_both():
    texts, _ = corpus()
    both = len(texts)
    texts = texts + ["Short-term grant funding makes it impossible for small charities to plan. "
                     "Without housing on the day of release, people quickly return to crime."]
    qa = analyse_texts(texts, themes=3, seed=0)
    coded = [t for t in qa.themes if both in t.members or both in t.secondary]
    assert len(coded) == 2, [(t.label, both in t.members) for t in qa.themes]
    words = " ".join(t.label + " " + " ".join(t.terms) for t in coded).lower()
    assert any(w in words for w in ("grant", "funding")) and "housing" in words or "release" in words

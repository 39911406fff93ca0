"""Assigning answers to a codebook staff have confirmed (pure: lists in, lists out; no SQL).

The answers of one question are put in one vector space (``consult.analysis.Embedder``, fitted on
all of the question's answers). Each theme gets a centroid: the mean of its members' vectors
(the answers staff or an earlier run coded to it), pulled towards the vector of its label and
description; a theme with no members yet (one staff just added) is its label and description.
An answer's similarity to a theme is the cosine to that centroid:

- its primary theme is the most similar one, if at least ``PRIMARY_MIN_SIMILARITY``;
- any other theme at least ``SECONDARY_MIN_SIMILARITY`` is also given (at most
  ``MAX_SECONDARY``), each with its similarity as strength;
- an answer fitting no theme goes to Other. When at least ``NEW_THEME_MIN_ANSWERS`` answers are
  left over, the finder (``consult.analysis.analyse_texts``) is run on them in the same space,
  its groups that are alike are joined (``PROPOSAL_MERGE_SIMILARITY``), and each coherent group
  of that size becomes ONE proposed candidate theme (``is_new``).

Measured in the analysis v2 space (``benchmarks/assign_thresholds.py``, the demo's 18
questions, each member scored against its theme without itself): members sit at cosine 0.52
(10th percentile) to 0.76 (median) from their theme; their nearest other theme at 0.22 (90th
percentile); answers to a different question of the same consultation reach 0.36 (median) and
0.52 (90th). Of 300 StackOverflow titles per question (another world), most share no word with
the answers and score 0; the 90th percentile is 0.41. At 0.5, 92% of members are coded, 13% of
another question's answers and 4% of the strangers; of the strangers that share a word with
the answers, 15% (81% before the space weighed its shared-vocabulary parts by how much of a text
they read: one shared word placed a programming question in a theme).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from consult.analysis import Embedder, analyse_texts, is_non_answer, one_blas_thread

PRIMARY_MIN_SIMILARITY = 0.5  # about the 10th percentile of members, above 87-96% of off-topic answers
SECONDARY_MIN_SIMILARITY = 0.55  # a second theme adds to a count: it must be at least as clear as a first
MAX_SECONDARY = 2  # more than three themes on one answer says more about the codebook than the answer
LABEL_WEIGHT = 0.25  # share of a centroid taken from the theme's label and description text
NEW_THEME_MIN_ANSWERS = 10  # leftovers that agree, needed before a run proposes a new theme
PROPOSAL_MERGE_SIMILARITY = 0.5  # finder groups of leftovers this alike are one proposed theme
PROPOSAL_MAX_GROUPS = 12  # at most this many groups looked for among the leftovers of one run


@dataclass
class CodebookSeed:
    """One theme as the assignment sees it; ``members`` index into the question's texts."""

    id: int
    label: str
    description: str = ""
    members: list[int] = field(default_factory=list)


@dataclass
class NewTheme:
    label: str
    terms: list[str]
    members: list[int]
    strengths: dict[int, float]
    description: str = ""  # one sentence from the theme's phrases (consult.labels)


@dataclass
class Assignment:
    """What an assigning run decided for the answers it was asked about (indices into texts)."""

    codings: dict[int, list[tuple[int, bool, float]]]  # answer -> [(theme id, primary, strength)]
    other: list[int]
    non_answers: list[int]
    proposals: list[NewTheme]


def centroids(vectors: np.ndarray, label_vectors: np.ndarray, seeds: Sequence[CodebookSeed]) -> np.ndarray:
    """One unit vector per theme (rows in ``seeds`` order)."""
    out = np.zeros((len(seeds), vectors.shape[1]), dtype=np.float32)
    for k, seed in enumerate(seeds):
        text = label_vectors[k]
        if seed.members:
            mean = vectors[seed.members].mean(axis=0)
            norm = np.linalg.norm(mean)
            mean = mean / norm if norm > 0 else mean
            out[k] = (1 - LABEL_WEIGHT) * mean + LABEL_WEIGHT * text
        else:
            out[k] = text
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.where(norms > 0, norms, 1)


def assign(texts: Sequence[str], seeds: Sequence[CodebookSeed], todo: Sequence[int], *, seed: int = 0,
           embedder: Embedder | None = None, propose: bool = True) -> Assignment:
    """Code the answers ``todo`` (indices into ``texts``, the question's answers) to ``seeds``."""
    with one_blas_thread():  # the analysis' rule: SVDs of tall, thin matrices on one thread
        return _assign(texts, seeds, todo, seed=seed, embedder=embedder, propose=propose)


def _assign(texts, seeds, todo, *, seed, embedder, propose) -> Assignment:
    todo = list(todo)
    non_answers = [i for i in todo if is_non_answer(texts[i])]
    skip = set(non_answers)
    todo = [i for i in todo if i not in skip]
    if not todo or not seeds:
        return _with_proposals(texts, Assignment({}, todo, non_answers, []), seed, propose)
    wanted = sorted(set(todo) | {i for s in seeds for i in s.members})
    where = {i: row for row, i in enumerate(wanted)}
    if embedder is not None:
        space = embedder
        vectors = space.transform([texts[i] for i in wanted])
    else:  # fitted on every answer of the question, each read once
        space = Embedder(seed=seed)
        vectors = space.fit_transform(list(texts))[wanted]
    label_vectors = space.transform([f"{s.label}. {s.description}" for s in seeds])
    local = [CodebookSeed(s.id, s.label, s.description, [where[i] for i in s.members]) for s in seeds]
    C = centroids(vectors, label_vectors, local)
    S = vectors[[where[i] for i in todo]] @ C.T  # cosine: rows and centroids are unit vectors
    order = np.argsort(-S, axis=1)
    codings: dict[int, list[tuple[int, bool, float]]] = {}
    other = []
    for row, i in enumerate(todo):
        best = order[row, 0]
        if S[row, best] < PRIMARY_MIN_SIMILARITY:
            other.append(i)
            continue
        mine = [(seeds[best].id, True, float(S[row, best]))]
        for k in order[row, 1:1 + MAX_SECONDARY]:
            if S[row, k] >= SECONDARY_MIN_SIMILARITY:
                mine.append((seeds[k].id, False, float(S[row, k])))
        codings[i] = mine
    return _with_proposals(texts, Assignment(codings, other, non_answers, []), seed, propose, space)


def _with_proposals(texts: Sequence[str], result: Assignment, seed: int, propose: bool,
                    space: Embedder | None = None) -> Assignment:
    """Leftovers that agree become proposed themes; the rest stay in Other."""
    if not propose or len(result.other) < NEW_THEME_MIN_ANSWERS:
        return result
    left = result.other
    space = space if space is not None else Embedder(seed=seed).fit(list(texts))
    found = propose_themes([texts[i] for i in left], space, seed=seed)
    taken: set[int] = set()
    for theme in found:
        members = [left[j] for j in theme.members]
        result.proposals.append(NewTheme(theme.label, theme.terms, members,
                                         {left[j]: s for j, s in theme.strengths.items()},
                                         theme.description))
        taken.update(members)
    result.other = [i for i in left if i not in taken]
    return result


def propose_themes(texts: Sequence[str], space: Embedder, *, seed: int = 0,
                   min_size: int = NEW_THEME_MIN_ANSWERS) -> list[NewTheme]:
    """Coherent groups of at least ``min_size`` among ``texts`` (indices into ``texts``).

    ``space`` is the question's whole vector space: the finder groups the texts in it, and groups
    whose centres are at least ``PROPOSAL_MERGE_SIMILARITY`` alike are one theme (on a handful of
    answers the finder cuts one topic into pieces of its minimum size: measured, two halves of
    one topic sit at cosine 0.6, two different topics below 0).
    """
    if len(texts) < min_size:
        return []
    # A fixed, generous number of groups (k-means only: choosing k by stability took 6 s on 500
    # leftovers); groups that are alike are joined below, and small ones go to Other.
    k = min(PROPOSAL_MAX_GROUPS, max(2, len(texts) // min_size))
    result = analyse_texts(list(texts), themes=k, seed=seed, embedder=space)
    if not result.themes:
        return []
    V = space.transform(list(texts))
    centres = centroids(V, np.zeros((len(result.themes), V.shape[1]), dtype=np.float32),
                        [CodebookSeed(k, t.label, "", list(t.members)) for k, t in enumerate(result.themes)])
    group = list(range(len(result.themes)))  # union-find over the finder's themes

    def root(k: int) -> int:
        while group[k] != k:
            k = group[k]
        return k

    alike = centres @ centres.T
    for a in range(len(group)):
        for b in range(a + 1, len(group)):
            if alike[a, b] >= PROPOSAL_MERGE_SIMILARITY:
                group[root(b)] = root(a)
    out = []
    for r in sorted({root(k) for k in range(len(group))}):
        parts = sorted((t for k, t in enumerate(result.themes) if root(k) == r), key=lambda t: -len(t.members))
        members = sorted(i for t in parts for i in t.members)
        if len(members) < min_size:
            continue
        centre = V[members].mean(axis=0)
        centre /= max(float(np.linalg.norm(centre)), 1e-9)
        terms = list(dict.fromkeys(term for t in parts for term in t.terms))[:12]
        out.append(NewTheme(parts[0].label, terms, members, {i: float(V[i] @ centre) for i in members},
                            parts[0].description))
    return out

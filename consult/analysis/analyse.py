"""One question's answers to themes: the steps in order (see the package docstring)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np

from consult.analysis.broad import group_broad
from consult.analysis.clustering import kmeans, min_theme_size, one_blas_thread
from consult.analysis.config import CONFIG, AnalysisConfig
from consult.analysis.nonanswers import is_non_answer
from consult.analysis.numerics import quiet_numerics
from consult.analysis.numthemes import choose_broad, choose_k
from consult.analysis.points import add_points
from consult.analysis.results import QuestionAnalysis
from consult.analysis.tidy import tidy
from consult.analysis.vectors import Embedder

Progress = Callable[[str, float], None]

#: Name and version of the method, stored with each run so runs can be compared.
METHOD = (
    "consult.analysis: tfidf-lsa + ppmi-word-vectors + static MiniLM token vectors, k-means, "
    "two-level stability k (v2)"
)


def analyse_texts(
    texts: Sequence[str | None],
    *,
    themes: int | str = "auto",
    seed: int = 0,
    pinned: dict[int, str] | None = None,
    progress: Progress | None = None,
    embedder: Embedder | None = None,
    config: AnalysisConfig = CONFIG,
) -> QuestionAnalysis:
    """Group the answers to one question into themes.

    ``themes`` is "auto" (see :func:`consult.analysis.numthemes.choose_k`) or a number. The
    same texts and seed give the same result. ``pinned`` maps input index -> label a person
    chose; those answers end up in a theme with exactly that label and are never moved.
    ``embedder`` lets a caller supply a space fitted on more answers (e.g. all questions); by
    default one is fitted on ``texts``.
    """
    with quiet_numerics(), one_blas_thread():
        return _analyse_texts(texts, themes=themes, seed=seed, pinned=pinned,
                              progress=progress, embedder=embedder, config=config)


def _unique(texts: list[str], subst: list[int]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """(row of each substantive answer in the unique list, copies per unique, unique texts).

    Duplicates are fitted and clustered once, with a damped weight, so a pasted campaign
    text cannot dominate the space; every copy gets the same theme.
    """
    keys = [re.sub(r"\s+", " ", texts[i].strip().lower()) for i in subst]
    uniq: dict[str, int] = {}
    inv = np.empty(len(subst), dtype=np.int64)
    for j, key in enumerate(keys):
        inv[j] = uniq.setdefault(key, len(uniq))
    counts = np.bincount(inv, minlength=len(uniq))
    first = np.full(len(uniq), -1, dtype=np.int64)
    for j in range(len(subst) - 1, -1, -1):
        first[inv[j]] = j
    return inv, counts, [texts[subst[j]] for j in first]


def _analyse_texts(texts, *, themes, seed, pinned, progress, embedder, config) -> QuestionAnalysis:

    def report(stage: str, frac: float) -> None:
        if progress is not None:
            progress(stage, frac)

    texts = ["" if t is None else str(t) for t in texts]
    pinned = dict(pinned or {})
    n = len(texts)
    report("non-answers", 0.0)
    non_answers = [i for i, t in enumerate(texts) if is_non_answer(t) and i not in pinned]
    na_set = set(non_answers)
    subst = [i for i in range(n) if i not in na_set]
    if len(subst) < config.min_answers and not pinned:
        report("done", 1.0)
        return QuestionAnalysis(
            themes=[],
            other=subst,
            non_answers=non_answers,
            too_few=True,
            k_chosen=0,
            k_criterion=f"too few answers to find themes (fewer than {config.min_answers})",
            scores={"n_substantive": len(subst)},
        )

    inv, counts, uniq_texts = _unique(texts, subst)
    weights = (1.0 + np.log(counts)).astype(np.float64)

    report("vectors", 0.1)
    if embedder is None:
        emb = Embedder(seed=seed, config=config)
        U = emb.fit_transform(uniq_texts)
    else:
        emb = embedder
        U = emb.transform(uniq_texts)
    has_vec = np.linalg.norm(U, axis=1) > 0.5
    report("vectors", 0.4)

    scores: dict = {"n_substantive": len(subst), "n_unique": len(uniq_texts)}
    n_sub = len(subst)
    min_size = min_theme_size(n_sub, config)
    Vc = U[has_vec]
    wc = weights[has_vec]
    auto = isinstance(themes, str)
    if auto:
        if themes != "auto":
            raise ValueError(f"themes must be 'auto' or a number, not {themes!r}")
        report("choosing the number of themes", 0.45)
        choice = choose_k(Vc, seed=seed, n_total=n_sub, config=config)
        k, n_broad, criterion = choice.k, choice.broad, choice.criterion
        scores["k_candidates"] = choice.candidates
    else:
        k = int(themes)
        if k < 1:
            raise ValueError("themes must be at least 1")
        criterion = f"fixed by the caller: {k}"
        n_broad = 0
        if k > config.broad_max:
            n_broad = choose_broad(Vc, seed=seed, n_total=n_sub, config=config)
            criterion += f"; {n_broad} broad themes by stability (see the auto rule)"
    k_eff = max(1, min(k, len(Vc)))
    report("clustering", 0.6)
    lab_u = np.full(len(uniq_texts), -1, dtype=np.int64)
    if len(Vc):
        lab_u[has_vec] = kmeans(Vc, k_eff, seed, wc, config)

    # back to every substantive answer
    lab = lab_u[inv]
    V = U[inv]
    report("tidying themes", 0.8)
    phrases: dict[int, list[str]] = {}
    themes_out, other, merged = tidy(texts, subst, V, lab, k_eff, auto, min_size, pinned, seed,
                                     config, phrases)
    scores["merged"] = merged
    scores["min_theme_size"] = min_size
    add_points(texts, themes_out, emb.transform, V, subst, config)
    broad = group_broad(texts, themes_out, V, subst, n_broad, seed, config, phrases)
    report("done", 1.0)
    return QuestionAnalysis(
        themes=themes_out,
        other=other,
        non_answers=non_answers,
        too_few=False,
        k_chosen=k,
        k_criterion=criterion,
        scores=scores,
        broad=broad,
        texts=texts,
    )

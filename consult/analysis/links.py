"""Themes that recur across questions: centroids compared in one shared space."""

from __future__ import annotations

import numpy as np

from consult.analysis.config import CONFIG
from consult.analysis.numerics import quiet_numerics
from consult.analysis.results import QuestionAnalysis, Theme
from consult.analysis.vectors import Embedder


def link_themes(
    per_question: dict[str, QuestionAnalysis | tuple[QuestionAnalysis, np.ndarray]],
    *,
    threshold: float = CONFIG.link_threshold,
    seed: int = 0,
) -> list[dict]:
    """Themes that recur across questions, most similar first, as JSON-ready records.

    Values are either a ``QuestionAnalysis`` (its answers are then embedded in one space
    fitted on the members of every theme of every question, at most ``CONFIG.link_members`` per theme) or
    ``(analysis, vectors)`` with vectors of that question's input texts in a space shared by
    all questions (e.g. ``Embedder().fit(all_answers).transform(texts_of_q)``). A theme's
    centroid is the normalised mean of its members' vectors; pairs of themes from different
    questions with cosine >= ``threshold`` are returned as
    ``{"question_a", "theme_a", "label_a", "question_b", "theme_b", "label_b", "similarity"}``.
    """
    with quiet_numerics():
        return _link_themes(per_question, threshold=threshold, seed=seed)


def _link_themes(per_question, *, threshold: float, seed: int) -> list[dict]:
    with_themes = [v for v in per_question.values() if (v[0] if isinstance(v, tuple) else v).themes]
    if len(with_themes) < 2:  # nothing to link, and no space worth fitting
        return []
    rng = np.random.default_rng(seed)
    entries: list[tuple[str, Theme, np.ndarray | None, list[int]]] = []
    pooled: list[str] = []
    for q, value in per_question.items():
        qa, vecs = value if isinstance(value, tuple) else (value, None)
        for t in qa.themes:
            members = t.members
            if len(members) > CONFIG.link_members:
                members = sorted(rng.choice(members, CONFIG.link_members, replace=False).tolist())
            if vecs is None:
                if qa.texts is None:
                    continue
                pooled.extend(qa.texts[i] for i in members)
            entries.append((q, t, vecs, members))
    emb = Embedder(seed=seed).fit(pooled) if pooled else None
    names, themes_, cents = [], [], []
    for q, t, vecs, members in entries:
        if not members:
            continue
        if vecs is not None:
            rows = np.asarray(vecs[members], dtype=np.float64)
        else:
            qa_texts = per_question[q].texts  # type: ignore[union-attr]
            rows = emb.transform([qa_texts[i] for i in members]).astype(np.float64)
        c = rows.mean(0)
        nrm = np.linalg.norm(c)
        if nrm == 0:
            continue
        names.append(q)
        themes_.append(t)
        cents.append(c / nrm)
    if len(cents) < 2:
        return []
    dims = {c.shape[0] for c in cents}
    if len(dims) > 1:
        raise ValueError("vectors of different questions must come from one shared space")
    C = np.vstack(cents)
    S = C @ C.T
    links = []
    for a in range(len(cents)):
        for b in range(a + 1, len(cents)):
            if names[a] != names[b] and S[a, b] >= threshold:
                links.append(
                    {
                        "question_a": names[a],
                        "theme_a": themes_[a].key,
                        "label_a": themes_[a].label,
                        "question_b": names[b],
                        "theme_b": themes_[b].key,
                        "label_b": themes_[b].label,
                        "similarity": round(float(S[a, b]), 4),
                    }
                )
    links.sort(key=lambda x: (-x["similarity"], x["question_a"], x["theme_a"], x["theme_b"]))
    return links

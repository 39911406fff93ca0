"""Broad themes over the fine ones: what a report leads with, at most about 10 per question."""

from __future__ import annotations

import numpy as np

from consult.analysis.clustering import kmeans
from consult.analysis.config import CONFIG, AnalysisConfig
from consult.analysis.labels import describe
from consult.analysis.results import BroadTheme, Theme


def group_broad(texts: list[str], themes: list[Theme], V: np.ndarray, subst: list[int],
                n_broad: int, seed: int, config: AnalysisConfig = CONFIG,
                phrases: dict[int, list[str]] | None = None) -> list[BroadTheme]:
    """Group the fine themes into ``n_broad`` broad ones (none when that is one level, or when
    there are fewer than twice as many fine themes: then the fine themes are few enough).

    The fine themes' centroids are clustered by k-means weighted by theme size, so every fine
    theme sits in exactly one broad theme, the one its answers are on average closest to.
    Broad themes are ordered by size; their label and terms come from all their answers.
    """
    if n_broad < 2 or len(themes) < 2 * n_broad:
        return []  # a broad level must at least halve what the reader takes in
    row_of = {i: r for r, i in enumerate(subst)}
    cents, sizes = [], []
    for t in themes:
        rows = [row_of[i] for i in t.members if i in row_of]
        c = V[rows].mean(0) if rows else np.zeros(V.shape[1], dtype=np.float32)
        nrm = np.linalg.norm(c)
        cents.append(c / nrm if nrm > 0 else c)
        sizes.append(len(t.members))
    lab = kmeans(np.vstack(cents), n_broad, seed, np.asarray(sizes, dtype=np.float64), config)
    groups = [[g for g in range(len(themes)) if lab[g] == b] for b in range(n_broad)]
    groups = [g for g in groups if g]
    if len(groups) < 2:
        return []
    members = [sorted({i for g in grp for i in themes[g].members}) for grp in groups]
    order = sorted(range(len(groups)), key=lambda b: (-len(members[b]), groups[b][0]))
    described = describe(texts, [members[b] for b in order], seed, config, phrases)
    return [BroadTheme(label=label, terms=terms, children=groups[b])
            for b, (label, terms, *_) in zip(order, described, strict=True)]

"""Clustering scores against reference labels, shared by every benchmark harness.

Answers a method put in "other" carry the predicted label -1 and count as one more cluster,
so leaving answers out is never free.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score


def _codes(labels: Sequence) -> np.ndarray:
    _, inv = np.unique(np.asarray([str(x) for x in labels]), return_inverse=True)
    return inv


def accuracy(truth: Sequence, pred: Sequence) -> float:
    """Clustering accuracy: share of items right under the best one-to-one matching of
    predicted clusters to true classes (Hungarian algorithm)."""
    t, p = _codes(truth), _codes(pred)
    if len(t) == 0:
        return 0.0
    m = np.zeros((p.max() + 1, t.max() + 1), dtype=np.int64)
    np.add.at(m, (p, t), 1)
    rows, cols = linear_sum_assignment(-m)
    return float(m[rows, cols].sum() / len(t))


def scores(truth: Sequence, pred: Sequence) -> dict[str, float]:
    """NMI (arithmetic mean normalisation, the literature's default), ARI and accuracy."""
    t, p = _codes(truth), _codes(pred)
    return {
        "nmi": float(normalized_mutual_info_score(t, p)),
        "ari": float(adjusted_rand_score(t, p)),
        "acc": accuracy(t, p),
    }


def predicted_labels(analysis, n: int) -> list[int]:
    """Theme key per answer from a QuestionAnalysis; "other" and non-answers are -1."""
    out = [-1] * n
    for theme in analysis.themes:
        for i in theme.members:
            out[i] = theme.key
    return out

"""k-means as the analysis uses it, and the smallest theme worth showing."""

from __future__ import annotations

import math

import numpy as np
from sklearn.cluster import KMeans, MiniBatchKMeans
from sklearn.preprocessing import normalize

from consult.analysis.config import CONFIG, AnalysisConfig


def min_theme_size(n: int, config: AnalysisConfig = CONFIG) -> int:
    """Smallest theme a person can use: 5 answers, or 0.1% of them when that is more."""
    return max(config.min_theme, math.ceil(config.min_theme_share * n))


def kmeans(V: np.ndarray, k: int, seed: int, weights: np.ndarray | None = None,
           config: AnalysisConfig = CONFIG) -> np.ndarray:
    """Cluster labels of the rows of ``V`` into ``k`` groups (mini-batch for big inputs)."""
    if k <= 1 or len(V) <= k:
        return np.zeros(len(V), dtype=np.int64) if k <= 1 else np.arange(len(V)) % max(k, 1)
    if len(V) > config.big_n:
        km = MiniBatchKMeans(k, random_state=seed, n_init=config.minibatch_n_init,
                             batch_size=config.minibatch_size, max_no_improvement=20)
    else:
        # float64: scikit-learn's k-means++ upcasts float32 in small chunks, 3x slower
        V = V.astype(np.float64)
        km = KMeans(k, random_state=seed, n_init=config.kmeans_n_init)
    return km.fit_predict(V, sample_weight=weights).astype(np.int64)


def centroids(V: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    """Unit mean vector of each label 0..k-1 (rows of zeros for empty labels)."""
    C = np.zeros((k, V.shape[1]), dtype=np.float64)
    np.add.at(C, labels[labels >= 0], V[labels >= 0])
    return normalize(C).astype(np.float32)

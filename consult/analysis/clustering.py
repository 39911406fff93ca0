"""k-means as the analysis uses it, and the smallest theme worth showing."""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import numpy as np
import scipy.sparse as sp
from sklearn.cluster import KMeans, MiniBatchKMeans
from sklearn.preprocessing import normalize
from threadpoolctl import ThreadpoolController

from consult.analysis.config import CONFIG, AnalysisConfig

#: Found once: inspecting the loaded native libraries on every call costs milliseconds.
_THREADPOOLS = ThreadpoolController()

T = TypeVar("T")
R = TypeVar("R")


def min_theme_size(n: int, config: AnalysisConfig = CONFIG) -> int:
    """Smallest theme a person can use: 5 answers, or 0.1% of them when that is more."""
    return max(config.min_theme, math.ceil(config.min_theme_share * n))


def workers(config: AnalysisConfig = CONFIG) -> int:
    """Threads for independent fits; results never depend on it (each fit is single-threaded)."""
    try:
        return max(1, min(config.max_workers, len(os.sched_getaffinity(0))))
    except AttributeError:  # not on Linux
        return max(1, min(config.max_workers, os.cpu_count() or 1))


def one_blas_thread():
    """BLAS on one thread, for the SVDs of tall, thin matrices: a second thread gains little
    there and, on a busy machine, costs a lot (the SVDs of 12,340 answers: 14.6 s of wall time
    at load 4 with two threads, 1.8 s with one; assigning 13,000: 6.6 s against 0.8 s at load 8).
    The analysis and the assignment both run under it."""
    return _THREADPOOLS.limit(limits=1, user_api="blas")


def side_by_side(fn: Callable[[T], R], jobs: Sequence[T], config: AnalysisConfig = CONFIG) -> list[R]:
    """``[fn(j) for j in jobs]``, computed in threads, each job on one OpenMP thread.

    OpenMP thread counts are per thread, so the limit is set inside each worker (a limit set
    around the pool would not reach the pool's threads); BLAS is limited around the pool.
    With one thread per fit, results are identical whatever the number of cores.
    """

    def one(job: T) -> R:
        with _THREADPOOLS.limit(limits=1, user_api="openmp"):
            return fn(job)

    with _THREADPOOLS.limit(limits=1, user_api="blas"), ThreadPoolExecutor(workers(config)) as pool:
        return list(pool.map(one, jobs))


def kmeans(V: np.ndarray, k: int, seed: int, weights: np.ndarray | None = None,
           config: AnalysisConfig = CONFIG) -> np.ndarray:
    """Cluster labels of the rows of ``V`` into ``k`` groups (mini-batch for big inputs).

    The same on every machine: scikit-learn's multi-threaded Lloyd step adds up per-thread
    partial sums in whatever order the threads finish, so its centroids (and, on a flat
    question, the themes) depend on the number of cores. Here each restart runs on one
    OpenMP thread with its own seed, the restarts run side by side, and the lowest inertia
    wins (the earliest restart on a tie).
    """
    if k <= 1 or len(V) <= k:
        return np.zeros(len(V), dtype=np.int64) if k <= 1 else np.arange(len(V)) % max(k, 1)
    big = len(V) > config.big_n
    if not big:
        # float64: scikit-learn's k-means++ upcasts float32 in small chunks, 3x slower
        V = V.astype(np.float64)

    def fit(r: int):
        if big:
            km = MiniBatchKMeans(k, random_state=seed + r, n_init=1,
                                 batch_size=config.minibatch_size, max_no_improvement=20)
        else:
            km = KMeans(k, random_state=seed + r, n_init=1)
        km.fit(V, sample_weight=weights)
        return float(km.inertia_), km

    restarts = config.minibatch_n_init if big else config.kmeans_n_init
    fits = side_by_side(fit, range(restarts), config)
    best = min(range(restarts), key=lambda r: (fits[r][0], r))
    return fits[best][1].labels_.astype(np.int64)


def centroids(V: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    """Unit mean vector of each label 0..k-1 (rows of zeros for empty labels)."""
    rows = np.flatnonzero(labels >= 0)
    # a sparse one-hot product: np.add.at over 12,000 rows took 0.2 s, this a few milliseconds
    onehot = sp.csr_matrix((np.ones(len(rows)), (labels[rows], rows)), shape=(k, len(V)))
    C = np.asarray(onehot @ V.astype(np.float64, copy=False))
    return normalize(C).astype(np.float32)

"""How many themes, at two levels: broad themes by stability, fine themes by significant splits.

See :func:`choose_k` for the criterion; every number it uses is in :class:`AnalysisConfig`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from sklearn.cluster import KMeans

from consult.analysis.clustering import kmeans, min_theme_size, side_by_side
from consult.analysis.config import CONFIG, AnalysisConfig

#: Candidate numbers of themes, at every level: dense where a reader tells them apart, sparse
#: beyond (one list, used for the first level and inside broad themes alike).
CANDIDATES = (2, 3, 4, 5, 6, 8, 10, 12, 15, 18, 22, 26, 30, 35, 40)


@dataclass(frozen=True)
class KChoice:
    """The chosen numbers of themes and why."""

    k: int  # fine themes (what k-means is asked for)
    broad: int  # broad themes the fine ones group into; 0 when there is one level
    candidates: dict[int, float] = field(default_factory=dict)  # k -> mean stability
    criterion: str = ""


def _k_grid(n: int, config: AnalysisConfig) -> list[int]:
    """Candidate k: 2..40, never more than n / (smallest theme): the data decide within that.

    k = 2 is left out when more than ``broad_max`` themes are possible: on a big question a
    two-way split of free text is nearly always the dominant axis of the vectors (long vs
    short, one word in or out), very stable and rarely a useful pair of themes; on a small
    one two themes are a real possibility.
    """
    hi = min(config.k_grid_max, n // min_theme_size(n, config))
    if hi < 2:
        return [1]
    lo = 2 if hi <= config.broad_max else 3
    return [k for k in CANDIDATES if lo <= k <= hi]


def rand_agreement(a: np.ndarray, b: np.ndarray, k: int) -> float:
    """Adjusted Rand index of two labellings with values in 0..k-1 (Hubert and Arabie 1985),
    from their contingency table: scikit-learn's ``adjusted_rand_score``, without its checks,
    which cost more than the index itself when it is computed 28 times per candidate."""
    table = np.bincount(a * k + b, minlength=k * k).reshape(k, k).astype(np.float64)
    n_pairs = len(a) * (len(a) - 1) / 2
    both, rows, cols = _pairs(table), _pairs(table.sum(axis=1)), _pairs(table.sum(axis=0))
    expected = rows * cols / n_pairs if n_pairs else 0.0
    top = (rows + cols) / 2
    if top == expected:
        return 1.0
    return (both - expected) / (top - expected)


def _pairs(counts: np.ndarray) -> float:
    return float((counts * (counts - 1)).sum() / 2)


def _fits(m: int, config: AnalysisConfig) -> int:
    """Subsamples clustered per candidate for a sample of ``m`` answers (see the config)."""
    return int(np.clip(config.k_fit_answers // max(m, 1), config.k_fits, config.k_fits_max))


def stability(
    S: np.ndarray, ks: list[int], seed: int, config: AnalysisConfig = CONFIG
) -> tuple[dict[int, float], dict[int, float]]:
    """Mean and standard error, per k, of the adjusted Rand agreement between k-means fitted
    on random subsamples of ``S`` (each partition covers all of ``S``).

    Subsamples (``k_fits`` to ``k_fits_max``, more for small samples) are clustered once each
    and every pair of their partitions is compared: 8 fits give 28 pairs, where fitting a fresh
    pair per comparison gave 8 pairs for 16 fits. The mean of all pairs is a U-statistic; its standard error is the first-order one,
    2 x the standard deviation of each fit's mean agreement with the others / sqrt(fits)
    (Hoeffding 1948), a slight over-estimate, so the one-standard-error rule stays cautious.
    """
    m = len(S)
    fits = _fits(m, config)
    rng = np.random.default_rng(seed)
    sub = max(2, int(config.k_subsample * m))
    subsamples = [rng.choice(m, sub, replace=False) for _ in range(fits)]

    def partition(job: tuple[int, int]) -> np.ndarray:
        k, r = job
        km = KMeans(k, n_init=1, max_iter=50, random_state=seed + r).fit(S[subsamples[r]])
        return km.predict(S)

    # Many small fits run side by side, one thread each; every job has its own fixed seed,
    # so the result depends neither on scheduling nor on the number of cores.
    jobs = [(k, r) for k in ks if k < sub for r in range(fits)]
    parts = dict(zip(jobs, side_by_side(partition, jobs, config), strict=True))
    means: dict[int, float] = {}
    ses: dict[int, float] = {}
    for k in ks:
        if (k, 0) not in parts:
            continue
        agree = np.eye(fits)
        for a in range(fits):
            for b in range(a + 1, fits):
                agree[a, b] = agree[b, a] = rand_agreement(parts[(k, a)], parts[(k, b)], k)
        each = (agree.sum(axis=1) - 1) / (fits - 1)  # a fit's mean agreement with the others
        means[k] = float(each.mean())
        ses[k] = float(2 * np.std(each, ddof=1) / math.sqrt(fits))
    return means, ses


def _one_se(means: dict[int, float], ses: dict[int, float]) -> tuple[int, int]:
    """(fewest k within one standard error of the most stable, the most stable k)."""
    best = max(means, key=lambda k: (means[k], -k))
    return min(k for k in means if means[k] >= means[best] - ses[best]), best


def _split_inside(X: np.ndarray, seed: int, config: AnalysisConfig) -> tuple[int, float]:
    """How many stable sub-themes one broad theme holds: (k, z), k = 1 when none.

    The stability rule is applied to the theme's own answers; the chosen split is kept only
    when it is ``k_split_z`` standard errors more reproducible than the same k-means split of
    a Gaussian cloud with the theme's mean and covariance (a single theme with no inner
    structure, elongated as the real one is: the reference distribution of SigClust).
    """
    m = len(X)
    ks = [k for k in CANDIDATES if k <= m // config.k_sub_min]
    if len(ks) < 2:
        return 1, 0.0
    means, ses = stability(X, ks, seed, config)
    if len(means) < 2:
        return 1, 0.0
    kc, _ = _one_se(means, ses)
    rng = np.random.default_rng(seed + 7)
    G = rng.multivariate_normal(X.mean(axis=0), np.cov(X, rowvar=False), size=m, method="eigh")
    G /= np.maximum(np.linalg.norm(G, axis=1, keepdims=True), 1e-12)
    gm, gs = stability(G, [kc], seed + 13, config)
    z = (means[kc] - gm[kc]) / max(math.sqrt(ses[kc] ** 2 + gs[kc] ** 2), 1e-3)
    return (kc if z > config.k_split_z else 1), float(z)


def choose_k(
    V: np.ndarray, *, seed: int = 0, n_total: int | None = None, config: AnalysisConfig = CONFIG
) -> KChoice:
    """The number of broad and of fine themes, from the data.

    1. Stability (Ben-Hur, Elisseeff and Guyon 2002): for each candidate k (2 or 3 up to
       40, never more than n / smallest theme), random 80% subsamples of a sample (at most
       2,000 answers; 8 subsamples, more for small questions) are clustered separately and
       every pair of their partitions of the whole sample compared with the adjusted Rand
       index. Real themes come back whatever the sample; arbitrary cuts do not.
    2. Broad themes: the fewest k of at most ``broad_max`` (10, what a reader takes in)
       within one standard error of the most stable of those (the one-standard-error rule:
       fewer, broader themes when the data cannot tell them apart).
    3. One fine level when finer themes are more reproducible still: the fewest k over the
       whole grid within one standard error of the most stable (more than 10 for varied,
       flat answers; they are then grouped into the broad themes for the reader).
    4. Otherwise, when the broad partition is very clear (agreement at least
       ``coarse_agreement``), it is usually the top of a hierarchy (two kinds of respondent,
       two domains): each broad theme is examined on its own answers by the same rule, and
       its best split is kept only when it is clearly (3 standard errors) more reproducible
       than the same split of a structureless Gaussian cloud of the theme's own mean and
       covariance (SigClust's reference, Liu et al. 2008), and only when the broad themes
       that split hold most of the answers. A less clear broad level is not split: measured
       on SearchSnippets (broad agreement 0.70), the Gaussian reference let every broad theme
       "split" (51 themes for 8 classes, NMI 0.47 against 0.64).
    5. Else one level: the broad themes, or the most stable k if that is finer (a
       one-standard-error tie lost by a hair).

    Nothing caps the count but the data: at most n / (smallest theme), 40 at the first
    level and 100 in all.
    """
    n = n_total or len(V)
    grid = _k_grid(n, config)
    if grid == [1]:
        return KChoice(1, 0, {1: 0.0}, "too few answers for more than one theme of at least "
                       f"{min_theme_size(n, config)}")
    if len(grid) == 1:
        return KChoice(grid[0], 0, {grid[0]: 0.0},
                       f"only {grid[0]} themes of at least {min_theme_size(n, config)} answers possible")
    rng = np.random.default_rng(seed)
    S = V if len(V) <= config.k_sample else V[rng.choice(len(V), config.k_sample, replace=False)]
    S = S.astype(np.float64)  # k-means++ is much slower on float32 (chunked upcasting)
    m = len(S)
    means, ses = stability(S, grid, seed, config)
    if not means:
        return KChoice(grid[0], 0, {}, "sample too small to compare; smallest candidate")
    cands = {k: round(v, 4) for k, v in means.items()}
    flat, best = _one_se(means, ses)
    small = {k: v for k, v in means.items() if k <= config.broad_max}
    broad = _one_se(small, {k: ses[k] for k in small})[0] if small else flat
    desc = (
        f"stability of k-means partitions of random 80% subsamples (adjusted Rand index, "
        f"{_fits(m, config)} subsamples compared pairwise, sample of {m} answers) for {min(means)}..{max(means)} "
        f"themes; {broad} broad themes (the fewest of at most {config.broad_max} within one "
        f"standard error of the most stable)"
    )
    if flat > broad:
        # The whole curve prefers finer themes than a reader takes in at once: one fine
        # level, grouped into the broad themes for the reader.
        desc += (f"; finer themes are more reproducible still: {flat} themes, the fewest "
                 f"within one standard error of the most stable over all candidates")
        return KChoice(flat, broad if flat > config.broad_max else 0, cands, desc)
    if means[broad] >= config.coarse_agreement:
        refined, parts = _descend(S, broad, seed, n, config)
        if refined > broad:
            desc += (
                f"; so clear a split is usually the top level of a hierarchy, so each broad "
                f"theme was split where its own sub-themes were clearly more reproducible than "
                f"those of a structureless cloud of the same shape: "
                f"{'+'.join(str(k) for k in parts)} = {refined} themes"
            )
            return KChoice(refined, broad, cands, desc)
    if best > broad:
        # A one-standard-error tie lost by a hair (measured: 0.560 against 0.573 on a set of
        # 8 topics): trust the most stable number.
        desc += f"; the most stable number, {best}, is used"
        return KChoice(best, broad if best > config.broad_max else 0, cands, desc)
    desc += "; one level"
    return KChoice(broad, 0, cands, desc)


def _descend(S: np.ndarray, broad: int, seed: int, n: int,
             config: AnalysisConfig) -> tuple[int, list[int]]:
    """Fine themes inside a clear broad partition of ``S``: (total, sub-themes per broad theme)."""
    lab = kmeans(S, broad, seed, config=config)
    parts = [_split_inside(S[lab == c], seed + 1000 * (c + 1), config)[0] for c in range(broad)]
    sizes = np.bincount(lab, minlength=broad)
    # Descend only when most answers sit in themes that clearly split: a lone divisible
    # theme among flat ones is more likely chance than a level of a hierarchy.
    if sizes[[k > 1 for k in parts]].sum() * 2 <= len(S):
        return broad, [1] * broad
    cap = min(config.k_total_max, n // min_theme_size(n, config))
    return min(cap, sum(parts)), parts


def choose_broad(V: np.ndarray, *, seed: int = 0, n_total: int | None = None,
                 config: AnalysisConfig = CONFIG) -> int:
    """Broad themes for a number of fine themes fixed by the caller: step 2 of :func:`choose_k`."""
    n = n_total or len(V)
    grid = [k for k in _k_grid(n, config) if 2 <= k <= config.broad_max]
    if len(grid) < 2:
        return grid[0] if grid else 0
    rng = np.random.default_rng(seed)
    S = V if len(V) <= config.k_sample else V[rng.choice(len(V), config.k_sample, replace=False)]
    means, ses = stability(S.astype(np.float64), grid, seed, config)
    return _one_se(means, ses)[0] if means else 0

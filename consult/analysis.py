"""Themes in the free-text answers to one question, with scikit-learn and SciPy only.

Pure library: no database, no terminal, no network. The caller stores the result.

Method (why each step is there):

1. Non-answers ("no comment", "n/a", blank...) are set aside first so they never form a theme.
2. Each substantive answer becomes a vector made of two halves of equal weight:
   * LSA: TF-IDF (sublinear) reduced by truncated SVD, which captures topical co-occurrence
     across whole answers;
   * word vectors learnt from the answers themselves: positive PMI of words appearing in
     the same answer, reduced by truncated SVD, averaged per answer with TF-IDF weights, with
     the common component removed (as in SIF). Short answers that share no word can still be
     close when their words keep the same company, which plain TF-IDF cannot see.
   The dimension scales with the data (about sqrt(n), at most 100), so small questions are
   not over-fitted and large ones are not starved.
3. k-means (MiniBatch k-means for large n) on the L2-normalised vectors. With ``"auto"`` the
   number of themes is chosen by stability: the fewest themes whose partitions of random
   subsamples agree about as well as the most stable k's, over a grid from 3 to 40 (about
   3x what a reader can use, less for small questions); see :func:`choose_k`.
4. Clean-up a reader needs: answers far from every centroid and clusters under 5 answers
   (or 0.1%) go to "other"; near-duplicate themes are merged (auto) or flagged (fixed k).
5. Labels are the most distinctive phrase (bigram/trigram actually written in the members'
   answers), falling back to the top two or three words; never stems.
"""

from __future__ import annotations

import math
import os
import re
import unicodedata
import warnings
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from sklearn.cluster import KMeans, MiniBatchKMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer, TfidfVectorizer
from sklearn.metrics import adjusted_rand_score
from sklearn.preprocessing import normalize
from threadpoolctl import threadpool_limits

__all__ = [
    "METHOD",
    "Embedder",
    "QuestionAnalysis",
    "Theme",
    "analyse_texts",
    "choose_k",
    "embed",
    "is_non_answer",
    "link_themes",
    "min_theme_size",
]

Progress = Callable[[str, float], None]

#: Name and version of the method, stored with each run so runs can be compared.
METHOD = "consult.analysis: tfidf-lsa + ppmi-word-vectors, k-means, stability k (v1)"
#: Fewer substantive answers than this and no themes are attempted.
MIN_ANSWERS = 5
#: A theme needs at least this many answers (and at least 0.1% of them).
MIN_THEME = 5
MIN_THEME_SHARE = 0.001
#: Answers are cut to this many characters for analysis so one huge paste cannot stall it.
MAX_CHARS = 50_000
#: Centroid cosine above which two themes are taken to say the same thing.
MERGE_COSINE = 0.9
#: Above this many unique answers, fit the vector space and cluster with samples/mini-batches.
BIG_N = 50_000

_TOKEN_RE = re.compile(r"(?u)\b\w\w+\b")
# Stop words, plus what the tokeniser leaves of contractions ("don't" -> "don", "we'll" -> "ll").
_STOP = frozenset(ENGLISH_STOP_WORDS) | {
    "don", "doesn", "didn", "isn", "aren", "wasn", "weren", "haven", "hasn", "hadn", "won", "wouldn",
    "couldn", "shouldn", "mustn", "ll", "ve", "re",
}

_NON_ANSWERS = {
    "",
    "no comment",
    "no comments",
    "no further comment",
    "no further comments",
    "no comment at this time",
    "no comments at this time",
    "none",
    "none at this time",
    "none at present",
    "none really",
    "none thanks",
    "none thank you",
    "nothing",
    "nothing to add",
    "nothing further",
    "nothing further to add",
    "nothing more to add",
    "nothing else",
    "nothing else to add",
    "nothing to say",
    "nothing to report",
    "n a",
    "na",
    "n.a",
    "nil",
    "not applicable",
    "not relevant",
    "dont know",
    "don't know",
    "do not know",
    "i dont know",
    "i don't know",
    "i do not know",
    "dunno",
    "idk",
    "not sure",
    "unsure",
    "no idea",
    "no view",
    "no views",
    "no opinion",
    "no answer",
    "no response",
    "pass",
    "skip",
    "see above",
    "as above",
    "see previous answer",
    "see previous",
    "see answer above",
    "same as above",
    "ditto",
    "see attached",
    "tbc",
    "tbd",
    "no comment to make",
    "nothing to comment",
}


# Short answers of these shapes say nothing either: "see my answer to the previous question",
# "not applicable to us", "we have no view on this", "can't comment", "not our area - pass".
_NON_ANSWER_PATTERNS = [re.compile(p) for p in (
    r"^(please )?(see|as per|refer to) (my |our )?(answer|response|comments?|reply)( to| for| in)?"
    r"( the| my| our)?( previous| last| earlier| above| other)?( question| one| section)?$",
    r"^(see|as) (above|below|previous|before)$",
    r"^(this is )?(not applicable|not relevant|n a|na)( to| for)?( us| me| our organisation| this)?$",
    r"^(we|i) (have|hold) no (particular )?(view|views|opinion|comment|comments)( on| about)?( this| that)?$",
    r"^(no|no particular) (view|views|opinion|comment|comments) (on|about) (this|that)( question)?$",
    r"^(we |i )?(can't|cannot|can not|am unable to|are unable to|unable to) (comment|answer|say)"
    r"( on| about)?( this| that)?( question)?$",
    r"^not sure( don't know| dont know)?( enough)?( about this| about it)?( yet)?$",
    r"^not (our|my) area( pass)?$",
    r"^(don't|dont|do not) know( enough)?( about this| about it)?( yet)?$",
)]


def _norm_non_answer(text: str) -> str:
    t = unicodedata.normalize("NFKC", text).lower().replace("\u2019", "'")
    t = re.sub(r"[^\w' ]+", " ", t)
    t = re.sub(r"\b(thanks|thank you|please|at the moment|at this stage|sorry)\b", " ", t)
    return re.sub(r"\s+", " ", t).strip(" '")


def is_non_answer(text: str | None) -> bool:
    """True for answers that say nothing ("n/a", "no comment", "see above", "-", blank...).

    Such answers are counted separately so they can never become a theme of their own.
    Text with no letter or digit at all (only punctuation or emoji) counts as a non-answer.
    """
    if text is None:
        return True
    if not any(ch.isalnum() for ch in text):
        return True
    t = _norm_non_answer(text)
    if t in _NON_ANSWERS or t.replace("'", "") in _NON_ANSWERS:
        return True
    return len(t.split()) <= 12 and any(p.match(t) for p in _NON_ANSWER_PATTERNS)


# --------------------------------------------------------------------------------------
# Vector space
# --------------------------------------------------------------------------------------


def _dim_for(n: int) -> int:
    """SVD dimension grows with the data (about sqrt(n)) and stops at 100."""
    return int(min(100, max(2, round(math.sqrt(n)))))


@dataclass
class Embedder:
    """A fitted vector space: LSA half plus PPMI word-vector half, each L2-normalised.

    Fit once on the texts of one question (or on every answer to every question when themes
    are to be compared across questions) and ``transform`` any texts into that space.
    """

    seed: int = 0
    dim: int | None = None
    tfidf: TfidfVectorizer | None = field(default=None, repr=False)
    lsa: TruncatedSVD | None = field(default=None, repr=False)
    word_vectors: np.ndarray | None = field(default=None, repr=False)
    common: np.ndarray | None = field(default=None, repr=False)

    def fit(self, texts: Sequence[str]) -> Embedder:
        texts = [_clip(t) for t in texts]
        n = len(texts)
        rng = np.random.default_rng(self.seed)
        sample = texts
        if n > 200_000:
            idx = np.sort(rng.choice(n, 200_000, replace=False))
            sample = [texts[i] for i in idx]
        # A word used in one answer only says nothing about what answers share; if that leaves
        # (almost) nothing, fall back to every word, then to stop words too.
        X = None
        for min_df, stop in ((2, True), (1, True), (1, False)):
            self.tfidf = TfidfVectorizer(
                token_pattern=_TOKEN_RE.pattern,
                stop_words=sorted(_STOP) if stop else None,
                sublinear_tf=True,
                min_df=min_df,
                dtype=np.float32,
            )
            try:
                X = self.tfidf.fit_transform(sample)
            except ValueError:  # empty vocabulary
                continue
            if X.shape[1] >= 2:
                break
        if X is None:
            self.tfidf = None
            return self
        n_s, v = X.shape
        d = self.dim or _dim_for(n_s)
        d = max(1, min(d, n_s - 1, v - 1))
        if d < 1 or v < 2 or n_s < 2:
            self.lsa = None
            self.word_vectors = None
            return self
        fit_rows = X
        if n_s > BIG_N:
            fit_rows = X[np.sort(rng.choice(n_s, BIG_N, replace=False))]
        self.lsa = TruncatedSVD(d, random_state=self.seed, algorithm="randomized").fit(fit_rows)
        self.word_vectors = _ppmi_word_vectors(X, d, self.seed)
        self.common = None
        if self.word_vectors is not None:
            D = np.asarray(fit_rows @ self.word_vectors)
            if D.shape[0] > 2 and D.shape[1] > 1:
                c = TruncatedSVD(1, random_state=self.seed).fit(D).components_[0]
                self.common = c.astype(np.float32)
        return self

    def transform(self, texts: Sequence[str]) -> np.ndarray:
        """Rows are unit vectors (float32); rows of zeros mean no known word."""
        texts = [_clip(t) for t in texts]
        n = len(texts)
        if self.tfidf is None or self.lsa is None:
            return np.zeros((n, 1), dtype=np.float32)
        parts = []
        chunk = 100_000
        for start in range(0, n, chunk):
            X = self.tfidf.transform(texts[start : start + chunk])
            parts.append(self._from_tfidf(X))
        return np.vstack(parts) if parts else np.zeros((0, 1), dtype=np.float32)

    def _from_tfidf(self, X: sp.csr_matrix) -> np.ndarray:
        a = normalize(self.lsa.transform(X).astype(np.float32))
        if self.word_vectors is None:
            return a
        b = np.asarray(X @ self.word_vectors, dtype=np.float32)
        if self.common is not None:
            b -= np.outer(b @ self.common, self.common)
        b = normalize(b)
        out = np.hstack([a, b])
        out *= np.float32(1 / math.sqrt(2))
        return normalize(out).astype(np.float32, copy=False)


def _ppmi_word_vectors(X: sp.csr_matrix, d: int, seed: int) -> np.ndarray | None:
    """Word vectors from positive PMI of words sharing an answer, reduced by truncated SVD.

    Context counts are smoothed (power 0.75) and singular values weighted by their square root,
    the usual choices of Levy, Goldberg and Dagan (2015).
    """
    B = X.copy().tocsr()
    B.data[:] = 1.0
    # very long answers would add a quadratic number of pairs: scale their weight down
    lengths = np.diff(B.indptr)
    w = np.where(lengths > 50, 50.0 / np.maximum(lengths, 1), 1.0).astype(np.float32)
    C = (B.T @ sp.diags(w) @ B).tocoo()
    off = C.row != C.col
    r, c, val = C.row[off], C.col[off], C.data[off].astype(np.float64)
    if val.size == 0:
        return None
    total = val.sum()
    wc = np.bincount(r, weights=val, minlength=C.shape[0])
    pw = wc / total
    pc = wc**0.75
    pc /= pc.sum()
    with np.errstate(divide="ignore"):
        pmi = np.log(val / total) - np.log(pw[r]) - np.log(pc[c])
    keep = pmi > 0
    if not keep.any():
        return None
    P = sp.csr_matrix((pmi[keep].astype(np.float32), (r[keep], c[keep])), shape=C.shape)
    d = min(d, P.shape[0] - 1)
    if d < 1:
        return None
    svd = TruncatedSVD(d, random_state=seed)
    us = svd.fit_transform(P)
    s = np.maximum(svd.singular_values_, 1e-12)
    return (us / s * np.sqrt(s)).astype(np.float32)


def _clip(t: str | None) -> str:
    if not t:
        return ""
    return t if len(t) <= MAX_CHARS else t[:MAX_CHARS]


def embed(texts: Sequence[str], *, seed: int = 0) -> np.ndarray:
    """Fit a vector space on ``texts`` and return their unit vectors (float32)."""
    return Embedder(seed=seed).fit(texts).transform(texts)


# --------------------------------------------------------------------------------------
# Clustering and the choice of k
# --------------------------------------------------------------------------------------


def min_theme_size(n: int) -> int:
    """Smallest theme a person can use: 5 answers, or 0.1% of them when that is more."""
    return max(MIN_THEME, math.ceil(MIN_THEME_SHARE * n))


def _kmeans(V: np.ndarray, k: int, seed: int, weights: np.ndarray | None = None) -> np.ndarray:
    if k <= 1 or len(V) <= k:
        return np.zeros(len(V), dtype=np.int64) if k <= 1 else np.arange(len(V)) % max(k, 1)
    if len(V) > BIG_N:
        km = MiniBatchKMeans(k, random_state=seed, n_init=3, batch_size=4096, max_no_improvement=20)
    else:
        # float64: scikit-learn's k-means++ upcasts float32 in small chunks, 3x slower
        V = V.astype(np.float64)
        km = KMeans(k, random_state=seed, n_init=4)
    return km.fit_predict(V, sample_weight=weights).astype(np.int64)


def _k_grid(n: int, max_themes: int | None) -> list[int]:
    """Candidate k: 3..40 (about 3x what a reader can use), never more than n / min size nor
    sqrt(n / 2) (the old rule of thumb for k), so small questions get few themes.

    k = 2 is left out when more is possible: a two-way split of free text is nearly always
    the dominant axis of the vectors (long vs short, one word in or out), very stable and
    rarely a useful pair of themes.
    """
    hi = min(40, n // min_theme_size(n), max(2, int(math.sqrt(n / 2))))
    if max_themes is not None:
        hi = min(hi, max_themes)
    if hi < 2:
        return [1]
    if hi < 3:
        return [2]
    if hi < 6:  # small questions: two themes is a real possibility
        return list(range(2, hi + 1))
    grid = (3, 4, 5, 6, 8, 10, 12, 15, 18, 22, 26, 30, 35, 40)
    return [k for k in grid if k <= hi]


def _workers() -> int:
    try:
        return max(1, min(4, len(os.sched_getaffinity(0))))
    except AttributeError:  # not on Linux
        return max(1, min(4, os.cpu_count() or 1))


def _subsample_size(m: int) -> int:
    """Size of each subsample compared for stability: 80% of the sample (Ben-Hur et al.)."""
    return max(2, int(0.8 * m))


#: Answers sampled for the choice of k, and pairs of 80% subsamples compared per candidate.
K_SAMPLE = 3000
K_REPEATS = 8
#: A partition into this many themes or fewer is checked for finer, stable structure inside.
K_COARSE = 4
#: A theme is split further only when its sub-division is this many standard errors more
#: reproducible than the same split of a structureless (Gaussian) cloud of the same shape.
K_SPLIT_Z = 3.0
#: Candidates inside one coarse theme: at least this many sample answers per sub-theme.
K_SUB_MIN = 20


def _total_cap(n: int, max_themes: int | None) -> int:
    """Most themes a refined (two-level) choice may give: 100, sqrt(n) and n / min size."""
    hi = min(100, n // min_theme_size(n), max(2, int(math.sqrt(n))))
    return hi if max_themes is None else min(hi, max_themes)


def _stability(
    S: np.ndarray, ks: list[int], seed: int, repeats: int = K_REPEATS
) -> tuple[dict[int, float], dict[int, float]]:
    """Mean and standard error, per k, of the adjusted Rand agreement between k-means fitted
    on two random 80% subsamples of ``S`` (both partitions cover all of ``S``)."""
    rng = np.random.default_rng(seed)
    m = len(S)
    sub = _subsample_size(m)
    subsamples = [
        (rng.choice(m, sub, replace=False), rng.choice(m, sub, replace=False))
        for _ in range(repeats)
    ]

    def agreement(job: tuple[int, int]) -> float:
        k, r = job
        a, b = subsamples[r]
        pa = KMeans(k, n_init=1, max_iter=50, random_state=seed + r).fit(S[a]).predict(S)
        pb = KMeans(k, n_init=1, max_iter=50, random_state=seed + 99 + r).fit(S[b]).predict(S)
        return float(adjusted_rand_score(pa, pb))

    # Many small fits: one OpenMP thread each, run side by side (k-means releases the GIL).
    # Every job has its own fixed seed, so the result does not depend on scheduling.
    jobs = [(k, r) for k in ks if k < sub for r in range(repeats)]
    with threadpool_limits(1), ThreadPoolExecutor(max_workers=_workers()) as pool:
        results = dict(zip(jobs, pool.map(agreement, jobs), strict=True))
    means: dict[int, float] = {}
    ses: dict[int, float] = {}
    for k in ks:
        if (k, 0) not in results:
            continue
        agree = [results[(k, r)] for r in range(repeats)]
        means[k] = float(np.mean(agree))
        ses[k] = float(np.std(agree, ddof=1) / math.sqrt(len(agree)))
    return means, ses


def _one_se(means: dict[int, float], ses: dict[int, float]) -> tuple[int, int]:
    """(fewest k within one standard error of the most stable, the most stable k)."""
    best = max(means, key=lambda k: (means[k], -k))
    return min(k for k in means if means[k] >= means[best] - ses[best]), best


def _split_inside(X: np.ndarray, seed: int) -> tuple[int, float]:
    """How many stable sub-themes one coarse theme holds: (k, z), k = 1 when none.

    The stability rule is applied to the theme's own answers; the chosen split is kept only
    when it is K_SPLIT_Z standard errors more reproducible than the same k-means split of a
    Gaussian cloud with the theme's mean and covariance (a single theme with no inner
    structure, elongated as the real one is).
    """
    m = len(X)
    ks = [k for k in (2, 3, 4, 5, 6, 8, 10, 12, 15, 18, 22, 26, 30, 35, 40) if k <= m // K_SUB_MIN]
    if len(ks) < 2:
        return 1, 0.0
    means, ses = _stability(X, ks, seed)
    if len(means) < 2:
        return 1, 0.0
    kc, _ = _one_se(means, ses)
    rng = np.random.default_rng(seed + 7)
    G = rng.multivariate_normal(X.mean(axis=0), np.cov(X, rowvar=False), size=m, method="eigh")
    G /= np.maximum(np.linalg.norm(G, axis=1, keepdims=True), 1e-12)
    gm, gs = _stability(G, [kc], seed + 13)
    z = (means[kc] - gm[kc]) / max(math.sqrt(ses[kc] ** 2 + gs[kc] ** 2), 1e-3)
    return (kc if z > K_SPLIT_Z else 1), float(z)


def choose_k(
    V: np.ndarray, *, seed: int = 0, max_themes: int | None = None, n_total: int | None = None
) -> tuple[int, dict[int, float], str]:
    """Pick the number of themes by stability, looking inside coarse splits for finer themes.

    Stability (Ben-Hur, Elisseeff and Guyon 2002): for each candidate k, two random 80%
    subsamples of a sample (at most 3,000 answers) are clustered separately and their
    partitions of the whole sample compared with the adjusted Rand index, 8 times. Themes that
    are real come back whatever the sample; arbitrary cuts do not. The first choice k0 is the
    smallest k whose mean agreement is within one standard error of the best (the
    "one-standard-error" rule), which prefers fewer, broader themes when the data cannot tell
    them apart.

    A very stable partition into a few themes (k0 <= 4) is often only the coarsest level of
    a hierarchy (two kinds of respondent, two domains), and the rule would stop there. So each
    of those k0 themes is examined in turn: the same stability rule is applied to its own
    answers, and its best split is kept only if it is clearly more reproducible (3 standard
    errors) than the same split of a structureless Gaussian cloud of the theme's own shape
    (mean and covariance), the reference distribution of SigClust (Liu et al. 2008). The
    number of themes is then the sum over the coarse themes (1 for one that does not split),
    at most min(100, sqrt(n)); this descent happens only when the themes that split hold more
    than half of the sample (a lone divisible theme among flat ones is more likely chance). Returns (k, {k: mean agreement}, description).
    """
    n = n_total or len(V)
    grid = _k_grid(n, max_themes)
    if grid == [1]:
        return 1, {1: 0.0}, "too few answers for more than one theme of at least 5"
    if len(grid) == 1:
        return grid[0], {grid[0]: 0.0}, f"only {grid[0]} themes of at least 5 answers possible"
    rng = np.random.default_rng(seed)
    S = V if len(V) <= K_SAMPLE else V[rng.choice(len(V), K_SAMPLE, replace=False)]
    S = S.astype(np.float64)  # k-means++ is much slower on float32 (chunked upcasting)
    m = len(S)
    means, ses = _stability(S, grid, seed)
    if not means:
        return grid[0], {}, "sample too small to compare; smallest candidate"
    chosen, best = _one_se(means, ses)
    desc = (
        f"stability: fewest themes (of {min(means)}..{max(means)}) whose k-means partitions of "
        f"random 80% subsamples agree (adjusted Rand index) within one standard error of the "
        f"most stable k ({best}); sample of {m} answers, {K_REPEATS} repeats"
    )
    cap = _total_cap(n, max_themes)
    if chosen <= K_COARSE and cap > chosen:
        lab = _kmeans(S, chosen, seed)
        parts = [_split_inside(S[lab == c], seed + 1000 * (c + 1)) for c in range(chosen)]
        sizes = np.bincount(lab, minlength=chosen)
        # Descend only when most answers sit in themes that clearly split: a lone divisible
        # theme among flat ones is more likely chance than a level of a hierarchy.
        if sizes[[k > 1 for k, _ in parts]].sum() * 2 <= m:
            parts = [(1, z) for _, z in parts]
        refined = min(cap, sum(k for k, _ in parts))
        if refined > chosen:
            desc += (
                f"; each of those {chosen} broad themes was then tested for stable sub-themes "
                f"(the same rule on its own answers, kept only when clearly more reproducible "
                f"than splitting a structureless cloud of the same shape), giving "
                f"{'+'.join(str(k) for k, _ in parts)} = {refined} themes"
                + (f" (at most {cap})" if refined == cap else "")
            )
            chosen = refined
        elif best > chosen:
            # The broad themes hold no clear sub-themes one by one, yet a finer partition is
            # the most reproducible of all: the one-standard-error tie went to the coarse
            # level by a hair (measured: 0.560 vs 0.573 on a set of 8 topics), so trust the
            # most stable k instead.
            desc += (
                f"; none of the {chosen} broad themes has stable sub-themes of its own, so the "
                f"most stable number overall, {best}, is used"
            )
            chosen = best
        else:
            desc += (
                f"; none of the {chosen} broad themes has stable sub-themes (each checked "
                f"against splitting a structureless cloud of the same shape)"
            )
    return chosen, {k: round(v, 4) for k, v in means.items()}, desc


# --------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------


@dataclass
class Theme:
    """One theme in the answers to a question; indices refer to the input list."""

    key: int
    label: str
    terms: list[str]
    members: list[int]
    secondary: list[int]
    representatives: list[int]
    cohesion: float
    similar_to: int | None = None
    pinned: bool = False
    scores: dict[int, float] = field(default_factory=dict, repr=False)  # member -> cosine


@dataclass
class QuestionAnalysis:
    """Everything found in one question's answers; every input index is in exactly one of
    a theme's ``members``, ``other`` or ``non_answers``. When ``too_few``, the substantive
    answers are all in ``other`` so the caller can list them."""

    themes: list[Theme]
    other: list[int]
    non_answers: list[int]
    too_few: bool
    k_chosen: int
    k_criterion: str
    scores: dict
    centroids: np.ndarray | None = field(default=None, repr=False)
    texts: list[str] | None = field(default=None, repr=False, compare=False)

    def assignment(self, n: int) -> list[int | None]:
        """Theme key per input index; -1 for other, None for non-answers (and too_few)."""
        out: list[int | None] = [None] * n
        for i in self.other:
            out[i] = -1
        for t in self.themes:
            for i in t.members:
                out[i] = t.key
        return out


# --------------------------------------------------------------------------------------
# Labels and terms
# --------------------------------------------------------------------------------------


# Words that may stand inside a label phrase ("payment by results", "support for trustees").
_CONNECTORS = frozenset({"of", "for", "and", "by", "to", "in", "on", "with", "from", "at", "the"})
# Words that make a weak end or start to a label: modifiers and light verbs, which leave the
# phrase hanging ("funded through small", "set up vcs"). Deliberately short and generic.
_WEAK_EDGE = frozenset({
    "small", "large", "big", "different", "new", "good", "bad", "better", "best", "real", "main",
    "able", "likely", "own", "public", "private", "direct", "early", "local", "national", "wider",
    "set", "get", "got", "make", "made", "help", "helps", "stay", "take", "taken", "give", "given",
    "want", "wants", "need", "needs", "try", "come", "came", "going", "think", "know", "play",
    "use", "used", "work", "works", "really", "just", "also", "still", "barely", "already",
    "larger", "smaller", "clear", "simply", "usually", "often", "behalf", "mean", "means",
    "suggest", "suggests", "depends", "depend", "rely", "attend", "example", "examples",
    "including", "couple", "available", "rarely", "did", "does",
})
_CLAUSE_RE = re.compile(r"[.,;:!?()\[\]\"“”‘]+|’(?!\w)|(?<!\w)'|'(?!\w)|\s[-–—]\s")


def _phrase_analyzer(text: str) -> list[str]:
    """Unigrams that are not stop words, plus 2- and 3-word phrases as written within one
    clause, with only connectors inside and no stop word or weak word at either end, so labels
    read like "payment by results" rather than "clinks could play"."""
    clipped = _clip(text).lower()
    out = [t for t in _TOKEN_RE.findall(clipped) if t not in _STOP and not t.isdigit()]
    for clause in _CLAUSE_RE.split(clipped):
        toks = _TOKEN_RE.findall(clause)
        for n in (2, 3):
            for i in range(len(toks) - n + 1):
                g = toks[i : i + n]
                first, last = g[0], g[-1]
                if first in _STOP or last in _STOP or first.isdigit() or last.isdigit():
                    continue
                if first in _WEAK_EDGE or last in _WEAK_EDGE:
                    continue
                if any(w in _STOP and w not in _CONNECTORS for w in g[1:-1]):
                    continue
                if len(set(g)) < n:
                    continue
                out.append(" ".join(g))
    return out


def _describe(texts: list[str], groups: list[list[int]], seed: int) -> list[tuple[str, list[str]]]:
    """(label, terms) per group, scored by how much more often a term occurs in the group than
    in all answers (document frequency), p_in * log(p_in / p_all)."""
    rng = np.random.default_rng(seed)
    cap = 3000
    sample_groups = [
        g if len(g) <= cap else sorted(rng.choice(g, cap, replace=False).tolist()) for g in groups
    ]
    all_idx = sorted({i for g in sample_groups for i in g})
    if not all_idx:
        return [("", []) for _ in groups]
    pos = {i: j for j, i in enumerate(all_idx)}
    cv = CountVectorizer(analyzer=_phrase_analyzer, binary=True, min_df=2, dtype=np.float32)
    try:
        M = cv.fit_transform([texts[i] for i in all_idx]).tocsr()
    except ValueError:
        cv = CountVectorizer(analyzer=_phrase_analyzer, binary=True, dtype=np.float32)
        try:
            M = cv.fit_transform([texts[i] for i in all_idx]).tocsr()
        except ValueError:
            return [("", []) for _ in groups]
    vocab = cv.get_feature_names_out()
    n_words = np.array([t.count(" ") + 1 for t in vocab])
    # weight each group equally in the background, so a big theme does not hide its own words
    group_p = []
    for g in sample_groups:
        rows = [pos[i] for i in g]
        group_p.append(np.asarray(M[rows].sum(0)).ravel() / max(len(rows), 1))
    P = np.vstack(group_p)
    background = P.mean(0) + 1e-6
    out = []
    for gi, g in enumerate(sample_groups):
        p = P[gi]
        n_g = len(g)
        score = p * np.log((p + 1e-9) / background)
        score[p * n_g < 2] = 0  # a term must occur in at least two member answers
        order = np.argsort(-score, kind="stable")
        terms: list[str] = []
        for j in order:
            if score[j] <= 0 or len(terms) >= 8:
                break
            t = str(vocab[j])
            words = set(t.split())
            if any(words <= set(u.split()) or set(u.split()) <= words for u in terms):
                continue
            terms.append(t)
        label = _label(vocab, n_words, score, p, n_g)
        texts_g = [texts[i] for i in g[:300]]
        out.append((_surface(label, texts_g), [_surface(t, texts_g) for t in terms]))
    return out


def _label(vocab, n_words, score, p, n_g) -> str:
    """Best phrase that several members actually wrote, else the top two or three words."""
    uni = np.where(n_words == 1, score, 0)
    best_uni = uni.max() if uni.size else 0
    # longer phrases read better and say more: a small bonus per extra word
    phr = np.where((n_words > 1) & (p * n_g >= max(2, 0.05 * n_g)), score, 0)
    phr = phr * (1 + 0.1 * (n_words - 1))
    if phr.size and phr.max() > 0 and phr.max() >= 0.35 * best_uni:
        return str(vocab[int(np.argmax(phr))])
    words = [str(vocab[j]) for j in np.argsort(-uni, kind="stable")[:3] if uni[j] > 0]
    if len(words) == 3 and uni[np.argsort(-uni, kind="stable")[2]] < 0.5 * best_uni:
        words = words[:2]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _surface(term: str, texts: list[str]) -> str:
    """The term as members most often wrote it (keeps "NHS" and "LINQ" in capitals)."""
    if not term:
        return term
    parts = [re.escape(w) for w in term.split(" ")]
    pat = re.compile(r"(?<!\w)" + r"\W+".join(parts) + r"(?!\w)", re.IGNORECASE)
    seen: Counter[str] = Counter()
    for t in texts:
        for m in pat.finditer(_clip(t)):
            s = m.group(0)
            seen[re.sub(r"\s+", " ", s)] += 1
            if sum(seen.values()) > 50:
                break
    if not seen:
        return term
    form = seen.most_common(1)[0][0]
    # keep the lower-case form when it is used about as often; capitals only when they dominate
    if form != term and seen.get(term, 0) * 2 >= seen[form]:
        return term
    return form


# --------------------------------------------------------------------------------------
# The analysis
# --------------------------------------------------------------------------------------


def _centroids(V: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    C = np.zeros((k, V.shape[1]), dtype=np.float64)
    np.add.at(C, labels[labels >= 0], V[labels >= 0])
    return normalize(C).astype(np.float32)


def analyse_texts(
    texts: Sequence[str | None],
    *,
    themes: int | str = "auto",
    seed: int = 0,
    max_themes: int | None = None,
    pinned: dict[int, str] | None = None,
    progress: Progress | None = None,
    embedder: Embedder | None = None,
) -> QuestionAnalysis:
    """Group the answers to one question into themes.

    ``themes`` is "auto" (see :func:`choose_k`) or a number. The same texts and seed give the
    same result. ``pinned`` maps input index -> label a person chose; those answers end up in
    a theme with exactly that label and are never moved. ``embedder`` lets a caller supply a
    space fitted on more answers (e.g. all questions); by default one is fitted on ``texts``.
    """
    with _quiet_numerics():
        return _analyse_texts(texts, themes=themes, seed=seed, max_themes=max_themes, pinned=pinned,
                              progress=progress, embedder=embedder)


@contextmanager
def _quiet_numerics():
    """Duplicate answers make k-means warn that it found fewer distinct clusters than asked,
    and an all-zero column makes the SVD divide by zero; both are handled (tiny clusters go to
    "other"), so the warnings would only alarm the person running the analysis."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.filterwarnings("ignore", "invalid value encountered", RuntimeWarning)
        yield


def _analyse_texts(texts, *, themes, seed, max_themes, pinned, progress, embedder) -> QuestionAnalysis:

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
    if len(subst) < MIN_ANSWERS and not pinned:
        report("done", 1.0)
        return QuestionAnalysis(
            themes=[],
            other=subst,
            non_answers=non_answers,
            too_few=True,
            k_chosen=0,
            k_criterion=f"too few answers to find themes (fewer than {MIN_ANSWERS})",
            scores={"n_substantive": len(subst)},
        )

    # Duplicates are fitted and clustered once, with a damped weight, so a pasted campaign
    # text cannot dominate the space; every copy gets the same theme.
    keys = [re.sub(r"\s+", " ", texts[i].strip().lower()) for i in subst]
    uniq: dict[str, int] = {}
    inv = np.empty(len(subst), dtype=np.int64)
    for j, key in enumerate(keys):
        inv[j] = uniq.setdefault(key, len(uniq))
    counts = np.bincount(inv, minlength=len(uniq))
    first = np.full(len(uniq), -1, dtype=np.int64)
    for j in range(len(subst) - 1, -1, -1):
        first[inv[j]] = j
    uniq_texts = [texts[subst[j]] for j in first]
    weights = (1.0 + np.log(counts)).astype(np.float64)

    report("vectors", 0.1)
    emb = embedder if embedder is not None else Embedder(seed=seed).fit(uniq_texts)
    U = emb.transform(uniq_texts)
    has_vec = np.linalg.norm(U, axis=1) > 0.5
    report("vectors", 0.4)

    scores: dict = {"n_substantive": len(subst), "n_unique": len(uniq)}
    n_sub = len(subst)
    min_size = min_theme_size(n_sub)
    Vc = U[has_vec]
    wc = weights[has_vec]
    auto = isinstance(themes, str)
    if auto:
        if themes != "auto":
            raise ValueError(f"themes must be 'auto' or a number, not {themes!r}")
        report("choosing the number of themes", 0.45)
        k, kscores, criterion = choose_k(Vc, seed=seed, max_themes=max_themes, n_total=n_sub)
        scores["k_candidates"] = kscores
    else:
        k = int(themes)
        if k < 1:
            raise ValueError("themes must be at least 1")
        criterion = f"fixed by the caller: {k}"
    k_eff = max(1, min(k, len(Vc)))
    report("clustering", 0.6)
    lab_u = np.full(len(uniq), -1, dtype=np.int64)
    if len(Vc):
        lab_u[has_vec] = _kmeans(Vc, k_eff, seed, wc)

    # back to every substantive answer
    lab = lab_u[inv]
    V = U[inv]
    report("tidying themes", 0.8)
    result = _tidy(texts, subst, V, lab, k_eff, auto, min_size, pinned, seed)
    themes_out, other, C, merged = result
    scores["merged"] = merged
    scores["min_theme_size"] = min_size
    report("done", 1.0)
    return QuestionAnalysis(
        themes=themes_out,
        other=other,
        non_answers=non_answers,
        too_few=False,
        k_chosen=k,
        k_criterion=criterion,
        scores=scores,
        centroids=C,
        texts=texts,
    )


def _tidy(
    texts: list[str],
    subst: list[int],
    V: np.ndarray,
    lab: np.ndarray,
    k: int,
    auto: bool,
    min_size: int,
    pinned: dict[int, str],
    seed: int,
) -> tuple[list[Theme], list[int], np.ndarray, list[tuple[int, int]]]:
    """Outliers and tiny clusters to "other", merge/flag duplicates, pinned answers, labels."""
    subst_arr = np.asarray(subst)
    pin_rows = np.array([i in pinned for i in subst], dtype=bool)
    lab = lab.copy()
    lab[pin_rows] = -1
    C = _centroids(V, lab, k)
    sims = np.einsum("ij,ij->i", V, C[np.maximum(lab, 0)])
    sims[lab < 0] = -1
    # Outliers: far below the typical closeness of an answer to its theme (robust z < -3),
    # or sharing no word with anything (zero vector).
    valid = lab >= 0
    if valid.sum() > 10:
        med = np.median(sims[valid])
        mad = np.median(np.abs(sims[valid] - med)) * 1.4826
        cut = med - 3 * mad if mad > 0 else -1
        lab[valid & (sims < cut)] = -1
    merged: list[tuple[int, int]] = []
    similar: dict[int, int] = {}
    for _ in range(k):
        sizes = np.bincount(lab[lab >= 0], minlength=k)
        small = [c for c in range(k) if 0 < sizes[c] < min_size]
        for c in small:
            lab[lab == c] = -1
        sizes = np.bincount(lab[lab >= 0], minlength=k)
        live = [c for c in range(k) if sizes[c] > 0]
        C = _centroids(V, lab, k)
        pair = _near_duplicate(C, live, similar)
        if pair is None:
            break
        a, b = pair
        if auto:
            lab[lab == b] = a
            merged.append((a, b))
        else:
            similar[b] = a
    sizes = np.bincount(lab[lab >= 0], minlength=k)
    live = sorted((c for c in range(k) if sizes[c] > 0), key=lambda c: (-sizes[c], c))
    C = _centroids(V, lab, k)

    groups: list[list[int]] = [subst_arr[lab == c].tolist() for c in live]
    labels_fixed: list[str | None] = [None] * len(live)
    # pinned answers: join the theme with that label, else a new theme of their own
    by_label: dict[str, list[int]] = {}
    for i, name in sorted(pinned.items()):
        if 0 <= i < len(texts):
            by_label.setdefault(name, []).append(i)
    described = _describe(texts, groups, seed)
    names = [d[0] for d in described]
    for name, idx in by_label.items():
        hit = next((g for g, nm in enumerate(names) if nm.strip().lower() == name.lower()), None)
        if hit is None:
            groups.append(sorted(idx))
            names.append(name)
            labels_fixed.append(name)
            described.append((name, []))
        else:
            groups[hit] = sorted(set(groups[hit]) | set(idx))
            labels_fixed[hit] = name
    row_of = {i: r for r, i in enumerate(subst)}
    cent = []
    for g in groups:
        rows = [row_of[i] for i in g if i in row_of]
        c = V[rows].mean(0) if rows else np.zeros(V.shape[1], dtype=np.float32)
        nrm = np.linalg.norm(c)
        cent.append(c / nrm if nrm > 0 else c)
    Cg = np.vstack(cent).astype(np.float32) if cent else np.zeros((0, V.shape[1]), np.float32)
    # re-describe groups changed by pinning (terms must come from their real members)
    changed = [g for g in range(len(groups)) if labels_fixed[g] is not None]
    if changed:
        redo = _describe(texts, [groups[g] for g in changed], seed)
        for g, (_lab, terms) in zip(changed, redo, strict=True):
            described[g] = (labels_fixed[g], terms or described[g][1])

    order = sorted(range(len(groups)), key=lambda g: (-len(groups[g]), g))
    new_key = {g: r for r, g in enumerate(order)}
    old_live_key = {c: g for g, c in enumerate(live)}
    assigned = set().union(*map(set, groups)) if groups else set()
    other = sorted(set(subst) - assigned)

    # secondary themes: nearly as close to a second theme as to the first, and as close to it
    # as that theme's typical member
    all_sims = V @ Cg.T if len(Cg) else np.zeros((len(V), 0), np.float32)
    prim_of = {}
    for g, members in enumerate(groups):
        for i in members:
            prim_of[i] = g
    med_sim = []
    for g, members in enumerate(groups):
        rows = [row_of[i] for i in members if i in row_of]
        med_sim.append(float(np.median(all_sims[rows, g])) if rows else 1.0)
    secondary: list[list[int]] = [[] for _ in groups]
    if len(groups) > 1:
        for i, g in prim_of.items():
            r = row_of[i]
            s = all_sims[r].copy()
            s1 = s[g]
            s[g] = -np.inf
            g2 = int(np.argmax(s))
            if s[g2] >= 0.9 * s1 and s[g2] >= med_sim[g2] and s1 > 0:
                secondary[g2].append(i)

    out: list[Theme] = []
    lengths = np.array([len(t.split()) for t in texts])
    for g in order:
        members = sorted(groups[g])
        rows = [row_of[i] for i in members if i in row_of]
        msims = all_sims[rows, g] if rows else np.zeros(0)
        cohesion = float(np.clip(msims.mean(), 0, 1)) if len(msims) else 0.0
        sim_to = None
        if g < len(live) and live[g] in similar and similar[live[g]] in old_live_key:
            sim_to = new_key[old_live_key[similar[live[g]]]]
        out.append(
            Theme(
                key=new_key[g],
                label=described[g][0],
                terms=described[g][1],
                members=members,
                secondary=sorted(secondary[g]),
                representatives=_representatives(texts, members, msims, lengths),
                cohesion=round(cohesion, 4),
                similar_to=sim_to,
                pinned=labels_fixed[g] is not None,
                scores={i: round(float(v), 4) for i, v in zip(members, msims, strict=False)},
            )
        )
    return out, other, Cg[order] if len(order) else Cg, merged


def _near_duplicate(
    C: np.ndarray, live: list[int], flagged: dict[int, int]
) -> tuple[int, int] | None:
    """The most similar pair of live themes above MERGE_COSINE, not yet flagged."""
    best, pair = MERGE_COSINE, None
    for x in range(len(live)):
        for y in range(x + 1, len(live)):
            a, b = live[x], live[y]
            if b in flagged or a in flagged:
                continue
            s = float(C[a] @ C[b])
            if s >= best:
                best, pair = s, (a, b)
    return pair


def _representatives(
    texts: list[str], members: list[int], msims: np.ndarray, lengths: np.ndarray
) -> list[int]:
    """Up to 5 distinct answers nearest the centroid, preferring ordinary lengths."""
    if not members:
        return []
    lens = lengths[members]
    lo = max(3, np.percentile(lens, 10))
    hi = max(lo, np.percentile(lens, 90))
    ok = (lens >= lo) & (lens <= hi)
    score = np.asarray(msims, dtype=np.float64) + np.where(ok, 0.0, -1.0)
    chosen: list[int] = []
    seen: set[str] = set()
    for j in np.argsort(-score, kind="stable"):
        key = texts[members[j]].strip().lower()
        if key in seen:
            continue
        seen.add(key)
        chosen.append(members[j])
        if len(chosen) == 5:
            break
    return chosen


# --------------------------------------------------------------------------------------
# Themes that recur across questions
# --------------------------------------------------------------------------------------


def link_themes(
    per_question: dict[str, QuestionAnalysis | tuple[QuestionAnalysis, np.ndarray]],
    *,
    threshold: float = 0.8,
    seed: int = 0,
) -> list[dict]:
    """Themes that recur across questions, most similar first, as JSON-ready records.

    Values are either a ``QuestionAnalysis`` (its answers are then embedded in one space
    fitted on the members of every theme of every question, at most 2,000 per theme) or
    ``(analysis, vectors)`` with vectors of that question's input texts in a space shared by
    all questions (e.g. ``Embedder().fit(all_answers).transform(texts_of_q)``). A theme's
    centroid is the normalised mean of its members' vectors; pairs of themes from different
    questions with cosine >= ``threshold`` are returned as
    ``{"question_a", "theme_a", "label_a", "question_b", "theme_b", "label_b", "similarity"}``.
    """
    with _quiet_numerics():
        return _link_themes(per_question, threshold=threshold, seed=seed)


def _link_themes(per_question, *, threshold: float, seed: int) -> list[dict]:
    rng = np.random.default_rng(seed)
    entries: list[tuple[str, Theme, np.ndarray | None, list[int]]] = []
    pooled: list[str] = []
    for q, value in per_question.items():
        qa, vecs = value if isinstance(value, tuple) else (value, None)
        for t in qa.themes:
            members = t.members
            if len(members) > 2000:
                members = sorted(rng.choice(members, 2000, replace=False).tolist())
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

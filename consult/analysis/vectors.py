"""The vector space answers are compared in: LSA plus word vectors learnt from the answers.

Each answer becomes two halves of equal weight:

* LSA: sublinear TF-IDF reduced by truncated SVD, the topical co-occurrence across answers;
* word vectors learnt from the answers themselves: positive PMI of words in the same answer,
  reduced by truncated SVD, averaged per answer with TF-IDF weights, the common component
  removed (as in SIF). Short answers that share no word can still be close when their words
  keep the same company, which plain TF-IDF cannot see.

The dimension grows as sqrt(n) (capped), so small questions are not over-fitted and large
ones are not starved.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from consult.analysis.config import CONFIG, AnalysisConfig
from consult.analysis.static import word_vectors
from consult.analysis.words import STOP, TOKEN_RE, clip


def dim_for(n: int, config: AnalysisConfig = CONFIG) -> int:
    """SVD dimension grows with the data (about sqrt(n)) and stops at ``max_dim``."""
    return int(min(config.max_dim, max(2, round(math.sqrt(n)))))


@dataclass
class Embedder:
    """A fitted vector space: LSA half plus PPMI word-vector half, each L2-normalised.

    Fit once on the texts of one question (or on every answer to every question when themes
    are to be compared across questions) and ``transform`` any texts into that space.
    """

    seed: int = 0
    dim: int | None = None
    config: AnalysisConfig = field(default=CONFIG, repr=False)
    tfidf: TfidfVectorizer | None = field(default=None, repr=False)
    lsa: TruncatedSVD | None = field(default=None, repr=False)
    word_vectors: np.ndarray | None = field(default=None, repr=False)
    common: np.ndarray | None = field(default=None, repr=False)
    static: np.ndarray | None = field(default=None, repr=False)

    def fit(self, texts: Sequence[str]) -> Embedder:
        self._fit(texts)
        return self

    def fit_transform(self, texts: Sequence[str]) -> np.ndarray:
        """``fit(texts).transform(texts)``, reading each text once when all are fitted on."""
        X = self._fit(texts)
        if X is None or self.lsa is None or X.shape[0] > self.config.transform_chunk:
            return self.transform(texts)
        return self._from_tfidf(X)

    def _fit(self, texts: Sequence[str]) -> sp.csr_matrix | None:
        """Fit the space; return the TF-IDF rows of ``texts`` when every text was fitted on."""
        cfg = self.config
        texts = [clip(t, cfg.max_chars) for t in texts]
        n = len(texts)
        rng = np.random.default_rng(self.seed)
        sample = texts
        if n > cfg.fit_sample:
            idx = np.sort(rng.choice(n, cfg.fit_sample, replace=False))
            sample = [texts[i] for i in idx]
        # A word used in one answer only says nothing about what answers share; if that leaves
        # (almost) nothing, fall back to every word, then to stop words too.
        X = None
        for min_df, stop in ((2, True), (1, True), (1, False)):
            self.tfidf = TfidfVectorizer(
                token_pattern=TOKEN_RE.pattern,
                stop_words=sorted(STOP) if stop else None,
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
            return None
        n_s, v = X.shape
        d = self.dim or dim_for(n_s, cfg)
        d = max(1, min(d, n_s - 1, v - 1))
        if v < 2 or n_s < 2:
            self.lsa = None
            self.word_vectors = None
            return None
        fit_rows = X
        if n_s > cfg.big_n:
            fit_rows = X[np.sort(rng.choice(n_s, cfg.big_n, replace=False))]
        self.lsa = TruncatedSVD(d, random_state=self.seed, n_iter=cfg.svd_iterations).fit(fit_rows)
        self.word_vectors = ppmi_word_vectors(X, d, self.seed, cfg)
        self.static = None
        if cfg.static_vectors:
            W = word_vectors(list(self.tfidf.get_feature_names_out()))
            if W.any():
                self.static = W
        self.common = None
        if self.word_vectors is not None:
            D = np.asarray(fit_rows @ self.word_vectors)
            if D.shape[0] > 2 and D.shape[1] > 1:
                c = TruncatedSVD(1, random_state=self.seed, n_iter=cfg.svd_iterations).fit(D).components_[0]
                self.common = c.astype(np.float32)
        return X if sample is texts else None

    def transform(self, texts: Sequence[str]) -> np.ndarray:
        """Rows are unit vectors (float32); rows of zeros mean no known word."""
        cfg = self.config
        texts = [clip(t, cfg.max_chars) for t in texts]
        n = len(texts)
        if self.tfidf is None or self.lsa is None:
            return np.zeros((n, 1), dtype=np.float32)
        parts = []
        for start in range(0, n, cfg.transform_chunk):
            X = self.tfidf.transform(texts[start : start + cfg.transform_chunk])
            parts.append(self._from_tfidf(X))
        return np.vstack(parts) if parts else np.zeros((0, 1), dtype=np.float32)

    def _from_tfidf(self, X: sp.csr_matrix) -> np.ndarray:
        parts = [normalize(self.lsa.transform(X).astype(np.float32))]
        if self.word_vectors is not None:
            b = np.asarray(X @ self.word_vectors, dtype=np.float32)
            if self.common is not None:
                b -= np.outer(b @ self.common, self.common)
            parts.append(normalize(b))
        if self.static is not None:
            parts.append(normalize(np.asarray(X @ self.static, dtype=np.float32)))
        if len(parts) == 1:
            return parts[0]
        out = np.hstack(parts)
        out *= np.float32(1 / math.sqrt(len(parts)))
        return normalize(out).astype(np.float32, copy=False)


def ppmi_word_vectors(
    X: sp.csr_matrix, d: int, seed: int, config: AnalysisConfig = CONFIG
) -> np.ndarray | None:
    """Word vectors from positive PMI of words sharing an answer, reduced by truncated SVD.

    Context counts are smoothed (power 0.75) and singular values weighted by their square root,
    the usual choices of Levy, Goldberg and Dagan (2015).
    """
    B = X.copy().tocsr()
    B.data[:] = 1.0
    # very long answers would add a quadratic number of pairs: scale their weight down
    long = config.long_answer_words
    lengths = np.diff(B.indptr)
    w = np.where(lengths > long, long / np.maximum(lengths, 1), 1.0).astype(np.float32)
    C = (B.T @ sp.diags(w) @ B).tocoo()
    off = C.row != C.col
    r, c, val = C.row[off], C.col[off], C.data[off].astype(np.float64)
    if val.size == 0:
        return None
    total = val.sum()
    wc = np.bincount(r, weights=val, minlength=C.shape[0])
    pw = wc / total
    pc = wc**config.ppmi_context_power
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
    svd = TruncatedSVD(d, random_state=seed, n_iter=config.svd_iterations)
    us = svd.fit_transform(P)
    s = np.maximum(svd.singular_values_, 1e-12)
    return (us / s * np.sqrt(s)).astype(np.float32)

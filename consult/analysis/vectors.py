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
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.preprocessing import normalize

from consult.analysis.clustering import one_blas_thread
from consult.analysis.config import CONFIG, AnalysisConfig
from consult.analysis.static import whole_words, word_vectors
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
    static_common: np.ndarray | None = field(default=None, repr=False)
    counter: CountVectorizer | None = field(default=None, repr=False)
    idf: np.ndarray | None = field(default=None, repr=False)  # per counter column

    def fit(self, texts: Sequence[str]) -> Embedder:
        with one_blas_thread():
            self._fit(texts)
        return self

    def fit_transform(self, texts: Sequence[str]) -> np.ndarray:
        """``fit(texts).transform(texts)``, reading each text once when all are fitted on."""
        with one_blas_thread():
            X, S = self._fit(texts)
            if X is None or self.lsa is None or X.shape[0] > self.config.transform_chunk:
                return self.transform(texts)
            return self._from_tfidf(X, S)

    def _fit(self, texts: Sequence[str]) -> tuple[sp.csr_matrix | None, sp.csr_matrix | None]:
        """Fit the space; return the TF-IDF rows of ``texts`` (fitted vocabulary, then every
        known word) when every text was fitted on."""
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
            return None, None
        n_s, v = X.shape
        d = self.dim or dim_for(n_s, cfg)
        d = max(1, min(d, n_s - 1, v - 1))
        if v < 2 or n_s < 2:
            self.lsa = None
            self.word_vectors = None
            return None, None
        fit_rows = X
        if n_s > cfg.big_n:
            fit_rows = X[np.sort(rng.choice(n_s, cfg.big_n, replace=False))]
        self.lsa = TruncatedSVD(d, random_state=self.seed, n_iter=cfg.svd_iterations).fit(fit_rows)
        self.word_vectors = ppmi_word_vectors(X, d, self.seed, cfg)
        self.common = self._common(fit_rows, self.word_vectors)
        S = self._fit_static(sample, rng)
        return (X, S) if sample is texts else (None, None)

    def _fit_static(self, sample: list[str], rng) -> sp.csr_matrix | None:
        """The static part reads every word the table knows, not only the answers' shared
        vocabulary: a word used once, or never, in the fitted answers still says what a text is
        about (an unseen word counts as rare, with the highest IDF of the fitted words)."""
        self.static = self.counter = self.idf = self.static_common = None
        if not self.config.static_vectors:
            return None
        fitted = list(self.tfidf.get_feature_names_out())
        known = set(fitted)
        extra, extra_vectors = whole_words()
        keep = [i for i, w in enumerate(extra) if w not in known and w not in STOP]
        W = np.vstack([word_vectors(fitted), extra_vectors[keep]])
        if not W.any():
            return None
        self.counter = CountVectorizer(token_pattern=TOKEN_RE.pattern, dtype=np.float32,
                                       vocabulary=fitted + [extra[i] for i in keep])
        idf = self.tfidf.idf_.astype(np.float32)
        self.idf = np.concatenate([idf, np.full(len(keep), idf.max(), dtype=np.float32)])
        self.static = W
        S = self._weights(self.counter.transform(sample))
        rows = S if S.shape[0] <= self.config.big_n else S[
            np.sort(rng.choice(S.shape[0], self.config.big_n, replace=False))]
        self.static_common = self._common(rows, W)
        return S

    def _weights(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        """Sublinear TF times IDF, rows of unit length: what ``TfidfVectorizer`` computes."""
        X = counts.tocsr(copy=True)
        X.data = (1.0 + np.log(X.data)) * self.idf[X.indices]
        return normalize(X)

    def _common(self, rows: sp.csr_matrix, words: np.ndarray | None) -> np.ndarray | None:
        """The direction every answer's mean word vector shares (SIF's common component), or
        None: left in, it makes any two texts look alike (static vectors put a programming
        question at cosine 0.65 from a theme of a consultation's answers)."""
        if words is None:
            return None
        D = np.asarray(rows @ words, dtype=np.float64)
        if D.shape[0] <= 2 or D.shape[1] <= 1:
            return None
        # the first right singular vector, exactly: the top eigenvector of the small D'D
        _, vectors = np.linalg.eigh(D.T @ D)
        return vectors[:, -1].astype(np.float32)

    def transform(self, texts: Sequence[str]) -> np.ndarray:
        """Rows are unit vectors (float32); rows of zeros mean no known word."""
        with one_blas_thread():
            return self._transform(texts)

    def _transform(self, texts: Sequence[str]) -> np.ndarray:
        cfg = self.config
        texts = [clip(t, cfg.max_chars) for t in texts]
        n = len(texts)
        if self.tfidf is None or self.lsa is None:
            return np.zeros((n, 1), dtype=np.float32)
        parts = []
        for start in range(0, n, cfg.transform_chunk):
            chunk = texts[start : start + cfg.transform_chunk]
            if self.counter is None:
                parts.append(self._from_tfidf(self.tfidf.transform(chunk)))
                continue
            S = self._weights(self.counter.transform(chunk))  # one reading serves both parts
            F = len(self.tfidf.idf_)
            parts.append(self._from_tfidf(normalize(S[:, :F]), S))
        return np.vstack(parts) if parts else np.zeros((0, 1), dtype=np.float32)

    def _from_tfidf(self, X: sp.csr_matrix, S: sp.csr_matrix | None = None) -> np.ndarray:
        """The vectors of TF-IDF rows ``X`` (fitted vocabulary) and ``S`` (every known word)."""
        parts = [normalize(self.lsa.transform(X).astype(np.float32))]
        if self.word_vectors is not None:
            b = np.asarray(X @ self.word_vectors, dtype=np.float32)
            if self.common is not None:
                b -= np.outer(b @ self.common, self.common)
            parts.append(normalize(b))
        if S is not None and self.config.coverage_weighting:
            # The two parts read from the answers' shared words speak for a text in proportion
            # to how much of it those words are: "How do I parse XML in Java" shares one word
            # with a consultation's answers, and that word alone must not place it in a theme.
            F = len(self.tfidf.idf_)
            cover = np.sqrt(np.asarray(S[:, :F].multiply(S[:, :F]).sum(axis=1), dtype=np.float32))
            parts = [p * cover for p in parts]
            # a text that shares no word with the answers is not placed by meaning alone
            known = cover[:, 0] > 0
        else:
            known = None
        if self.static is not None:
            b = np.asarray(S @ self.static, dtype=np.float32)
            if self.static_common is not None:
                b -= np.outer(b @ self.static_common, self.static_common)
            parts.append(normalize(b))
        if len(parts) == 1:
            return parts[0]
        out = np.hstack(parts)
        out *= np.float32(1 / math.sqrt(len(parts)))
        if known is not None:
            out[~known] = 0
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

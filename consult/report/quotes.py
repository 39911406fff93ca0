"""Choosing what the report quotes: sentences, staff excerpts, near-duplicates, representative
sentences. Consent and redaction are :mod:`consult.report.privacy`'s; this module only picks.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[\"'\u2018\u201c(]?[A-Z0-9])")
_MARKER = re.compile(r"\[[^\[\]]*\bremoved\]|\[\u2026\]")
_BULLET = re.compile(r"^\s*(?:[-*\u2022]|\d+[.)])\s+")  # a list item's marker is not part of its sentence
_WORD = re.compile(r"[a-z0-9]+")

MIN_QUOTE_WORDS = 5  # words of its own a quote needs once placeholders are taken out
NEAR_DUPLICATE = 0.6  # word-set overlap (Jaccard) at which two quotes say the same thing
SENTENCE_WORDS = (10, 40)  # a sentence shorter or longer than this does not describe a theme well
STOP = frozenset(["a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "can", "could", "do", "for", "from", "has", "have", "how", "i", "if", "in", "into", "is", "it", "its", "may", "more", "most", "not", "of", "on", "or", "our", "should", "so", "such", "than", "that", "the", "their", "them", "there", "these", "they", "this", "those", "to", "us", "was", "we", "were", "what", "when", "which", "who", "will", "with", "would", "you", "your"])


def sentences(text: str) -> list[str]:
    """An answer's sentences in order (paragraph breaks also end a sentence). Staff choose a key
    quote's excerpt by these numbers (from 1), in ``consult quotes`` and in the browser."""
    out: list[str] = []
    for para in text.split("\n"):
        out.extend(s.strip() for s in _SENTENCE.split(_BULLET.sub("", para)) if s.strip())
    return out


def excerpt(text: str, first: int | None, last: int | None) -> str:
    """Sentences ``first`` to ``last`` (1-based, inclusive) of ``text``; all of it without a range."""
    if first is None:
        return text
    parts = sentences(text)
    chosen = parts[max(first, 1) - 1:(last or first)]
    return " ".join(chosen) if chosen else text


def content_words(text: str) -> list[str]:
    """A quote's own words: not "[... removed]" placeholders or the "[…]" of a cut."""
    return [w for w in _MARKER.sub(" ", text).split() if any(c.isalnum() for c in w)]


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(_MARKER.sub(" ", text.lower())) if w not in STOP}


class QuoteChooser:
    """One per report: a quote is refused when redaction left it too few words of its own, or
    when any of its sentences says what a sentence already quoted says (most of the same words:
    organisations that pasted the same text, or said the same in other words)."""

    def __init__(self) -> None:
        self.taken: list[set[str]] = []  # the word sets of every sentence quoted so far

    @staticmethod
    def _sentence_words(text: str) -> list[set[str]]:
        return [w for w in (_words(s) for s in sentences(text)) if len(w) >= 2]

    def near_duplicate(self, text: str) -> bool:
        return any(len(mine & other) / max(len(mine | other), 1) >= NEAR_DUPLICATE
                   for mine in self._sentence_words(text) for other in self.taken)

    def take(self, text: str) -> bool:
        if len(content_words(text)) < MIN_QUOTE_WORDS or self.near_duplicate(text):
            return False
        self.taken.extend(self._sentence_words(text))
        return True


def ranked_sentences(texts: Iterable[str], terms: Iterable[str] = (), *, limit: int = 12) -> list[tuple[int, str]]:
    """The sentences that best stand for a group of answers, best first: those sharing most words
    with the group as a whole (and its key terms), among sentences of a readable length.
    Each is ``(index of its answer, sentence)``; at most ``limit``, so callers stay linear."""
    texts = list(texts)
    weight: Counter = Counter()
    split = [sentences(t) for t in texts]
    for text in texts:
        weight.update(_words(text))
    for term in terms:
        for w in _words(term):
            weight[w] += len(texts)
    scored: list[tuple[float, int, str]] = []
    for i, parts in enumerate(split):
        for s in parts:
            n = len(content_words(s))
            if not SENTENCE_WORDS[0] <= n <= SENTENCE_WORDS[1] or _MARKER.search(s):
                continue
            scored.append((sum(weight[w] for w in _words(s)) / (n ** 0.5), i, s))
    scored.sort(key=lambda x: (-x[0], x[1]))
    return [(i, s) for _, i, s in scored[:limit]]


def representative_sentence(texts: Iterable[str], terms: Iterable[str] = ()) -> tuple[int, str] | None:
    """The best of :func:`ranked_sentences`, or ``None``."""
    found = ranked_sentences(texts, terms, limit=1)
    return found[0] if found else None

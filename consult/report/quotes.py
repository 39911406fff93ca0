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


def _norm(text: str) -> str:
    return " ".join(_WORD.findall(_MARKER.sub(" ", text.lower())))


class QuoteChooser:
    """One per report: a quote is refused when redaction left it too few words of its own, when it
    opens with a sentence already quoted, or when most of its words are those of a quote already
    taken (organisations that pasted the same text, or said the same in other words)."""

    def __init__(self) -> None:
        self.taken: list[set[str]] = []
        self.texts: list[str] = []
        self.openings: set[str] = set()

    def near_duplicate(self, text: str) -> bool:
        words = _words(text)
        first = _norm(next(iter(sentences(text)), ""))
        if first and first in self.openings:
            return True
        norm = _norm(text)
        if any(norm in other or other in norm for other in self.texts):
            return True
        return any(len(words & other) / max(len(words | other), 1) >= NEAR_DUPLICATE for other in self.taken)

    def take(self, text: str) -> bool:
        if len(content_words(text)) < MIN_QUOTE_WORDS or self.near_duplicate(text):
            return False
        self.taken.append(_words(text))
        self.texts.append(_norm(text))
        first = _norm(next(iter(sentences(text)), ""))
        if first:
            self.openings.add(first)
        return True


def representative_sentence(texts: Iterable[str], terms: Iterable[str] = ()) -> tuple[int, str] | None:
    """The sentence that best stands for a group of answers: the one sharing most words with the
    group as a whole (and its key terms), among sentences of a readable length. Returns
    ``(index of its answer, sentence)``."""
    texts = list(texts)
    weight: Counter = Counter()
    for text in texts:
        weight.update(_words(text))
    for term in terms:
        for w in _words(term):
            weight[w] += len(texts)
    best: tuple[float, int, str] | None = None
    for i, text in enumerate(texts):
        for s in sentences(text):
            n = len(content_words(s))
            if not SENTENCE_WORDS[0] <= n <= SENTENCE_WORDS[1] or _MARKER.search(s):
                continue
            score = sum(weight[w] for w in _words(s)) / (n ** 0.5)
            if best is None or score > best[0]:
                best = (score, i, s)
    return (best[1], best[2]) if best else None

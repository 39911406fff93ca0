"""Tokens and stop words shared by the vectors and the labels."""

from __future__ import annotations

import re

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from consult.analysis.config import CONFIG

TOKEN_RE = re.compile(r"(?u)\b\w\w+\b")
# Stop words, plus what the tokeniser leaves of contractions ("don't" -> "don", "we'll" -> "ll").
STOP = frozenset(ENGLISH_STOP_WORDS) | {
    "don", "doesn", "didn", "isn", "aren", "wasn", "weren", "haven", "hasn", "hadn", "won", "wouldn",
    "couldn", "shouldn", "mustn", "ll", "ve", "re",
}


def clip(t: str | None, limit: int = CONFIG.max_chars) -> str:
    """The text cut to ``limit`` characters, so one huge paste cannot stall the analysis."""
    if not t:
        return ""
    return t if len(t) <= limit else t[:limit]

"""What a search box query means, as FTS5 and as an exact-word filter.

Plain words match by stem (the FTS5 index uses the porter stemmer: ``funding`` finds funded,
funds); ``word*`` matches a prefix; words in double quotes match exactly those words, in that
order, whole (``"funding"`` finds funding and not funded). FTS5 with porter cannot match an
unstemmed word by itself, so a quoted phrase is searched as an FTS5 phrase (which finds every
exact match, and its stem variants too) and the candidates are then kept only when the text holds
the words themselves: :func:`exact_match`, registered as an SQL function by the search.

User text is never FTS5 syntax: every term is quoted before it reaches MATCH.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

# Markers FTS5 highlight() puts around matches. Both are C0 controls, which consult.text.clean()
# removes from displayed text anyway; an answer that itself holds one is shown without highlights.
HL_OPEN, HL_CLOSE = "\x02", "\x03"
EXACT_FUNCTION = "consult_exact_words"  # SQL function name: exact_match(text, patterns)
_SEP = "\x00"  # joins the phrases' patterns in one SQL parameter
_WORD = re.compile(r"\w+")


@dataclass
class Query:
    words: list[str] = field(default_factory=list)  # matched by stem
    prefixes: list[str] = field(default_factory=list)  # matched as word beginnings
    phrases: list[list[str]] = field(default_factory=list)  # exact words, in order

    @property
    def empty(self) -> bool:
        return not (self.words or self.prefixes or self.phrases)

    def fts(self, *, phrases: bool = True) -> str:
        """The FTS5 MATCH expression: every term quoted, all of them required."""
        terms = [_quote(w) for w in self.words] + [_quote(p) + "*" for p in self.prefixes]
        if phrases:
            terms += [_quote(" ".join(p)) for p in self.phrases]
        return " ".join(terms)

    @property
    def exact(self) -> str:
        """The phrases' patterns as one parameter for :func:`exact_match` (``""``: none)."""
        return _SEP.join(phrase_pattern(p) for p in self.phrases)


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def parse(text: str) -> Query:
    """Split a search box's text into stemmed words, prefixes and exact phrases.

    An unclosed quote runs to the end. Terms with no letter or digit are dropped (they match
    nothing and only confuse the tokenizer); a phrase is split into words as the index is.
    """
    query = Query()
    parts = (text or "").split('"')
    for i, part in enumerate(parts):
        if i % 2:  # inside quotes
            words = _WORD.findall(part)
            if words:
                query.phrases.append(words)
            continue
        for raw in part.split():
            prefix = raw.endswith("*") and len(raw.rstrip("*")) > 0
            term = raw.rstrip("*") if prefix else raw
            if not re.search(r"\w", term):
                continue
            (query.prefixes if prefix else query.words).append(term)
    return query


def fts_query(text: str) -> str:
    """The FTS5 MATCH expression for a search box's text (``""`` when nothing is searchable)."""
    return parse(text).fts()


def phrase_pattern(words: list[str]) -> str:
    """A regex for the words, whole and in order, with any non-word characters between them."""
    return r"(?<!\w)" + r"\W+".join(re.escape(w) for w in words) + r"(?!\w)"


@lru_cache(maxsize=32)
def _compiled(patterns: str) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in patterns.split(_SEP) if p)


def exact_match(text: str | None, patterns: str) -> int:
    """1 when ``text`` holds every phrase of ``patterns`` (from :attr:`Query.exact`), else 0."""
    if text is None:
        return 0
    return int(all(p.search(text) for p in _compiled(patterns)))


def exact_spans(text: str, patterns: str) -> list[tuple[int, int]]:
    """Where the exact phrases occur in ``text``, for highlighting."""
    return [m.span() for p in _compiled(patterns) for m in p.finditer(text)]


def split_highlight(marked: str) -> tuple[str, list[tuple[int, int]]]:
    """Plain text and ``(start, end)`` spans from text carrying highlight markers."""
    plain: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    start = None
    for chunk in re.split(f"([{HL_OPEN}{HL_CLOSE}])", marked):
        if chunk == HL_OPEN:
            start = pos
        elif chunk == HL_CLOSE:
            if start is not None and pos > start:
                spans.append((start, pos))
            start = None
        else:
            plain.append(chunk)
            pos += len(chunk)
    return "".join(plain), spans


def merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans with overlaps joined."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def describe(query: Query, forms: list[str]) -> str:
    """How the query matched, for the line under the search box.

    ``forms`` are the words the stemmed terms actually matched in the results shown, most
    frequent first (see :func:`matched_forms`).
    """
    parts = []
    if query.words:
        shown = ", ".join(forms[:6]) + ("…" if len(forms) > 6 else "")
        parts.append(f"Matched by stem: {shown or ', '.join(query.words)}; "
                     f"\"{query.words[0]}\" in quotes matches just that word")
    if query.prefixes:
        parts.append(" ".join(f"{p}*" for p in query.prefixes) + " matches words that start so")
    if query.phrases:
        quoted = ", ".join('"' + " ".join(p) + '"' for p in query.phrases)
        parts.append(f"{quoted} matched exactly")
    return "; ".join(parts) + "." if parts else ""


def matched_forms(rows, query: Query) -> list[str]:
    """The distinct words (lower case) the stemmed and prefix terms matched in ``rows``' spans,
    most frequent first; the exact phrases' own words are left out."""
    exact = {" ".join(p).casefold() for p in query.phrases}
    counts: dict[str, int] = {}
    for row in rows:
        for start, end in row.spans:
            form = row.text[start:end].casefold()
            if form and form not in exact and " " not in form:
                counts[form] = counts.get(form, 0) + 1
    return sorted(counts, key=lambda f: (-counts[f], f))

"""Labels and key terms of a group of answers, from the words its members wrote.

Labels are the most distinctive phrase (bigram/trigram actually written in the members'
answers), falling back to the top two or three words; never stems. (``consult.labels`` is
the labelling of contract 3; this is the analysis's own, kept until the call site moves.)
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer

from consult.analysis.config import CONFIG, AnalysisConfig
from consult.analysis.words import STOP, TOKEN_RE, clip

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
    clipped = clip(text).lower()
    out = [t for t in TOKEN_RE.findall(clipped) if t not in STOP and not t.isdigit()]
    for clause in _CLAUSE_RE.split(clipped):
        toks = TOKEN_RE.findall(clause)
        for n in (2, 3):
            for i in range(len(toks) - n + 1):
                g = toks[i : i + n]
                first, last = g[0], g[-1]
                if first in STOP or last in STOP or first.isdigit() or last.isdigit():
                    continue
                if first in _WEAK_EDGE or last in _WEAK_EDGE:
                    continue
                if any(w in STOP and w not in _CONNECTORS for w in g[1:-1]):
                    continue
                if len(set(g)) < n:
                    continue
                out.append(" ".join(g))
    return out


def _as_is(doc: list[str]) -> list[str]:
    """The analyzer for answers already cut into phrases."""
    return doc


def describe(texts: list[str], groups: list[list[int]], seed: int,
             config: AnalysisConfig = CONFIG,
             phrases: dict[int, list[str]] | None = None) -> list[tuple[str, list[str]]]:
    """(label, terms) per group, scored by how much more often a term occurs in the group than
    in all answers (document frequency), p_in * log(p_in / p_all)."""
    rng = np.random.default_rng(seed)
    cap = config.label_sample
    sample_groups = [
        g if len(g) <= cap else sorted(rng.choice(g, cap, replace=False).tolist()) for g in groups
    ]
    all_idx = sorted({i for g in sample_groups for i in g})
    if not all_idx:
        return [("", []) for _ in groups]
    pos = {i: j for j, i in enumerate(all_idx)}
    # ``phrases`` (answer index -> its phrases) is shared by the calls of one analysis, so the
    # broad themes' labels do not read every answer a second time
    phrases = {} if phrases is None else phrases
    for i in all_idx:
        if i not in phrases:
            phrases[i] = _phrase_analyzer(texts[i])
    docs = [phrases[i] for i in all_idx]
    cv = CountVectorizer(analyzer=_as_is, binary=True, min_df=2, dtype=np.float32)
    try:
        M = cv.fit_transform(docs).tocsr()
    except ValueError:
        cv = CountVectorizer(analyzer=_as_is, binary=True, dtype=np.float32)
        try:
            M = cv.fit_transform(docs).tocsr()
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
            if score[j] <= 0 or len(terms) >= config.max_terms:
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
        for m in pat.finditer(clip(t)):
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

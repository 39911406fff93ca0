"""Theme labels and descriptions built from what members wrote (playbook contract 3).

Pure: lists of strings in, :class:`GroupLabel` out; no store, no display, no network.

- A **label** is a phrase members actually wrote (2-6 words, a light noun-phrase heuristic with
  no part-of-speech tagger: it neither starts nor ends on a stop word, a light verb or a hanging
  modifier), distinctive for its group against the other groups, and supported by at least
  :data:`MIN_SUPPORT` of the group's answers. When no phrase is, the label joins the group's two
  best-supported distinctive terms ("Funding and commissioning") and ``basis`` says so.
- A **description** is one sentence built from the group's distinctive phrases, so a codebook
  never stores one person's words. The group's most representative sentence (nearest the
  group's centroid, holding the label's words) is given separately as ``example`` with the index
  of the answer it came from, for a report to quote under its consent rule.

Inputs pass through :func:`consult.text.clean` and :func:`consult.text.strip_contacts` first, so
no control character, e-mail address, phone number or postcode reaches a label, term or example.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from consult.phrases import (
    INFLECTED_MARK,
    MAX_PHRASE_WORDS,
    SENTENCE,
    Corpus,
    content,
    stems,
)
from consult.text import cap_first, clean, strip_contacts

#: A label must be supported by more than this share of its group's answers (a majority): a
#: label that only some of the answers bear out misleads ("Mental health" for 2 of 8 answers).
MIN_SUPPORT = 0.5
#: A label is a short phrase a reader takes in at a glance.
MIN_LABEL_WORDS, MAX_LABEL_WORDS = 2, MAX_PHRASE_WORDS
#: A term or label must be at least this many times more frequent in its group than in the rest,
#: or it says nothing about this group in particular.
MIN_LIFT = 2.0
#: Longer phrases say more; each extra content word adds this much to a phrase's score.
LENGTH_BONUS = 0.15
#: Answers read per group, and in all, so labelling stays fast on very large questions: the
#: share of 250 answers holding a phrase is within about 6 points of the whole group's (two
#: standard errors at most), enough to tell a majority; reading all of 12,000 took 3 s more.
SAMPLE_PER_GROUP = 400
SAMPLE_TOTAL = 2000
#: Each answer is cut to this many characters before its phrases are read.
MAX_CHARS = 5000
#: Phrases that are scored exactly for support, per group (the rest are ranked out first).
CANDIDATES = 80
#: A fallback label joins two of this many most distinctive terms.
FALLBACK_POOL = 6
#: Terms kept per group, and the longest term in words (terms are keywords, not sentences).
MAX_TERMS = 8
MAX_TERM_WORDS = 3
#: A phrase that the group's answers nearly always continue the same way is a fragment of the
#: longer phrase ("work with the hardest" of "... to reach"), not a label.
FRAGMENT_SHARE = 0.8
#: A single word in a fallback label may be one that often modifies the next ("health [care]")
#: but not one that nearly always does ("joint [training]").
MIN_END_HEADNESS = 0.25
#: Answers nearest the centre whose sentences compete to be the example.
EXAMPLE_ROWS = 50
#: The example sentence: preferred length in words, and the longest shown before it is cut.
EXAMPLE_WORDS = (6, 40)
EXAMPLE_MAX_CHARS = 240
#: Who the description speaks of.
SUBJECT = "members in this theme"

BASIS_PHRASE, BASIS_TERMS, BASIS_NONE = "phrase", "terms", "none"
_MAYBE_CONTACT = re.compile(r"[\d@]|\b(?:at|dot)\b", re.IGNORECASE)
@dataclass(frozen=True)
class GroupLabel:
    """What one group of answers is about, in words members used.

    ``support`` is the share of the group's answers that contain every word of the label (for a
    ``"terms"`` label "A and B", either term); ``basis`` is ``"phrase"`` when a phrase members wrote met
    :data:`MIN_SUPPORT`, ``"terms"`` for the two-term fallback, ``"none"`` when there were no
    words to use. ``description`` is ``phrase_description`` (never one person's words);
    ``example`` is the group's most representative sentence, from answer ``example_index``
    (-1 when none): quote it only under the consent rule.
    """

    label: str
    description: str
    terms: tuple[str, ...]
    support: float
    phrase_description: str = ""
    example: str = ""
    example_index: int = -1
    basis: str = BASIS_NONE



@dataclass
class _Option:
    keys: tuple[str, ...]  # one phrase, or the two terms of a fallback label
    support: float
    score: float
    basis: str


class _Group:
    """One group's distinctive phrases, terms and label options."""

    def __init__(self, corpus: Corpus, inside: np.ndarray):
        self.corpus, self.inside = corpus, inside
        n_g, n_r = int(inside.sum()), int((~inside).sum())
        self.n_g, self.n_r = n_g, n_r
        a = np.asarray(corpus.K[inside].sum(0)).ravel()
        b = np.asarray(corpus.K.sum(0)).ravel() - a
        self.lift = self._lift(a, b)
        self.p_in = a / max(n_g, 1)
        enough = a >= min(2, n_g)  # a term two members wrote, not one person's turn of phrase
        self.score = np.where(enough & (self.lift >= MIN_LIFT), self.p_in * np.log(self.lift), 0.0)
        if not (self.score > 0).any():  # nothing clearly distinctive: say what it has most of
            self.score = np.where(enough & (self.lift > 1), self.p_in * np.log(self.lift), 0.0)

    def _lift(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        if self.n_r == 0:  # one group: nothing to compare with, so support alone decides
            return np.full(np.shape(a), np.e)
        return ((a + 0.5) / (self.n_g + 1)) / ((b + 0.5) / (self.n_r + 1))

    def has(self, key: str) -> np.ndarray:
        """Which answers hold every content word of the phrase (by stem, anywhere)."""
        ids = [self.corpus.stem_id.get(w) for w in content(key)]
        if not ids or None in ids:
            return np.zeros(self.corpus.S.shape[0], dtype=bool)
        return np.asarray(self.corpus.S[:, ids].sum(1)).ravel() >= len(ids)

    def support(self, mask: np.ndarray) -> tuple[float, float]:
        """(share of the group's answers in ``mask``, its lift against the rest)."""
        a, b = int(mask[self.inside].sum()), int(mask[~self.inside].sum())
        return a / max(self.n_g, 1), float(self._lift(np.array(a), np.array(b)))

    def ranked(self, *, phrases: bool) -> list[int]:
        keys = self.corpus.keys
        order = np.argsort(-self.score, kind="stable")
        out = []
        for j in order[: CANDIDATES * 20]:
            if self.score[j] <= 0 or len(out) >= CANDIDATES:
                break
            words = keys[j].lstrip(INFLECTED_MARK).split(" ")
            if self.corpus.is_verb(words[-1]):
                continue  # "clients simply stop"
            if keys[j].startswith(INFLECTED_MARK) and self.corpus.is_verb(words[0]):
                continue  # "depends on the LIO"
            if phrases and any(self.p_in[e] >= FRAGMENT_SHARE * self.p_in[j]
                               for e in self.corpus.longer.get(int(j), ())):
                continue  # "work with the hardest", nearly always "... to reach": a fragment
            if phrases == (self.corpus.key_n[j] >= MIN_LABEL_WORDS):
                out.append(int(j))
        return out

    def options(self) -> tuple[list[_Option], list[str]]:
        keys = self.corpus.keys
        phrases = self.ranked(phrases=True)
        opts = []
        for j in phrases:
            sup, lift = self.support(self.has(keys[j]))
            if sup > MIN_SUPPORT and lift >= MIN_LIFT:
                exact = float(self.p_in[j])
                bonus = 1 + LENGTH_BONUS * (len(content(keys[j])) - 1)
                opts.append(_Option((keys[j],), sup, (sup + exact) / 2 * np.log(lift) * bonus,
                                    BASIS_PHRASE))
        opts.sort(key=lambda o: -o.score)
        singles = self.ranked(phrases=False)
        terms = self._terms(sorted(phrases + singles, key=lambda j: -self.score[j]))
        opts.extend(self._fallback(sorted(phrases + singles, key=lambda j: -self.score[j])))
        return opts, terms

    def _terms(self, ranked: list[int]) -> list[str]:
        out: list[str] = []
        for j in ranked:
            key = self.corpus.keys[j]
            words = set(content(key))
            if self.corpus.key_n[j] > MAX_TERM_WORDS:
                continue
            if any(words <= set(content(t)) or set(content(t)) <= words for t in out):
                continue
            out.append(key)
            if len(out) == MAX_TERMS:
                break
        return out

    def _n(self, key: str) -> int:
        return self.corpus.key_n[self.corpus.key_id[key]]

    def _fallback(self, ranked: list[int]) -> list[_Option]:
        """The two best terms (share of the group's answers x log lift: well supported and
        distinctive) that can stand alone, as "A and B" (support: the share mentioning either)."""
        keys = self.corpus.keys
        pool = [keys[j] for j in ranked if self.corpus.key_n[j] > 1
                or self.corpus.is_head(keys[j].split(" ")[-1], MIN_END_HEADNESS)]
        pool = pool[:FALLBACK_POOL] or [keys[j] for j in ranked[:FALLBACK_POOL]]
        masks = {k: self.has(k) for k in pool}
        pairs = []
        for x, first in enumerate(pool):
            for y, second in enumerate(pool[x + 1:], start=x + 1):
                if set(content(first)) & set(content(second)) or " and " in first + " " + second:
                    continue  # shared words, or "A and B and C"
                if self._n(first) + self._n(second) + 1 > MAX_LABEL_WORDS:
                    continue
                pairs.append((x + y, x, first, second))
        pairs.sort(key=lambda p: p[:2])
        out = [_Option((a, b), self.support(masks[a] | masks[b])[0], 0.0, BASIS_TERMS)
               for _rank, _x, a, b in pairs[:3]]
        if not out and pool:
            out = [_Option((pool[0],), self.support(masks[pool[0]])[0], 0.0, BASIS_TERMS)]
        return out


def _choose(groups: list[_Group], options: list[list[_Option]]) -> list[_Option | None]:
    """Each group's best option, no two groups with the same label: the group with the strongest
    claim keeps a phrase; the other takes its next option."""
    chosen: list[_Option | None] = [None] * len(groups)
    taken: set[tuple[str, ...]] = set()
    order = sorted(range(len(groups)), key=lambda g: -(options[g][0].score if options[g] else 0))
    for g in order:
        for opt in options[g]:
            if opt.keys not in taken:
                chosen[g] = opt
                break
        else:
            chosen[g] = options[g][0] if options[g] else None
        if chosen[g] is not None:
            taken.add(chosen[g].keys)
    return chosen


def label_groups(texts: Sequence[str | None], groups: Sequence[Sequence[int]], *,
                 seed: int = 0) -> list[GroupLabel]:
    """A :class:`GroupLabel` per group of answer indices; the same inputs and seed give the
    same labels. Groups are read against each other, so pass all of a question's groups."""
    rng = np.random.default_rng(seed)
    per_group = min(SAMPLE_PER_GROUP, max(50, SAMPLE_TOTAL // max(len(groups), 1)))
    sampled = [sorted(int(i) for i in g) if len(g) <= per_group else
               sorted(rng.choice(sorted(int(i) for i in g), per_group, replace=False).tolist())
               for g in groups]
    rows = sorted({i for g in sampled for i in g})
    if not rows:
        return [GroupLabel("", "", (), 0.0) for _ in groups]
    row_of = {i: r for r, i in enumerate(rows)}
    corpus = Corpus([_plain(texts[i]) for i in rows])
    inside = np.zeros((len(groups), len(rows)), dtype=bool)
    for g, idx in enumerate(sampled):
        inside[g, [row_of[i] for i in idx]] = True
    readers = [_Group(corpus, inside[g]) for g in range(len(groups))]
    found = [r.options() for r in readers]
    chosen = _choose(readers, [opts for opts, _ in found])
    examples = _Examples(corpus)
    out = []
    for g, reader in enumerate(readers):
        opt, terms = chosen[g], found[g][1]
        members = np.flatnonzero(inside[g]).tolist()
        if opt is not None:  # the label's own phrase leads the terms, not its separate words
            terms = list(opt.keys) + [t for t in terms if not any(
                set(content(t)) <= set(content(k)) or set(content(k)) <= set(content(t))
                for k in opt.keys)]
            terms = terms[:MAX_TERMS]
        needed = set(terms) | (set(opt.keys) if opt else set())
        forms = corpus.forms(members, needed) if needed else {}
        if opt is None:
            out.append(GroupLabel("", "", tuple(forms[t] for t in terms), 0.0))
            continue
        words = " and ".join(forms[k] for k in opt.keys)
        if len(words.split()) < MIN_LABEL_WORDS:  # one lone word: say what it is
            words = f"mentions of {words}"
        example, ex_row = examples.nearest(reader, opt.keys)
        desc = _phrase_description(reader, opt, terms, forms)
        out.append(GroupLabel(
            label=cap_first(words), description=desc, terms=tuple(forms[t] for t in terms),
            support=round(opt.support, 4), phrase_description=desc, example=example,
            example_index=rows[ex_row] if ex_row >= 0 else -1, basis=opt.basis))
    return out


def _plain(text: str | None) -> str:
    """Control characters out, and contact details (which need a digit, "@" or a spelled-out
    "at"/"dot") taken out before any phrase is read."""
    text = clean(text)[:MAX_CHARS]
    return strip_contacts(text) if _MAYBE_CONTACT.search(text) else text


_QUANTITIES = ("most", "over half of the", "some", "a few")


def is_phrase_description(text: str) -> bool:
    """Whether a description is one this module built (not staff's or a member's words): the
    report may prefer a consenting member's sentence to it."""
    low = text.strip().lower()
    return any(low.startswith(f"{q} {SUBJECT} mention ") for q in _QUANTITIES)


def _quantity(share: float) -> str:
    if share >= 0.75:
        return _QUANTITIES[0]
    if share > MIN_SUPPORT:
        return _QUANTITIES[1]
    return _QUANTITIES[2] if share >= 0.2 else _QUANTITIES[3]


def _phrase_description(reader: _Group, opt: _Option, terms: list[str],
                        forms: dict[str, str]) -> str:
    """One plain sentence from the group's distinctive phrases: never one person's words."""
    used = {w for k in opt.keys for w in content(k)}
    extra = [t for t in terms if not used & set(content(t)) and " and " not in forms[t]
             and reader.corpus.is_head(content(t)[-1])][:2]
    if opt.basis == BASIS_PHRASE:
        lead = f"{_quantity(opt.support)} {SUBJECT} mention {forms[opt.keys[0]]}"
    else:
        either = np.zeros(reader.corpus.S.shape[0], dtype=bool)
        for k in opt.keys:
            either |= reader.has(k)
        named = " or ".join(forms[k] for k in opt.keys)
        lead = f"{_quantity(reader.support(either)[0])} {SUBJECT} mention {named}"
    if extra:
        listed = " and ".join(forms[t] for t in extra)
        lead += f"; some also raise {listed}"
    return cap_first(lead) + "."


class _Examples:
    """The sentence nearest a group's centroid, in TF-IDF space over the sampled answers."""

    def __init__(self, corpus: Corpus):
        self.corpus = corpus
        S = corpus.S.tocsr()
        df = np.asarray((S > 0).sum(0)).ravel()
        self.idf = (np.log((S.shape[0] + 1) / (df + 1)) + 1).astype(np.float32)
        D = S.multiply(self.idf[None, :]).tocsr()
        norms = np.sqrt(np.asarray(D.multiply(D).sum(1)).ravel())
        self.D = sp.diags(1 / np.maximum(norms, 1e-12)) @ D

    def nearest(self, reader: _Group, keys: tuple[str, ...]) -> tuple[str, int]:
        rows = np.flatnonzero(reader.inside)
        centre = np.asarray(self.D[rows].mean(0)).ravel()
        if not rows.size or not centre.any():
            return "", -1
        central = rows[np.argsort(-(self.D[rows] @ centre), kind="stable")[:EXAMPLE_ROWS]]
        want = [set(content(k)) for k in keys]
        lo, hi = EXAMPLE_WORDS
        best: tuple[float, int, str] = (-np.inf, -1, "")
        for r in sorted(central.tolist()):
            for sentence in SENTENCE.split(self.corpus.texts[r]):
                flat = " ".join(sentence.split()).lstrip("-–—•* ")
                have = set(stems(flat))
                ids = [self.corpus.stem_id[w] for w in have if w in self.corpus.stem_id]
                if not ids:
                    continue
                v = self.idf[ids]
                score = float(v @ centre[ids]) / float(np.linalg.norm(v))
                score += 1.0 if any(w <= have for w in want) else 0.0
                score += 0.5 if lo <= len(flat.split()) <= hi else 0.0
                if score > best[0]:
                    best = (score, r, flat)
        _, r, flat = best
        if len(flat) > EXAMPLE_MAX_CHARS:
            flat = flat[: EXAMPLE_MAX_CHARS].rsplit(" ", 1)[0].rstrip(",;:-–—") + "…"
        return flat, r



"""Phrases as members wrote them, read without a part-of-speech tagger (for consult.labels).

A candidate phrase is 1-6 words within one clause that neither opens nor closes on a stop word,
a light verb, an adverb or a hanging modifier, with only connectors ("of", "for", "the" after a
preposition) inside and no run of more than three content words. Each is keyed by its words'
stems, so "court report" and "court reports" count once. While reading, the corpus also learns
which words members capitalise in mid-sentence, which mostly follow a pronoun or modal (verbs)
and which mostly end a phrase (heads, not modifiers).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

#: Longest phrase read, in words.
MAX_PHRASE_WORDS = 6
#: A unigram is a usable term on its own when it ends a phrase (is a head, not a modifier like
#: "joint" in "joint training") at least this often.
MIN_HEADNESS = 0.5
#: Answers read to find how members wrote a phrase.
FORM_ROWS = 300

# Words that may stand inside a phrase ("payment by results", "access to the panel").
INNER = frozenset({"of", "for", "and", "by", "to", "in", "on", "with", "from", "at", "the", "a",
                    "an", "into", "between", "against", "without", "under"})
# Content words that sklearn counts as stop words ("justice system", "conflict of interest").
_NOTSTOP = frozenset({"bill", "fire", "system", "interest", "part", "front", "full", "detail",
                       "call", "name", "side", "move", "top", "bottom", "amount", "serious",
                       "empty", "keep"})
STOP = (frozenset(ENGLISH_STOP_WORDS) - _NOTSTOP) | {
    "don", "doesn", "didn", "isn", "aren", "wasn", "weren", "haven", "hasn", "hadn", "won",
    "wouldn", "couldn", "shouldn", "ll", "ve", "re", "yes", "ok", "okay", "just", "like", "really",
    "lot", "lots", "things", "thing", "way", "ways", "kind", "sort", "quite", "think", "believe",
    "feel", "say", "said", "did", "does", "doing", "got", "i'm", "we're", "it's", "we've", "don't",
    "can't", "won't", "they're", "that's", "there's", "let", "also", "etc", "able", "unless",
    "make", "makes", "making", "need", "needs", "needed", "want", "wants", "wanted", "know",
    "going", "come", "comes", "came", "use", "used", "using", "help", "helps", "take", "taken",
    "takes", "give", "given", "gives", "set", "try", "tried", "seem", "seems", "mean", "means",
    "look", "looks", "tell", "told", "ask", "asked", "went", "goes", "put", "puts", "getting",
    "gets", "per", "cent", "percent", "having", "depends", "depend", "rely",
    "relies", "matters", "took", "gave", "saw", "felt", "kept", "spent", "brought", "thought",
    "began", "wrote", "knew", "meant", "sent", "understand", "understands", "understood",
    "recognise", "recognises", "recognize", "recognizes", "agree", "agrees", "hope", "expect",
    "suggest", "suggests", "consider", "ensure", "ensures",
}
# Modifiers and adverbs that leave a phrase hanging at either end ("funded through small").
_WEAK_EDGE = frozenset({
    "small", "large", "big", "different", "new", "good", "bad", "better", "best", "real", "main",
    "likely", "own", "direct", "early", "wider", "larger", "smaller", "clear", "simply", "usually",
    "often", "already", "still", "barely", "rarely", "example", "examples", "including",
    "couple", "available", "important", "particular", "particularly", "certain", "specific",
    "current", "currently", "key", "major", "great", "high", "low", "little", "long", "short",
    "far", "instead", "especially", "significant", "possible", "potential", "general", "huge",
})
# Words after which the next word is almost always a verb ("we spent", "would welcome").
_VERB_CUE = frozenset({"we", "they", "i", "you", "he", "she", "it", "who", "will", "would", "can",
                       "could", "should", "must", "may", "might", "shall", "cannot", "not",
                       "don't", "doesn't", "didn't", "won't", "wouldn't", "are", "is", "be",
                       "been", "was", "were", "being", "we're", "they're", "i'm", "it's"})
# Words ending in -ly that are not adverbs; any other -ly word ends a phrase ("clients simply").
_LY_WORDS = frozenset({"family", "supply", "assembly", "ally", "italy", "july", "rally", "reply",
                       "anomaly", "monopoly", "bully", "early", "elderly", "friendly", "costly",
                       "timely", "daily", "weekly", "monthly", "yearly", "quarterly", "likely",
                       "lonely", "orderly", "holy", "ugly", "fly", "only", "apply", "comply"})
_DETERMINERS = frozenset({"the", "a", "an"})
#: At most this many content words in a row without a connector: longer runs are clauses
#: ("offender-led businesses show people"), not names of things.
MAX_RUN = 3
# A phrase opening on an inflected verb ("depends on the LIO", "understands funding") is a
# clause; its key carries this mark until the verb test can be made.
_INFLECTED = ("s", "ed", "ing")
INFLECTED_MARK = "~"

# A number ends a phrase too: "80% core funding and 20% on outcomes" holds no phrase
# "funding and on outcomes".
_CLAUSE = re.compile(r"[.,;:!?()\[\]{}<>\"“”‘/|*=+#~]+|’(?!\w)|(?<!\w)'|'(?!\w)|\s[-–—]+\s|\n"
                     r"|[£$€]?\d[\d,.]*(?:%|\w*)")
SENTENCE = re.compile(r"(?<=[.!?])[\"'”’)]*\s+|\n+")
_TOKEN = re.compile(r"[^\W\d_](?:[^\W\d_]|['’-](?=[^\W\d_]))*")


@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A light suffix-stripper, enough to count "fund", "funds", "funded" and "funding" once."""
    w = word.lower().replace("’", "'")
    if "-" in w:  # "cash-flow" counts as "cash flow"
        return " ".join(stem(p) for p in w.split("-") if p)
    if w.endswith("'s"):
        w = w[:-2]
    for suffix, repl, min_len in (("ies", "y", 5), ("sses", "ss", 5), ("ing", "", 6), ("ed", "", 5),
                                  ("ches", "ch", 5), ("shes", "sh", 5), ("xes", "x", 4),
                                  ("s", "", 4)):
        if w.endswith(suffix) and len(w) >= min_len and not (suffix == "s" and w.endswith(("ss", "us", "is"))):
            w = w[: len(w) - len(suffix)] + repl
            if suffix in ("ing", "ed") and len(w) > 3 and w[-1] == w[-2] and w[-1] not in "ls":
                w = w[:-1]
            break
    return w


def words_of(text: str) -> list[str]:
    """The words of a text as the labeller sees them (letters, inner hyphens and apostrophes)."""
    return _TOKEN.findall(text)

class Corpus:
    """Phrases (keyed by their stems), word stems and casing, read once from the answers."""

    def __init__(self, texts: list[str]):
        self.texts = texts
        self.key_id: dict[str, int] = {}
        self.stem_id: dict[str, int] = {}
        self.casing: dict[str, Counter[str]] = {}
        self.verbish: Counter[str] = Counter()
        self.heads: Counter[str] = Counter()
        self.seen: Counter[str] = Counter()
        self.key_n: list[int] = []  # words in each phrase as written ("cash-flow" is one)
        key_rows, stem_rows = [], []
        done: dict[str, tuple[list[int], list[int]]] = {}
        for text in texts:
            if text in done:  # a pasted campaign text is read once
                key_rows.append(done[text][0])
                stem_rows.append(done[text][1])
                continue
            keys: set[int] = set()
            stems: set[int] = set()
            for key, n, _i, _raw, _opens in self._phrases(text, learn=stems):
                kid = self.key_id.get(key)
                if kid is None:
                    kid = self.key_id[key] = len(self.key_id)
                    self.key_n.append(n)
                elif n > self.key_n[kid]:  # "supply-chain" and "supply chain" share a key
                    self.key_n[kid] = n
                keys.add(kid)
            done[text] = sorted(keys), sorted(stems)
            key_rows.append(done[text][0])
            stem_rows.append(done[text][1])
        self.keys = list(self.key_id)
        # the longer phrases that open with each phrase ("work with the hardest" -> "... to reach")
        self.longer: dict[int, list[int]] = {}
        for kid, key in enumerate(self.keys):
            words = key.split(" ")
            for m in range(1, len(words)):
                head = self.key_id.get(" ".join(words[:m]))
                if head is not None:
                    self.longer.setdefault(head, []).append(kid)
        # how often a content word ends a phrase here, as a share of 1/2 (prose is about 1/2)
        self.head_rate = min(1.0, 2 * sum(self.heads.values()) / max(sum(self.seen.values()), 1))
        self.K = _binary(key_rows, len(self.key_id))
        self.S = _binary(stem_rows, len(self.stem_id)).tocsc()

    def _phrases(self, text: str, learn: set[int] | None = None):
        """(key, words, start, clause words, clause opens its sentence) of every candidate
        phrase in the text; while ``learn`` is given, also note casing, verb cues, heads and the
        text's stems."""
        for sentence in SENTENCE.split(text):
            first = True
            for clause in _CLAUSE.split(sentence):
                raw = words_of(clause)
                if not raw:
                    continue
                info = [_word(w) for w in raw]
                if learn is not None:
                    self._learn(raw, info, first, learn)
                opens, first = first, False
                size = len(info)
                for i in range(size):
                    if not info[i].edge:
                        continue
                    run = 0
                    for n in range(1, min(MAX_PHRASE_WORDS, size - i) + 1):
                        w = info[i + n - 1]
                        prev = info[i + n - 2] if n > 1 else None
                        if prev is not None and w.stop and not w.inner:
                            break  # a stop word that is not a connector ends every longer phrase
                        if w.adverb or (w.det and (prev is None or not prev.inner or prev.det)):
                            break  # "groups the CVS": a new noun phrase, not this one
                        run = 0 if w.inner else run + 1
                        if run > MAX_RUN or (run > 1 and prev.plural):
                            break  # "localism rewards loud": a verb, not a compound noun
                        if not w.edge or (prev is not None and w.ing and prev.low.endswith("s")):
                            continue  # "organisations working": a clause, not a thing
                        key = " ".join(x.stem for x in info[i: i + n])
                        if n > 1 and info[i].inflected:
                            key = INFLECTED_MARK + key
                        yield key, n, i, raw, opens

    def _learn(self, raw: list[str], info: list[_Word], first: bool, learn: set[int]) -> None:
        for j, (w, x) in enumerate(zip(raw, info, strict=True)):
            if not (first and j == 0):
                cased = self.casing.get(x.low)
                if cased is None:
                    cased = self.casing[x.low] = Counter()
                cased[w] += 1
            if x.stop or not x.parts:
                continue
            last = x.parts[-1]
            self.seen[last] += 1
            if j and info[j - 1].low in _VERB_CUE:
                self.verbish[last] += 1
            if j + 1 == len(info) or info[j + 1].stop:
                self.heads[last] += 1
            for part in x.parts:
                learn.add(self.stem_id.setdefault(part, len(self.stem_id)))

    def is_verb(self, st: str) -> bool:
        """Mostly met right after a subject pronoun, a modal or "is": a verb, not a noun."""
        return self.verbish[st] * 2 > self.seen[st]

    def is_head(self, st: str, share: float = MIN_HEADNESS) -> bool:
        """Ends a phrase ("training") at least ``share`` of the time, rather than modifying the
        next word ("joint"); in text without punctuation (few phrase ends) proportionally less."""
        return self.heads[st] >= share * self.head_rate * max(self.seen[st], 1)

    def forms(self, rows: Sequence[int], keys: set[str]) -> dict[str, str]:
        """How members most often wrote each phrase, with capitals ("NHS", "Probation") only
        where members use them in mid-sentence."""
        seen: dict[str, Counter[str]] = {k: Counter() for k in keys}
        cased_forms: dict[str, Counter[str]] = {k: Counter() for k in keys}
        for r in rows[:FORM_ROWS]:
            for key, n, i, raw, opens in self._phrases(self.texts[r]):
                if key in seen:
                    written = " ".join(raw[i: i + n])
                    seen[key][written.lower().replace("’", "'")] += 1
                    if not (opens and i == 0):
                        cased_forms[key][written] += 1
        out = {}
        for key, forms in seen.items():
            form = forms.most_common(1)[0][0] if forms else key
            as_written = [(c, f) for f, c in cased_forms[key].items() if f.lower() == form]
            if as_written:
                count, written = max(as_written)
                if count * 2 > sum(c for c, _ in as_written):
                    out[key] = written  # "Integrated Offender Management", "payment by results"
                    continue
            words = []
            for w in form.split(" "):
                cased = self.casing.get(w)
                best = cased.most_common(1)[0][0] if cased else w
                words.append(best if best != w and cased[best] * 2 > sum(cased.values()) else w)
            out[key] = " ".join(words)
        return out


@dataclass(frozen=True)
class _Word:
    low: str
    stem: str  # the word itself for stop words; "cash flow" for "cash-flow"
    parts: tuple[str, ...]  # its content stems
    stop: bool
    inner: bool
    det: bool
    edge: bool  # may open or close a phrase
    adverb: bool
    plural: bool
    ing: bool
    inflected: bool


@lru_cache(maxsize=1 << 16)
def _word(raw: str) -> _Word:
    low = raw.lower().replace("’", "'")
    st = low if low in STOP else stem(low)
    return _Word(low, st, tuple(p for p in st.split(" ") if p not in STOP) if low not in STOP
                 else (), low in STOP, low in INNER, low in _DETERMINERS, _edge_ok(low),
                 _adverb(low), _plural(low), low.endswith("ing"),
                 st != low and low.endswith(_INFLECTED))


def _edge_ok(word: str) -> bool:
    return not (word in STOP or word in _WEAK_EDGE or len(word) < 2 or _adverb(word))


def _plural(word: str) -> bool:
    """A plural or third-person word: English compounds take singular modifiers ("service
    users"), so a content word after one starts a new phrase."""
    return word.endswith("s") and not word.endswith(("ss", "us", "is", "'s")) and stem(word) != word


def _adverb(word: str) -> bool:
    return word.endswith("ly") and word not in _LY_WORDS


def _binary(rows: list[list[int]], width: int) -> sp.csr_matrix:
    indptr = np.cumsum([0] + [len(r) for r in rows])
    indices = np.fromiter((j for r in rows for j in r), dtype=np.int64, count=int(indptr[-1]))
    data = np.ones(len(indices), dtype=np.float32)
    return sp.csr_matrix((data, indices, indptr), shape=(len(rows), max(width, 1)))


def content(key: str) -> list[str]:
    return [w for w in key.lstrip(INFLECTED_MARK).split(" ") if w not in STOP]




def stems(text: str) -> list[str]:
    return [stem(w) for w in (t.lower().replace("’", "'") for t in words_of(text)) if w not in STOP]

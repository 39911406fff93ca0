"""What the report may say about respondents: consent, attribution, small cells, quote text.

Rules, in one place so they can be read and tested:

- A quote comes only from a counted, *submitted* response whose consent for purpose ``quote`` is
  given. A draft has not confirmed its consent, so it is never quoted, even with
  ``--include-drafts``.
- The organisation (the profile field with role ``organisation``) is named only with consent for
  purpose ``name``. Otherwise the quote is attributed from type, region and income ("A registered
  charity in the West Midlands, income £100,000 to £1 million"), using the most specific
  description that at least :data:`MIN_COUNT` counted respondents share (a region may be
  named by the wider area the bank groups it in), else
  "anonymous respondent". Without naming consent the organisation's own name is also taken out of
  the quoted text.
- Personal profile fields (``personal = true``) never appear; their values are taken out of any
  quoted text too.
- Every quote is cleaned (control characters), and e-mail addresses, phone numbers and postcodes
  are redacted (:func:`consult.text.redact`).
- Which quote is taken (near-duplicates, excerpts) is :mod:`consult.report.quotes`; small
  numbers are :mod:`consult.report.disclosure`.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable

from consult.questions import Bank, ProfileField
from consult.report.disclosure import MIN_COUNT
from consult.store import Respondent
from consult.text import cap_first, clean, redact

TRUE_WORDS = {"yes", "y", "true", "1", "agree", "agreed", "x"}
QUOTE_WORDS = 55  # longer answers are cut, at a sentence end: a quote is evidence, not the answer


def consented(respondent: Respondent, bank: Bank, purpose: str) -> bool:
    """True only when the bank has a consent item for ``purpose`` and it was given."""
    item = bank.consent_for(purpose)
    if item is None:
        return False
    value = respondent.consent.get(item.id, respondent.consent.get(purpose))
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value == 1
    if isinstance(value, str):
        return value.strip().lower() in TRUE_WORDS
    return False


def values(value) -> list[str]:
    """A profile value as a list of strings (multi fields may be lists or ';'-joined text)."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if str(v).strip()]
    text = str(value).strip()
    if text.startswith("["):
        try:
            return values(json.loads(text))
        except ValueError:
            pass
    if ";" in text:
        return [v.strip() for v in text.split(";") if v.strip()]
    return [text] if text else []


def first_value(respondent: Respondent, field: ProfileField | None) -> str:
    if field is None:
        return ""
    value = respondent.profile.get(field.id)
    if field.kind != "multi" and isinstance(value, str):
        return value.strip()  # a name such as "AT&T; Partners" is one value, not a list
    found = values(value)
    return found[0] if found else ""


# ------------------------------------------------------------------------------- attribution
def _type_phrase(value: str) -> str:
    if not value or value.lower() == "other":
        return "organisation"
    short = re.sub(r"\s*\(.*?\)", "", value).strip()
    return short[:1].lower() + short[1:] if not short[:2].isupper() else short


def _article(phrase: str) -> str:
    return "An" if phrase[:1].lower() in "aeiou" else "A"


def _region_phrase(value: str) -> str:
    short = re.sub(r"\s*\(.*?\)", "", value).strip()
    if "national" in value.lower():
        return f"working across {short}" if short else "working nationally"
    if short.lower() in ("north", "south", "midlands", "east", "west"):
        return f"in the {short}"
    return f"in the {short}" if short.lower().startswith(("north ", "south ", "east ", "west ")) else f"in {short}"


class Attributor:
    """Describes a quoted respondent without identifying them."""

    def __init__(self, bank: Bank, population: Iterable[Respondent]):
        self.bank = bank
        self.org = bank.profile_role("organisation")
        fields = [f for f in bank.breakdown_fields if not f.personal and f.kind == "choice"]
        self.type_field = _pick(fields, ("type", "kind"))
        self.region_field = _pick(fields, ("region", "where", "area"))
        self.size_field = _pick(fields, ("size", "income"))
        self.combos: Counter = Counter()
        for r in population:
            for combo in self._combos(r):
                self.combos[combo] += 1

    def _parts(self, r: Respondent) -> dict[str, str]:
        region = first_value(r, self.region_field)
        area = self.region_field.group_of(region) if self.region_field and region else ""
        return {"type": first_value(r, self.type_field), "region": region,
                "area": area if area != region else "", "size": first_value(r, self.size_field)}

    # most specific first; a region too small to name may be named by its wider area
    _ORDER = (("type", "region", "size"), ("type", "area", "size"), ("type", "region"), ("type", "area"),
              ("type", "size"), ("region", "size"), ("area", "size"), ("type",), ("region",), ("area",),
              ("size",))

    def _combos(self, r: Respondent):
        parts = self._parts(r)
        for keys in self._ORDER:
            if all(parts[k] for k in keys):
                yield tuple((k, parts[k]) for k in keys)

    def describe(self, r: Respondent) -> str:
        """The organisation's name with consent, else the most specific safe description."""
        if self.org is not None and consented(r, self.bank, "name"):
            name = " ".join(clean(first_value(r, self.org)).split())
            if name:
                return redact(name)
        for combo in self._combos(r):
            if self.combos[combo] >= MIN_COUNT:
                return _phrase(dict(combo))
        return "Anonymous respondent"


def _pick(fields: list[ProfileField], words: tuple[str, ...]) -> ProfileField | None:
    for f in fields:
        if any(w in f.id.lower() or w in f.text.lower() for w in words):
            return f
    return None


def _phrase(parts: dict[str, str]) -> str:
    noun = _type_phrase(parts.get("type", ""))
    out = f"{_article(noun)} {noun}"
    place = parts.get("region") or parts.get("area")
    if place:
        out += f" {_region_phrase(place)}"
    if parts.get("size"):
        out += f", income {parts['size'][:1].lower() + parts['size'][1:]}"
    return out


# ------------------------------------------------------------------------------- quote text
def private_strings(r: Respondent, bank: Bank, *, hide_org: bool) -> list[str]:
    """Values that must not appear in a quote from ``r``: personal fields, and the organisation's
    name unless it may be named."""
    out: list[str] = []
    for f in bank.profile:
        if f.personal or (hide_org and f.role == "organisation"):
            out.extend(v for v in values(r.profile.get(f.id)) if len(v.strip()) >= 3)
    return out


_PLACEHOLDER = re.compile(r"\[(?:email|phone|postcode) removed\]")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[\"'\u2018\u201c(]?[A-Z0-9])")
CONTACT_REMOVED = "[contact details removed]"


def drop_contact_sentences(text: str) -> str:
    """Replace each sentence that held contact details with one marker.

    Redaction leaves "ring Dawn on [phone removed]": the sentence still names a person and says
    nothing to Government, so the whole sentence goes.
    """
    paragraphs = []
    for para in text.split("\n"):
        out: list[str] = []
        for sentence in _SENTENCE.split(para):
            if _PLACEHOLDER.search(sentence):
                if not out or out[-1] != CONTACT_REMOVED:
                    out.append(CONTACT_REMOVED)
            else:
                out.append(sentence)
        paragraphs.append(" ".join(out))
    return "\n".join(paragraphs)


def quote_text(text: str, hidden: Iterable[str] = (), *, max_words: int = QUOTE_WORDS) -> str:
    """An answer made fit to quote: cleaned, redacted, contact sentences and private strings
    removed, shortened."""
    out = drop_contact_sentences(redact(clean(text))).strip()
    for value in sorted(set(hidden), key=len, reverse=True):
        out = re.sub(re.escape(value.strip()), "[name removed]", out, flags=re.IGNORECASE)
        # a name typed without its legal suffix ("Acme Trust Ltd" -> "Acme Trust")
        core = re.sub(r"\b(ltd|limited|cic|plc|the)\b\.?", "", value, flags=re.IGNORECASE).strip()
        if len(core) >= 5 and core != value.strip():
            out = re.sub(re.escape(core), "[name removed]", out, flags=re.IGNORECASE)
    return shorten(out, max_words)


def shorten(text: str, max_words: int) -> str:
    """Cut to about ``max_words`` words, at a sentence end where one falls in the second half."""
    words = text.split()
    if len(words) <= max_words:
        return text
    cut = " ".join(words[:max_words])
    ends = [m.end() for m in re.finditer(r"[.!?](?=\s|$)", cut)]
    if ends and ends[-1] >= len(cut) // 2:
        return cut[: ends[-1]] + " […]"
    return cut.rstrip(",;:") + " […]"


def clean_label(text: str) -> str:
    """A theme label as the report prints it: one clean line, contact details redacted, first
    letter capitalised."""
    return cap_first(" ".join(redact(clean(text)).split())) or "Unlabelled theme"

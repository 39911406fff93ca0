"""Making respondent text safe to show.

Answers are stored exactly as typed. Before display anywhere (TUI, terminal tables, reports)
they go through :func:`clean`, which removes control characters so that no terminal escape
sequence in an answer reaches a terminal; markup safety is the job of the display layer
(``rich.text.Text`` / ``textual.content.Content``, never markup strings).
"""

from __future__ import annotations

import re

# C0 controls except \t and \n, DEL, and C1 controls (0x80-0x9f: 0x9b is a one-byte CSI); and
# the bidirectional controls (embeddings/overrides U+202A-202E, isolates U+2066-2069, marks
# U+200E/F and U+061C), with which an answer can make the text after it read backwards
# ("Trojan Source"): in a quote, a table or a spreadsheet the reader would see other words.
BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c"
_CONTROL = re.compile(rf"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI_CONTROLS}]")
# A cell a spreadsheet would run as a formula starts with one of these (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_WORD = re.compile(r"\S+")


def clean(text: str | None) -> str:
    """Text with every control character removed except newline and tab.

    ``\\r\\n`` and lone ``\\r`` become ``\\n`` first so that pasted Windows text keeps its lines.
    """
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text)


def spreadsheet_safe(text: str | None) -> str:
    """A CSV cell: :func:`clean` text, and a leading ``'`` on any that a spreadsheet would take for
    a formula (``=HYPERLINK(...)``, ``+1+cmd|...``, ``@SUM``), which shows it as typed."""
    text = clean(text)  # a leading \r is a \n by now: prefix that too
    return "'" + text if text.startswith((*FORMULA_PREFIXES, "\n")) else text


def one_line(text: str | None, width: int = 80) -> str:
    """A cleaned, single-line preview cut to ``width`` characters with an ellipsis."""
    flat = " ".join(clean(text).split())
    return flat if len(flat) <= width else flat[: max(width - 1, 0)].rstrip() + "…"


def cap_first(label: str) -> str:
    """A theme label as shown everywhere: its first letter upper-case and the rest exactly as the
    analysis or staff wrote it ('cash flow' -> 'Cash flow', 'CRB checks' and 'BME offenders'
    unchanged, '"cash" flow' -> '"Cash" flow')."""
    for i, ch in enumerate(label):
        if ch.isalnum():
            return label[:i] + ch.upper() + label[i + 1:] if ch.isalpha() else label
    return label


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 answer``, ``2 answers``, ``1,000 answers``; ``many`` for irregular plurals."""
    return f"{count:,} {word if count == 1 else many or word + 's'}"


def word_count(text: str | None) -> int:
    return len(_WORD.findall(text or ""))


# Personal data in free text. Deliberately generous: a redacted false positive costs little,
# a published phone number costs a lot.
#
# Every pattern starts only where a token starts (a lookbehind), so the engine never rescans a
# long run of letters from each of its positions: 'B' * 40,000 took 87 s when it did.
_AT = "@\uff20\ufe6b"  # @, full-width ＠, small ﹫
_DOT = ".\uff0e\u3002\ufe52"  # ., full-width ．, ideographic 。, small ﹒
_LOCAL = rf"(?<![\w.+'{_AT}-])[\w.+'-]+"
_DOMAIN = rf"[\w-]+(?:\s*[{_DOT}]\s*[\w-]+)*"
_EMAIL = re.compile(
    # jo@example.org, jo @ example.org, jo＠example．org, and an address cut short: jo@example
    rf"{_LOCAL}\s*[{_AT}]\s*{_DOMAIN}"
    # jo (at) example (dot) org, jo [at] example . org
    rf"|{_LOCAL}\s*[(\[]at[)\]]\s*[\w-]+(?:\s*(?:[{_DOT}]|[(\[]dot[)\]])\s*[\w-]+)+"
    # jo at example dot org (spelled out; "met at Leeds. Then" is not an address)
    rf"|{_LOCAL}\s+at\s+[\w-]+(?:\s+dot\s+[\w-]+)+",
    re.IGNORECASE)
# What every address _EMAIL finds holds: an @ (of any width), "(at)" or "[at]", or " dot ". One
# scan for these spares the full pattern on the answers that have none (most of them: 0.27 s of
# 0.40 s for 12,340 answers).
_MAYBE_EMAIL = re.compile(rf"[{_AT}]|[(\[]at[)\]]|\bdot\b", re.IGNORECASE)
_PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)\s?44\s?(?:\(0\)\s?)?|\(?0)\d(?:[\s().-]{0,2}\d){8,10}(?!\d)"
    # short non-geographic numbers: 0800 1111, 0845 46 47
    r"|(?<![\w+])0[38]\d\d(?:[\s.-]?\d){4,6}(?!\d)"
    # spaced out, one digit at a time: 0 7 7 0 0 9 0 0 1 2 3 (no number of ours is written so)
    r"|(?<![\w+])\+?\d(?:[ .-]{1,2}\d){8,14}(?![\w])"
)
# UK postcodes: outward code, any (or no) space or dash, inward code; and Girobank's GIR 0AA.
_POSTCODE = re.compile(r"\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR)[\s-]*\d[A-Z]{2}\b", re.IGNORECASE)
# Numbers our patterns miss (other countries' formats: +1 415 555 2671, +33 1 42 68 53 00) are
# checked by Google's libphonenumber: against this region's rules, and as international.
PHONE_REGION = "GB"
_DIGIT = re.compile(r"\d")
# A run of digits that could be a telephone number, for libphonenumber to judge.
_PHONE_CANDIDATE = re.compile(r"(?<![\w+])\+?\(?\d[\d \t().\-/]{5,24}\d(?!\d)")
# libphonenumber costs about 0.1-0.5 ms a candidate; past this many in one answer, the rest
# that hold 9 or more digits are removed unchecked (generous, and the answer stays quick).
MAX_PHONE_CHECKS = 2000


def _other_phones(text: str, placeholder: str) -> str:
    import phonenumbers

    checks = 0

    def judge(match: re.Match) -> str:
        nonlocal checks
        candidate = match.group()
        checks += 1
        if checks > MAX_PHONE_CHECKS:
            return placeholder if sum(c.isdigit() for c in candidate) >= 9 else candidate
        found = list(phonenumbers.PhoneNumberMatcher(candidate, PHONE_REGION,
                                                     leniency=phonenumbers.Leniency.VALID, max_tries=3))
        if not found:
            return candidate
        return _replace_spans(candidate, [(f.start, f.end) for f in found], placeholder)

    return _PHONE_CANDIDATE.sub(judge, text)


def _replace_spans(text: str, spans: list[tuple[int, int]], placeholder: str) -> str:
    parts, at = [], 0
    for start, end in sorted(spans):
        if start >= at:
            parts += [text[at:start], placeholder]
            at = end
    return "".join(parts) + text[at:]


def _sub_all(text: str, email: str, phone: str, postcode: str) -> str:
    if _MAYBE_EMAIL.search(text):
        text = _EMAIL.sub(email, text)
    if _DIGIT.search(text):  # a telephone number or postcode needs a digit
        text = _other_phones(_PHONE.sub(phone, text), phone)
        text = _POSTCODE.sub(postcode, text)
    return text


def strip_contacts(text: str) -> str:
    """The text with e-mail addresses, telephone numbers and UK postcodes removed outright."""
    return _sub_all(text, " ", " ", " ")


def redact(text: str) -> str:
    """Replace e-mail addresses, telephone numbers and UK postcodes with placeholders."""
    return _sub_all(text, "[email removed]", "[phone removed]", "[postcode removed]")

"""The report's prose made from the data: key messages across the consultation, and a short
paragraph per section (main themes with counts, where members agreed and differed, one quote)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from consult.questions import Question, Section
from consult.report import disclosure as dc
from consult.report.model import KeyMessage, QuestionView, Quote, SectionView
from consult.report.privacy import clean_label
from consult.report.quotes import ranked_sentences
from consult.report.source import CodedTheme, QuestionCoding
from consult.text import cap_first

if TYPE_CHECKING:
    from consult.report.build import Context

KEY_MESSAGES = (5, 8)  # fewest and most key messages: enough to cover the paper, few enough to read
KEY_MIN_ANSWERING = 10  # a question fewer answered gives no key message: its shares mean little
AGREE_SHARE = 0.5  # one theme raised by at least half of those answering ...
AGREE_RATIO = 2.0  # ... and by at least twice as many as the next: members agreed
DIVIDED_SHARE = 0.25  # two themes each raised by a quarter or more ...
DIVIDED_RATIO = 1.5  # ... within 1.5 times of each other: views divided
SUMMARY_THEMES = 3  # themes named per question in a section's summary
ATTEMPTS = 12  # candidate answers tried for a quote before giving up: keeps the build linear


def short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "\u2026"


def _lower(label: str) -> str:
    """'Joint training' -> 'joint training'; 'CRB checks' stays."""
    return label if label[:2].isupper() else label[:1].lower() + label[1:]


def _evidence(ctx: Context, q: Question, t: CodedTheme, answers: dict[str, str]) -> Quote | None:
    """One member's sentence standing for the theme, within consent, not quoted elsewhere."""
    pool = [rid for rid in t.primary or t.respondents if rid in ctx.quotable and rid in answers]
    keyed = [rid for rid in pool if (rid, q.id) in ctx.key_quotes]
    for rid in keyed:  # a staff key quote (its chosen excerpt) is the best evidence
        if (quote := ctx.quote(rid, q.id, answers[rid])) is not None:
            return quote
    for i, sentence in ranked_sentences([answers[rid] for rid in pool], t.terms):
        if (quote := ctx.quote(pool[i], q.id, answers[pool[i]], sentence=sentence)) is not None:
            return quote
    # no sentence of a readable length: the most representative short answer, whole
    return next((quote for rid in pool[:ATTEMPTS] if (quote := ctx.quote(rid, q.id, answers[rid])) is not None),
                None)


def key_messages(ctx: Context, bank, codings: dict[str, QuestionCoding],
                 answers: dict[str, dict[str, str]]) -> list[KeyMessage]:
    """The strongest theme of each section first, then the next strongest of other questions,
    one message per question, at most KEY_MESSAGES[1]."""
    numbers = {q.id: n for n, q in enumerate(bank.questions, start=1)}
    candidates: list[tuple[float, int, Question, CodedTheme, QuestionCoding]] = []
    for q in bank.questions:
        coding = codings.get(q.id)
        if coding is None or coding.population < KEY_MIN_ANSWERING:
            continue
        for t in coding.themes:
            if t.parent_id is None and not dc.is_small(t.count):
                candidates.append((t.share, t.count, q, t, coding))
    candidates.sort(key=lambda c: (-c[0], -c[1], numbers[c[2].id]))
    chosen: list[tuple[Question, CodedTheme, QuestionCoding]] = []
    used: set[str] = set()
    for section in bank.sections:
        ids = {q.id for q in section.questions}
        best = next((c for c in candidates if c[2].id in ids), None)
        if best is not None:
            chosen.append(best[2:])
            used.add(best[2].id)
    for c in candidates:
        if len(chosen) >= KEY_MESSAGES[1]:
            break
        if c[2].id not in used:
            chosen.append(c[2:])
            used.add(c[2].id)
    chosen = chosen[:KEY_MESSAGES[1]]
    chosen.sort(key=lambda c: (-c[1].share, numbers[c[0].id]))
    out = []
    for q, t, coding in chosen:
        n = numbers[q.id]
        text = (f"{cap_first(dc.of(t.count, coding.population, 'organisation'))} answering question {n} "
                f"(\u201c{short(q.text)}\u201d) raised this.")
        out.append(KeyMessage(label=clean_label(t.label), text=text, question_number=n,
                              quote=_evidence(ctx, q, t, answers[q.id])))
    return out


def _themes_phrase(themes: list[CodedTheme], population: int) -> str:
    parts = [f"{_lower(clean_label(t.label))} ({dc.of(t.count, population, 'organisation')})" for t in themes]
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _question_sentence(q: Question, n: int, coding: QuestionCoding | None, view: QuestionView) -> str:
    if view.distribution is not None:
        rows = [r for r in view.distribution.rows if r[1] not in (dc.FEWER, dc.HIDDEN, "0")]
        if not rows:
            return ""
        top = max(rows, key=lambda r: int(r[1].replace(",", "")))
        return f"In question {n}, the answer chosen most often was \u201c{top[0]}\u201d ({top[1]} organisations)."
    if coding is None or not coding.themes:
        return ""
    top = [t for t in coding.themes if t.parent_id is None and not dc.is_small(t.count)]
    if not top:
        return ""
    lead = f"In question {n} ({short(q.text, 60)}), "
    first, second = top[0], (top[1] if len(top) > 1 else None)
    if first.share >= AGREE_SHARE and (second is None or first.count >= AGREE_RATIO * second.count):
        line = (lead + f"most agreed on {_lower(clean_label(first.label))} "
                f"({dc.of(first.count, coding.population, 'organisation')})")
        if second is not None:
            line += f"; fewer raised {_themes_phrase([second], coding.population)}"
        return line + "."
    if second is not None and second.share >= DIVIDED_SHARE and first.count <= DIVIDED_RATIO * second.count:
        return lead + f"views were divided between {_themes_phrase(top[:2], coding.population)}."
    return lead + f"the main themes were {_themes_phrase(top[:SUMMARY_THEMES], coding.population)}."


def section_summary(ctx: Context, section: Section, view: SectionView, codings: dict[str, QuestionCoding],
                    answers: dict[str, dict[str, str]]) -> tuple[str, Quote | None]:
    sentences = []
    for q, qv in zip(section.questions, view.questions, strict=True):
        line = _question_sentence(q, qv.number, codings.get(q.id), qv)
        if line:
            sentences.append(line)
    if not sentences:
        return "Too few answers were given to this section to summarise them.", None
    best = None
    for q in section.questions:
        coding = codings.get(q.id)
        for t in coding.themes if coding else ():
            if t.parent_id is None and not dc.is_small(t.count) and (best is None or t.share > best[1].share):
                best = (q, t)
    quote = _evidence(ctx, best[0], best[1], answers[best[0].id]) if best else None
    return " ".join(sentences), quote

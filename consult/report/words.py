"""Sentences shared by the HTML and Markdown reports, so both say the same thing.

Functions that weave respondent-derived text (theme labels) into a sentence take ``esc``, the
renderer's escaping function, and apply it to that text only.
"""

from __future__ import annotations

from collections.abc import Callable

from consult.report.build import (
    AGREE_RATIO,
    AGREE_SHARE,
    BREAKDOWN_MIN_ANSWERS,
    DIVIDED_RATIO,
    DIVIDED_SHARE,
    FEWER,
    MIN_CELL,
    BreakdownTable,
    OptionCount,
    QuestionReport,
    ReportData,
    ThemeReport,
)
from consult.report.privacy import HIDDEN
from consult.text import plural

Esc = Callable[[str], str]

NO_RESPONSES = "No responses have been received yet."
NOBODY = "Nobody answered this question."


def pct(share: float) -> str:
    p = share * 100
    if 0 < p < 1:
        return "under 1%"
    return f"{p:.0f}%"


def short_question(q: QuestionReport, limit: int = 70) -> str:
    text = q.text
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def theme_line(t: ThemeReport, q: QuestionReport) -> str:
    """'12 answers, 40%'."""
    return f"{plural(t.count, 'answer')}, {pct(t.share)}"


GENERATED = "Answers in this theme most often mention "  # consult.pipeline.describe()


def _described_terms(t: ThemeReport) -> list[str]:
    """The key terms a description made by the analysis names ("... mention a, b and c."), or
    [] for a description written some other way."""
    if not t.description.startswith(GENERATED):
        return []
    listed = t.description[len(GENERATED):].removesuffix(".")
    for n in range(len(t.terms), 0, -1):
        if _join(t.terms[:n]) == listed:
            return t.terms[:n]
    return []


def describe_theme(t: ThemeReport, esc: Esc) -> str:
    """One line about a theme: its description, else nothing (see :func:`key_words`).

    A description made by the analysis from the theme's key terms is written with each term in
    quotation marks, so a term that has "and" in it ("quality and safeguarding") reads as one."""
    if t.kind == "other":
        return "Answers that did not share a common theme with enough others."
    named = _described_terms(t)
    if named:
        return GENERATED + _join([f"\u201c{esc(x)}\u201d" for x in named]) + "."
    return esc(t.description)


def key_words(t: ThemeReport, limit: int = 8) -> str:
    """'Key words: a, b' (or 'Other key words: ...' after a description that named some), or ''
    when there are none to add. Themes staff made by splitting have no description: this line
    is all that describes them."""
    if t.kind != "theme":
        return ""
    named = _described_terms(t)
    rest = [x for x in t.terms[:limit] if x not in named]
    if not rest:
        return ""
    return ("Other key words: " if named else "Key words: ") + ", ".join(rest)


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def answered_line(q: QuestionReport) -> str:
    if not q.answered:
        return NOBODY
    parts = [f"{plural(q.answered, 'response')} answered this question"]
    if q.non_answers:
        parts.append(f"{q.non_answers:,} of them gave no substantive answer (\u201cno comment\u201d, "
                     f"\u201cn/a\u201d and the like), leaving {plural(q.substantive, 'substantive answer')}")
    line = "; ".join(parts) + "."
    if q.unanalysed:
        one = q.unanalysed == 1
        line += (f" {plural(q.unanalysed, 'answer')} arrived or changed after the latest analysis and "
                 f"{'is' if one else 'are'} not counted in the themes below.")
    if q.kind == "text" and q.real_themes:
        line += " Shares are of substantive answers."
    return line


def answered_overall(d: ReportData) -> str:
    """'40 of them answered at least one question; 17 of the 18 questions received answers.'"""
    answered = sum(1 for q in d.questions if q.answered)
    total = len(d.questions)
    people = f"{d.respondents_with_answers:,} of them answered at least one question"
    if total == 1:
        return f"{people}." if answered else f"{people}; the question received no answers."
    return f"{people}; {answered:,} of the {total:,} questions received answers."


def breakdown_note(b: BreakdownTable) -> str:
    """The footnote under a breakdown table, after the renderer's small-count mark ("<5: ").
    Plain text: the renderer escapes it."""
    note = f"{FEWER} organisations, not shown so that none can be identified."
    if any(c.hidden == HIDDEN for _, cells in b.rows for c in cells):
        note += " \u2013: not shown, so that a hidden figure cannot be worked out from the total."
    if b.note:
        note += " " + b.note
    return note


def option_word(q: QuestionReport) -> str:
    return "number" if q.kind == "scale" else "option"


def option_share(o: OptionCount) -> str:
    """The share of an option, or a dash where the count is not shown."""
    return "\u2013" if o.hidden else pct(o.share)


def option_figure(o: OptionCount) -> str:
    """'12 (40%)', or 'fewer than 5' where the count is not shown."""
    return o.hidden if o.hidden else f"{o.count:,} ({pct(o.share)})"


def distribution_notes(q: QuestionReport) -> list[str]:
    """What a reader needs to read a choice, multi or scale table correctly."""
    notes = []
    if q.kind == "multi":
        notes.append("Organisations could choose several options, so the shares add up to more "
                     "than 100%.")
    if any(o.hidden == FEWER for o in q.distribution):
        note = (f"\u201c{FEWER}\u201d: a count of 1 to {MIN_CELL - 1}, not shown so that no "
                "organisation can be identified.")
        if any(o.hidden == HIDDEN for o in q.distribution):
            note += (" \u201cNot shown\u201d: a larger count hidden so that a small one cannot "
                     "be worked out from the total.")
        notes.append(note)
    if any(not o.listed for o in q.distribution):
        notes.append("Some answers name an option that is no longer in the question bank; they are "
                     "counted under the text they gave.")
    return notes


def response_overview(d: ReportData) -> str:
    counted = "submitted responses" + (" and drafts" if d.include_drafts else "")
    line = (f"{plural(d.total, 'response')} received: {d.submitted:,} submitted, {d.drafts:,} "
            f"{'draft' if d.drafts == 1 else 'drafts'} not yet submitted")
    if d.excluded:
        line += (f", and {d.excluded:,} excluded by Clinks staff (spam, duplicates or off-topic), "
                 "which are left out of everything in this report")
    line += f". This report counts {counted}: {plural(d.counted, 'response')}."
    if not d.include_drafts and d.drafts:
        line += " Drafts are left out because their authors have not yet confirmed them."
    return line


def summary_lead(d: ReportData) -> str:
    left_out = []
    if d.drafts and not d.include_drafts:
        left_out.append(plural(d.drafts, "unsubmitted draft"))
    if d.excluded:
        left_out.append(plural(d.excluded, "excluded response"))
    line = f"This report sets out the views of {plural(d.counted, 'organisation')} that responded to the " \
           f"consultation"
    line += f" ({' and '.join(left_out)} left out)." if left_out else "."
    return line


def method_paragraphs(d: ReportData) -> list[str]:
    """Plain-language description of how the themes were found, with its limits. No respondent
    text is included, so the strings need no escaping beyond the renderer's usual."""
    m = d.method
    out = []
    if m is None:
        out.append("No analysis of the free-text answers has been run yet, so no themes are shown.")
    else:
        out.append(
            f"Every free-text answer was read by a computer analysis (consult {m.version}, run on "
            f"{m.run_at}; technical details below) that groups answers using similar words into "
            "themes, separately for each question. Each theme is labelled with a key phrase and "
            "described by the words that set it apart. Each answer is counted once, under the theme it "
            "fits best. Answers that fit no theme closely enough are counted as \u201cOther\u201d, and "
            "answers with nothing to say (\u201cno comment\u201d, \u201cn/a\u201d) are counted "
            "separately and left out of the shares.")
        if m.edited_by_staff:
            out.append("Clinks staff then reviewed the themes, renaming, merging or moving answers "
                       "where the computer grouping was wrong.")
        out.append("Quotes were chosen by Clinks staff where they marked key quotes, otherwise they are "
                   "the answers most typical of each theme. Long answers are shortened, marked [\u2026].")
    if any(not q.is_free_text for q in d.questions):
        out.append("Questions answered by choosing from options (one option, several options, or a "
                   "number on a scale) are reported as the number of organisations choosing each "
                   "option. They are not analysed for themes and not quoted.")
    out.append(
        f"Percentages are shares of the organisations that answered each question, not of all "
        f"members: organisations chose which questions to answer, and those who responded chose "
        f"themselves. Where few answered, a single answer moves a percentage a long way; read small "
        f"figures as indications. To protect the organisations who took part, any count below "
        f"{MIN_CELL} is shown as \u201cfewer than {MIN_CELL}\u201d, and themes are broken down by "
        f"group only where at least {BREAKDOWN_MIN_ANSWERS} answered.")
    out.append(
        f"In the summary, members are said to agree on a question where one theme holds at least "
        f"{pct(AGREE_SHARE)} of substantive answers and at least {AGREE_RATIO:g} times the next; views "
        f"are said to divide where two or more themes each hold at least {pct(DIVIDED_SHARE)} and "
        f"are within {DIVIDED_RATIO:g} times of each other in size. Computer themes show what was said "
        f"most often, not whether it was right.")
    return out


PRIVACY = ("Quotes appear only from organisations that agreed to be quoted and submitted their "
           "response. Organisations are named only where they agreed to be named; otherwise they are "
           "described in general terms, or as an anonymous respondent where a description could "
           "identify them. Contact details (e-mail addresses, phone numbers and postcodes) and names "
           "given for contact are removed from every quote.")

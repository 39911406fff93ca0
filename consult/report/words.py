"""The report's fixed wording: sentences every format shares, built from counts and the bank.
Plain text only; each writer escapes. Counts go through :mod:`consult.report.disclosure`."""

from __future__ import annotations

from dataclasses import dataclass

from consult.kinds import kind_of
from consult.questions import Bank, Question
from consult.report import disclosure as dc
from consult.report.model import KeyMessage, Table
from consult.report.source import QuestionCoding
from consult.store import Run

NO_RESPONSES = "No responses have been received yet."
NOBODY = "Nobody answered this question."


@dataclass
class Counts:
    total: int
    submitted: int
    drafts: int
    excluded: int
    counted: int
    answered_any: int
    include_drafts: bool
    publisher: str

    @property
    def staff(self) -> str:
        return f"{self.publisher} staff" if self.publisher else "staff"


def paragraphs(text: str) -> list[str]:
    return [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]


def introduction(bank: Bank, c: Counts) -> list[str]:
    if not c.counted:
        return [NO_RESPONSES]
    who = bank.publisher or "the publisher"
    paper = f"the discussion paper \u201c{bank.title}\u201d" + (f" ({bank.date})" if bank.date else "")
    return [f"This report sets out what {dc.counted(c.counted, 'member organisation')} told {who} "
            f"in answer to {paper}. It starts with the key messages across the whole consultation and "
            f"a short summary of each section; the answers to each question follow, in members' own "
            f"words, and the full tables are in the appendix."]


def key_messages_note(messages: list[KeyMessage], c: Counts) -> str:
    if not c.counted:
        return NO_RESPONSES
    if not messages:
        return "Too few answers have been analysed yet to draw key messages."
    return ("The views raised by the largest shares of the organisations answering each question, "
            "with one member's words as evidence.")


def respondents(c: Counts) -> list[str]:
    if not c.total:
        return [NO_RESPONSES]
    line = (f"{dc.counted(c.total, 'response')} were received: {dc.count(c.submitted)} submitted and "
            f"{dc.counted(c.drafts, 'draft').replace('no drafts', 'none')} not yet submitted"
            if c.drafts else f"{dc.counted(c.total, 'response')} were received, all submitted")
    if c.excluded:
        line += f"; {dc.count(c.excluded)} were set aside by {c.staff} (duplicates, spam or off-topic)"
    line += (f". This report counts {'submitted responses and drafts' if c.include_drafts else 'submitted responses'}"
             f": {dc.counted(c.counted, 'organisation')}, of which {dc.count(c.answered_any)} answered at "
             "least one question.")
    out = [line]
    if c.drafts and not c.include_drafts:
        out.append("Drafts are left out because their authors have not confirmed them.")
    out.append("Organisations chose to respond and chose which questions to answer, so they speak for "
               "themselves, not for the whole sector.")
    return out


def method(bank: Bank, run: Run | None, has_choice: bool, *, remainder_follows: bool = False) -> list[str]:
    staff = f"{bank.publisher} staff" if bank.publisher else "Staff"
    out = []
    if run is None:
        out.append("The free-text answers have not been analysed yet, so no themes are shown.")
    else:
        out.append(
            f"Every free-text answer was read by a computer analysis that groups answers saying similar "
            f"things into themes, question by question. {staff} then reviewed the themes: their names "
            "and descriptions, and the answers they moved, stand in this report. An answer can raise "
            "more than one theme. Answers that share no theme with enough others are counted as "
            "\u201cother\u201d; answers with nothing to say (\u201cno comment\u201d, \u201cn/a\u201d) are "
            "counted but raise no theme.")
        out.append(
            "Each figure is the number of organisations that raised a theme, out of those that answered "
            "the question, and the percentage is that share. A theme's description is either one "
            f"written by {staff.lower() if bank.publisher else 'staff'} or the sentence from a member's "
            "answer that best stands for it. Quotes are chosen by staff where they marked key quotes, "
            "otherwise they are the answers most typical of each theme; no quote is used twice, and long "
            "answers are shortened, marked [\u2026].")
    if has_choice:
        out.append("Questions answered by choosing an option are reported as the number of "
                   "organisations choosing each option.")
    out.append(dc.rule_sentence(remainder_follows=remainder_follows))
    out.append("Limits: the analysis shows what was said most often, not whether it is right; a view "
               "held strongly by a few organisations may matter more than its count suggests. Where few "
               "answered, one answer moves a percentage a long way: read those figures as indications.")
    return out


def privacy(bank: Bank) -> str:
    return ("Quotes appear only from organisations that agreed to be quoted and submitted their "
            "response. An organisation is named only where it agreed to be named; otherwise it is "
            "described by its type, area and income, or as an anonymous respondent where even that could "
            "identify it. Contact details are removed from every quote.")


def technical(run: Run | None) -> Table | None:
    if run is None:
        return None
    rows = [["Analysis run", f"{run.id}, {run.created_at[:10]}"], ["Method", run.method],
            ["Version", run.version]]
    for k, v in run.params.items():
        if isinstance(v, str | int | float | bool):
            rows.append([k.replace("_", " "), str(v)])
    return Table(caption="Technical details of the analysis", header=["", ""], rows=rows, numeric_from=99)


def answered_line(answered: int, coding: QuestionCoding | None) -> str:
    if not answered:
        return NOBODY
    line = f"{dc.counted(answered, 'organisation')} answered this question"
    if coding is not None and coding.non_answers:
        line += f"; {dc.count(len(coding.non_answers))} of them had nothing to add"
    if coding is not None and coding.uncoded:
        line += (f"; {dc.counted(len(coding.uncoded), 'answer')} arrived after the latest analysis and "
                 "are not in the themes yet")
    return line[:1].upper() + line[1:] + "."


def no_themes(coding: QuestionCoding, bank: Bank, analysed: bool) -> str:
    if not analysed:
        return "These answers have not been analysed yet."
    if coding.too_few:
        who = f"{bank.publisher} staff" if bank.publisher else "staff"
        return f"Too few answers to find themes; {who} read each one."
    return "No common themes were found: the answers each say something different."


def breakdowns_left_out(titles: list[str]) -> str:
    names = [f"\u201c{t}\u201d" for t in titles]
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return (f"Breakdowns by {joined} are left out: too few organisations in each group answered "
            f"to show them without figures below {dc.MIN_COUNT}.")


def distribution_notes(q: Question, hidden: list[str | None], unlisted: bool) -> list[str]:
    kind = kind_of(q)
    notes = [] if kind.one_value else [
        "Organisations could choose several options, so the shares add up to more than 100%."]
    if kind.report_note(q):
        notes.append(kind.report_note(q))
    if dc.HIDDEN in hidden:
        notes.append(dc.HIDDEN_NOTE)
    if unlisted:
        notes.append("Some answers name an option no longer in the question bank; they are counted "
                     "under the text they gave.")
    return notes

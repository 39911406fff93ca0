"""The report as plain data: one model that every writer (HTML, Markdown, Word, PDF) reads.

Every figure is already a string that obeys the small-number rule (:mod:`consult.report.disclosure`),
so no writer can print a count the rule hides. Every string is plain text: respondent text is
cleaned and redacted here and escaped by each writer for its own format.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field


@dataclass
class Quote:
    text: str
    attribution: str
    key: bool = False
    respondent_id: str = ""  # for checks only; never printed


@dataclass
class Table:
    caption: str
    header: list[str]
    rows: list[list[str]]
    notes: list[str] = field(default_factory=list)
    numeric_from: int = 1  # columns from this one on are figures (right-aligned)


@dataclass
class Bar:
    label: str
    share: float | None  # of the organisations answering; None: the figure is hidden, so no bar
    figure: str  # "14 (47%)", or the text that stands for a hidden figure
    other: bool = False  # the "Other" bar, drawn last and muted


@dataclass
class Chart:
    """Theme shares for one question, as every format draws them (:mod:`consult.report.charts`)."""

    title: str
    bars: list[Bar]
    note: str = ""  # e.g. that smaller themes are in the appendix

    @property
    def scale(self) -> float:
        """The share the bars' full length stands for: the largest share rounded up to 10%."""
        top = max((b.share for b in self.bars if b.share is not None), default=0.0)
        return min(1.0, max(0.1, math.ceil(round(top * 10, 6)) / 10))


@dataclass
class ThemeView:
    id: int
    label: str
    figure: str  # "18 of 40 organisations (45%)" or "fewer than 5 of 40 organisations"
    description: str  # one sentence; "" when there is none
    description_is_quote: bool = False  # a member's own sentence, shown in quotation marks
    children: list[ThemeView] = field(default_factory=list)


@dataclass
class QuestionView:
    id: str
    number: int
    text: str
    kind: str
    answered_line: str
    themes: list[ThemeView] = field(default_factory=list)  # broad themes lead, sub-themes nested
    quotes: list[Quote] = field(default_factory=list)  # members' words for the question's main themes
    distribution: Table | None = None
    chart: Chart | None = None  # theme shares, drawn under the answered line
    notes: list[str] = field(default_factory=list)
    # appendix
    full_table: Table | None = None
    breakdowns: list[Table] = field(default_factory=list)
    breakdown_note: str = ""

    @property
    def anchor(self) -> str:
        return f"q{self.number}"


@dataclass
class SectionView:
    id: str
    number: int
    title: str
    context: str
    summary: str
    summary_quote: Quote | None
    questions: list[QuestionView]

    @property
    def anchor(self) -> str:
        return f"s{self.number}"


@dataclass
class KeyMessage:
    label: str  # the theme, as a heading for the message
    text: str
    question_number: int
    quote: Quote | None = None


@dataclass
class Report:
    title: str
    subtitle: str
    publisher: str
    date: str
    series: str
    generated_at: str
    counted_line: str  # "42 organisations' responses"
    introduction: list[str]
    key_messages: list[KeyMessage]
    key_messages_note: str
    sections: list[SectionView]
    respondents: list[str]  # paragraphs
    respondent_tables: list[Table]
    method: list[str]
    privacy: str
    conclusion: list[str]
    about: list[str]
    contact: str
    appendix_profile: list[Table]
    technical: Table | None
    empty: bool = False

    @property
    def questions(self) -> list[QuestionView]:
        return [q for s in self.sections for q in s.questions]

    @property
    def about_heading(self) -> str:
        return f"About {self.publisher}" if self.publisher else "About the publisher"

    def headings(self) -> list[str]:
        """The report's main headings in order, as every format prints them."""
        out = ["Key messages", "Summary by section", "Who responded", "How the answers were analysed"]
        out += [section_heading(s) for s in self.sections]
        if self.conclusion:
            out.append("Conclusion")
        if self.about or self.contact:
            out.append(self.about_heading)
        out.append(APPENDIX)
        return out


APPENDIX = "Appendix: full tables"


def section_heading(s: SectionView) -> str:
    return f"Section {s.number}. {s.title}"


def question_heading(q: QuestionView) -> str:
    return f"Q{q.number}. {q.text}"

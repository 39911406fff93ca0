"""Gathering everything the report says into plain data (:class:`ReportData`).

Nothing here formats or escapes: the renderers (``html.py``, ``markdown.py``) do that. Every
string that came from a respondent or from the analysis of their answers is marked by living in
a field the renderers escape; privacy rules live in :mod:`consult.report.privacy`.

Counts are computed here from the analysis run's primary assignments restricted to the responses
the report counts (submitted only unless ``include_drafts``; excluded responses never), so the
report agrees with itself even when the run included drafts or responses were excluded later.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

from consult.questions import Bank, ProfileField, Question
from consult.report.privacy import (
    FEWER,
    MIN_CELL,
    Attributor,
    QuoteChooser,
    consented,
    private_strings,
    quote_text,
    suppress,
    values,
)
from consult.store import Respondent, Run, Store
from consult.text import cap_first, clean, redact

# Thresholds for the summary and breakdowns, stated in the report's method section.
BREAKDOWN_MIN_ANSWERS = 20  # fewer answers than this: no breakdown by group
AGREE_SHARE = 0.5  # one theme with at least half the answers ...
AGREE_RATIO = 2.0  # ... and at least twice the next: members agreed
DIVIDED_SHARE = 0.25  # two themes with a quarter of answers or more ...
DIVIDED_RATIO = 1.5  # ... within 1.5x of each other: views divided
DIVIDED_SHOWN = 6  # the most evenly divided questions named in the summary
SUMMARY_MIN_ANSWERS = 10  # questions with fewer substantive answers stay out of the summary
FOCUS_OPTIONS = re.compile(r"\bwomen\b|\bBME\b|minority ethnic", re.IGNORECASE)


@dataclass
class Quote:
    text: str
    attribution: str
    key: bool = False
    respondent_id: str = ""  # for checks only; never printed


@dataclass
class ThemeReport:
    label: str
    description: str
    terms: list[str]
    count: int
    share: float  # of substantive answers
    kind: str = "theme"  # 'theme' or 'other'
    quotes: list[Quote] = field(default_factory=list)
    similar_to: str = ""
    cohesion: float | None = None
    edited: bool = False
    theme_id: int | None = None
    similar_id: int | None = None
    members: list = field(default_factory=list, repr=False)


@dataclass
class Cell:
    count: int
    share: float | None
    hidden: str | None = None  # text shown instead of the figure


@dataclass
class BreakdownTable:
    """Themes (rows) by group of organisations (columns)."""

    columns: list[str]
    answered: list[Cell]
    rows: list[tuple[str, list[Cell]]]
    note: str = ""


@dataclass
class OptionCount:
    """One option of a choice, multi or scale question and how many chose it."""

    label: str  # the option's text from the bank (or a stored value no longer in the bank)
    count: int
    share: float  # of the counted responses that answered the question
    hidden: str | None = None  # FEWER or HIDDEN: the figure is not shown
    listed: bool = True  # False for a stored value that is not one of the bank's options

    @property
    def shown(self) -> str:
        return self.hidden or f"{self.count:,}"


@dataclass
class QuestionReport:
    id: str
    number: int
    text: str
    help: str
    kind: str
    answered: int = 0  # non-empty answers from counted responses
    non_answers: int = 0  # "no comment", "n/a" and the like
    unanalysed: int = 0  # answers not in the latest run (arrived or changed later)
    themes: list[ThemeReport] = field(default_factory=list)  # largest first, 'other' last
    # choice, multi and scale questions: every option in the bank's order (no themes, no quotes)
    distribution: list[OptionCount] = field(default_factory=list)
    breakdown: BreakdownTable | None = None
    breakdown_note: str = ""
    note: str = ""

    @property
    def substantive(self) -> int:
        return max(self.answered - self.non_answers, 0)

    @property
    def anchor(self) -> str:
        return f"q{self.number}"

    @property
    def real_themes(self) -> list[ThemeReport]:
        return [t for t in self.themes if t.kind == "theme"]

    @property
    def is_free_text(self) -> bool:
        return self.kind == "text"


@dataclass
class SectionReport:
    id: str
    number: int
    title: str
    context: str
    questions: list[QuestionReport]

    @property
    def anchor(self) -> str:
        return f"s{self.number}"


@dataclass
class CountRow:
    label: str
    count: int
    shown: str  # the figure as printed ("12" or "fewer than 5")


@dataclass
class ProfileBreakdown:
    title: str
    rows: list[CountRow]
    multi: bool = False


@dataclass
class SummaryItem:
    question: QuestionReport
    themes: list[ThemeReport]


@dataclass
class Method:
    run_id: int | None
    run_at: str
    method: str
    version: str
    params: list[tuple[str, str]]
    summary: list[tuple[str, str]]
    edited_by_staff: bool = False


@dataclass
class ReportData:
    title: str
    subtitle: str
    publisher: str
    date: str
    series: str
    introduction: str
    generated_at: str
    include_drafts: bool
    total: int  # all responses, excluded ones too
    submitted: int
    drafts: int
    excluded: int
    counted: int
    respondents_with_answers: int
    profile: list[ProfileBreakdown]
    method: Method | None
    sections: list[SectionReport]
    strongest: list[SummaryItem] = field(default_factory=list)
    agreed: list[SummaryItem] = field(default_factory=list)
    divided: list[SummaryItem] = field(default_factory=list)
    divided_more: list[SummaryItem] = field(default_factory=list)
    recurring: list[tuple[str, list[QuestionReport]]] = field(default_factory=list)
    focus_columns: list[str] = field(default_factory=list)

    @property
    def questions(self) -> list[QuestionReport]:
        return [q for s in self.sections for q in s.questions]

    @property
    def empty(self) -> bool:
        return self.counted == 0


# ------------------------------------------------------------------------------- helpers
def _label(text: str) -> str:
    """A label or term from the analysis: one clean line, personal data redacted."""
    return " ".join(redact(clean(text)).split())


def _group_columns(bank: Bank) -> list[tuple[str, ProfileField, str]]:
    """Breakdown columns: each option of the size field, then the focus options (women's and BME
    services) of multi-choice profile fields. ``(column title, field, option)``."""
    cols: list[tuple[str, ProfileField, str]] = []
    choice = [f for f in bank.breakdown_fields if f.kind == "choice" and not f.personal]
    size = next((f for f in choice if "size" in f.id.lower() or "income" in f.text.lower()), None)
    size = size or next(iter(choice), None)
    if size is not None:
        cols += [(opt, size, opt) for opt in size.options]
    for f in bank.profile:
        if f.kind == "multi" and not f.personal:
            cols += [(f"Works with {_short(opt)}", f, opt) for opt in f.options if FOCUS_OPTIONS.search(opt)]
    return cols


def _short(option: str) -> str:
    """'Black and minority ethnic (BME) people' -> 'BME people'; 'Women' -> 'women'."""
    m = re.match(r"^(.*?)\s*\(([A-Z]{2,})\)\s*(.*)$", option)
    if m:
        return f"{m.group(2)} {m.group(3)}".strip()
    return option[:1].lower() + option[1:] if not option[:2].isupper() else option


def _in_group(r: Respondent, f: ProfileField, option: str) -> bool:
    return option in values(r.profile.get(f.id))


# ------------------------------------------------------------------------------- build
def build_report(store: Store, bank: Bank, *, include_drafts: bool = False, run_id: int | None = None,
                 now: datetime | None = None) -> ReportData:
    """Everything the report says, from the database, the bank and the latest analysis run."""
    everyone = store.respondents(bank.id, include_excluded=True)
    excluded = [r for r in everyone if r.excluded]
    live = [r for r in everyone if not r.excluded]
    counted = [r for r in live if r.submitted or include_drafts]
    by_id = {r.id: r for r in counted}
    quotable = {r.id for r in counted if r.submitted and consented(r, bank, "quote")}
    attributor = Attributor(bank, counted)
    key_quotes = store.key_quotes()

    run: Run | None = None
    if run_id is not None:
        run = next((x for x in store.runs(bank.id) if x.id == run_id), None)
    else:
        run = store.latest_run(bank.id)

    answered_by: set[str] = set()
    sections: list[SectionReport] = []
    columns = _group_columns(bank)
    number = 0
    for s_no, section in enumerate(bank.sections, start=1):
        qreports = []
        for q in section.questions:
            number += 1
            qr = _question(store, bank, q, number, run, by_id, quotable, attributor, key_quotes,
                           columns, answered_by)
            qreports.append(qr)
        sections.append(SectionReport(section.id, s_no, section.title, section.context, qreports))

    data = ReportData(
        title=bank.title, subtitle=bank.subtitle, publisher=bank.publisher, date=bank.date,
        series=bank.series, introduction=bank.introduction,
        generated_at=(now or datetime.now(UTC)).strftime("%-d %B %Y"),
        include_drafts=include_drafts, total=len(everyone),
        submitted=sum(1 for r in live if r.submitted), drafts=sum(1 for r in live if not r.submitted),
        excluded=len(excluded), counted=len(counted), respondents_with_answers=len(answered_by),
        profile=_profile(bank, counted), method=_method(run, sections), sections=sections,
        focus_columns=[c[0] for c in columns if c[1].kind == "multi"],
    )
    _summarise(data)
    return data


def _question(store: Store, bank: Bank, q: Question, number: int, run: Run | None,
              by_id: dict[str, Respondent], quotable: set[str], attributor: Attributor,
              key_quotes: set[tuple[str, str]], columns, answered_by: set[str]) -> QuestionReport:
    qr = QuestionReport(id=q.id, number=number, text=q.text, help=q.help, kind=q.kind)
    answers = {rid: text for rid, text in store.answers_to(q.id, consultation_id=bank.id) if rid in by_id
               and text.strip()}
    qr.answered = len(answers)
    answered_by.update(answers)
    if not answers:
        qr.note = "Nobody answered this question."
        return qr
    if not q.is_free_text:
        _tally(qr, q, answers)
        return qr
    if run is None:
        qr.note = "These answers have not been analysed yet."
        return qr

    placed: set[str] = set()
    primary: dict[int, list[str]] = {}
    rows = store.themes(run.id, q.id)
    for t in rows:
        members = store.theme_members(t.id)
        mine = [m for m in members if m.is_primary and m.respondent_id in answers
                and m.respondent_id not in placed]
        placed.update(m.respondent_id for m in mine)
        if t.kind == "non_answer":
            qr.non_answers += len(mine)
            continue
        primary[t.id] = [m.respondent_id for m in mine]
        label = _label(t.label) or "Unlabelled theme"
        report = ThemeReport(label=cap_first(label), description=_label(t.description),
                             terms=[x for x in (_label(term) for term in t.terms) if x and "removed]" not in x],
                             count=len(mine), share=0.0, kind=t.kind, cohesion=t.cohesion,
                             edited=t.created_by != "analysis", theme_id=t.id, similar_id=t.similar_to)
        qr.themes.append(report)
        report.members = members
    qr.unanalysed = len(set(answers) - placed)

    labels = {t.theme_id: t.label for t in qr.themes}
    for t in qr.themes:
        t.similar_to = labels.get(t.similar_id, "")
        t.share = t.count / qr.substantive if qr.substantive else 0.0
    qr.themes = [t for t in qr.themes if t.count > 0 or t.kind == "theme"]
    qr.themes.sort(key=lambda t: (t.kind != "theme", -t.count, t.label.lower()))
    qr.themes = [t for t in qr.themes if t.count > 0]
    chooser = QuoteChooser()  # one per question: no quote repeats another anywhere in the question
    for t in qr.themes:
        # "Other" answers are quoted only when there are no themes to show (too few answers)
        if t.kind == "theme" or not qr.real_themes:
            t.quotes = _quotes(bank, q.id, t.members, answers, by_id, quotable, attributor, key_quotes,
                               t.count if t.kind == "theme" else 10, chooser)
    if not qr.real_themes:
        if qr.substantive and qr.substantive < MIN_CELL:
            qr.note = (f"Too few answers ({qr.substantive}) to find themes; they are read individually "
                       "by Clinks staff.")
        elif qr.substantive:
            qr.note = "No common themes were found: the answers each say something different."
    qr.breakdown, qr.breakdown_note = _breakdown(qr, primary, by_id, columns)
    return qr


def _tally(qr: QuestionReport, q: Question, answers: dict[str, str]) -> None:
    """A choice, multi or scale question: how many chose each option, in the bank's order.

    Shares are of the responses that answered the question (for multi they add up to more than
    100%). Counts of 1-4 are shown as "fewer than 5"; for choice and scale, where the counts add
    up to the published number answering, one more is hidden if a hidden one could otherwise be
    worked out by subtraction. Stored values that are no longer options are counted after the
    options, under their own text, so nothing is silently dropped."""
    counts: Counter = Counter()
    for text in answers.values():
        for value in dict.fromkeys(q.answer_values(text)):
            counts[value] += 1
    order = list(q.choices)
    extra = sorted(k for k in counts if k not in order)
    total = len(answers)
    rows = [OptionCount(label=o, count=counts[o], share=counts[o] / total if total else 0.0,
                        listed=o in q.choices) for o in order + extra]
    for row, hidden in zip(rows, suppress([r.count for r in rows], total_known=q.kind != "multi"),
                           strict=True):
        row.hidden = hidden
    qr.distribution = rows


def _quotes(bank: Bank, question_id: str, members, answers: dict[str, str], by_id, quotable: set[str],
            attributor: Attributor, key_quotes, size: int, chooser: QuoteChooser) -> list[Quote]:
    wanted = 3 if size >= 10 else 2 if size >= MIN_CELL else 1
    candidates = [m for m in members if m.is_primary and m.respondent_id in answers
                  and m.respondent_id in quotable]
    # Staff key quotes first, then the analysis' ranking (members arrive most representative first);
    # very short answers only when nothing longer is available.
    candidates.sort(key=lambda m: ((m.respondent_id, question_id) not in key_quotes,
                                   len(answers[m.respondent_id].split()) < 8))
    out: list[Quote] = []
    for m in candidates:
        r = by_id[m.respondent_id]
        may_name = consented(r, bank, "name")
        text = quote_text(answers[m.respondent_id], private_strings(r, bank, hide_org=not may_name))
        if not chooser.take(text):  # nothing left to say after redaction, or says what another did
            continue
        out.append(Quote(text=text, attribution=attributor.describe(r),
                         key=(m.respondent_id, question_id) in key_quotes, respondent_id=r.id))
        if len(out) >= wanted:
            break
    return out


def _breakdown(qr: QuestionReport, primary: dict[int, list[str]], by_id: dict[str, Respondent],
               columns) -> tuple[BreakdownTable | None, str]:
    if not columns or not qr.real_themes:
        return None, ""
    if qr.substantive < BREAKDOWN_MIN_ANSWERS:
        return None, (f"Too few answers ({qr.substantive}) to break the themes down by group without "
                      "risking identifying organisations.")
    members = {t.theme_id: primary.get(t.theme_id, []) for t in qr.themes}
    group_members = []
    kept = []
    for title, f, option in columns:
        ids = {rid for ids in members.values() for rid in ids if _in_group(by_id[rid], f, option)}
        if len(ids) >= MIN_CELL:
            kept.append(title)
            group_members.append((f, option, ids))
    if len(kept) < 2:
        return None, ("Too few answers from each group of organisations to break the themes down "
                      "without risking identifying them.")
    rows = []
    grid = []
    for t in qr.themes:
        ids = set(members[t.theme_id])
        grid.append([len(ids & g[2]) for g in group_members])
    # suppress column by column: a column adds up to its "answered" figure
    hidden_cols = [suppress([row[c] for row in grid]) for c in range(len(kept))]
    for i, t in enumerate(qr.themes):
        cells = []
        for c, (_f, _o, ids) in enumerate(group_members):
            n = grid[i][c]
            cells.append(Cell(n, n / len(ids), hidden_cols[c][i]))
        rows.append((t.label if t.kind == "theme" else "Other (no common theme)", cells))
    answered = [Cell(len(g[2]), None) for g in group_members]
    dropped = len(columns) - len(kept)
    return BreakdownTable(columns=kept, answered=answered, rows=rows, note=dropped_note(dropped)), ""


def dropped_note(dropped: int) -> str:
    """'1 group with fewer than 5 answers is left out.' ('' for none)."""
    if not dropped:
        return ""
    if dropped == 1:
        return f"1 group with fewer than {MIN_CELL} answers is left out."
    return f"{dropped} groups with fewer than {MIN_CELL} answers are left out."


def _profile(bank: Bank, counted: list[Respondent]) -> list[ProfileBreakdown]:
    out = []
    for f in bank.profile:
        if f.personal or f.role or f.kind not in ("choice", "multi"):
            continue
        if not (f.breakdown or f.kind == "multi"):
            continue
        counts: Counter = Counter()
        for r in counted:
            vals = values(r.profile.get(f.id))
            if not vals:
                counts["Not stated"] += 1
            for v in vals if f.kind == "multi" else vals[:1]:
                counts[v if v in f.options else "Other"] += 1
        order = [o for o in f.options if counts[o]] + [k for k in ("Other", "Not stated")
                                                        if k not in f.options and counts[k]]
        rows = _merge_small([(o, counts[o]) for o in order], total_known=f.kind != "multi")
        title = re.sub(r"\s*\(.*?\)\s*$", "", f.text).rstrip("?")
        out.append(ProfileBreakdown(title=title, rows=rows, multi=f.kind == "multi"))
    return out


def _merge_small(pairs: list[tuple[str, int]], *, total_known: bool) -> list[CountRow]:
    """Groups of 5 or more as they are; the rest in one row naming them, with their combined
    count where that is 5 or more (and the groups add up to the total)."""
    shown = suppress([n for _, n in pairs], total_known=total_known)
    rows = [CountRow(label, n, str(n)) for (label, n), hide in zip(pairs, shown, strict=True) if hide is None]
    small = [(label, n) for (label, n), hide in zip(pairs, shown, strict=True) if hide is not None]
    if small:
        names = ", ".join(label for label, _ in small)
        combined = sum(n for _, n in small)
        if total_known and combined >= MIN_CELL:
            rows.append(CountRow(f"Combined to protect small numbers: {names}", combined, str(combined)))
        else:
            rows.append(CountRow(f"Each fewer than {MIN_CELL}: {names}", 0, FEWER + " each"))
    return rows


def _pretty(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.3g}"
    if isinstance(value, list | tuple):
        return ", ".join(_pretty(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_pretty(v)}" for k, v in value.items())
    return str(value)


def _method(run: Run | None, sections: list[SectionReport]) -> Method | None:
    if run is None:
        return None
    simple = [("method", run.method)] + [
        (k.replace("_", " "), _pretty(v)) for k, v in run.params.items()
        if not isinstance(v, dict | list) or len(_pretty(v)) < 120]
    summary = [(k.replace("_", " "), _pretty(v)) for k, v in run.summary.items()
               if not isinstance(v, dict | list) or len(_pretty(v)) < 120]
    edited = any(t.edited for s in sections for q in s.questions for t in q.themes)
    return Method(run_id=run.id, run_at=run.created_at[:10], method=run.method, version=run.version,
                  params=simple, summary=summary, edited_by_staff=edited)


def _summarise(data: ReportData) -> None:
    candidates = [q for q in data.questions if q.substantive >= SUMMARY_MIN_ANSWERS and q.real_themes]
    ranked = sorted(((t.share, t.count, q.number, t, q) for q in candidates for t in q.real_themes
                     if t.count >= MIN_CELL), key=lambda x: (-x[0], -x[1], x[2]))
    data.strongest = [SummaryItem(q, [t]) for _, _, _, t, q in ranked[:6]]
    for q in candidates:
        ts = q.real_themes
        top = ts[0]
        second = ts[1] if len(ts) > 1 else None
        if top.share >= AGREE_SHARE and (second is None or top.count >= AGREE_RATIO * second.count):
            data.agreed.append(SummaryItem(q, [top]))
        elif second is not None and second.share >= DIVIDED_SHARE and top.count <= DIVIDED_RATIO * second.count:
            close = [t for t in ts if t.share >= DIVIDED_SHARE and top.count <= DIVIDED_RATIO * t.count]
            data.divided.append(SummaryItem(q, close))
    # most evenly split first; the rest are named in one line by the renderers
    data.divided.sort(key=lambda i: (-(i.themes[-1].count / i.themes[0].count), -len(i.themes), i.question.number))
    data.divided_more = data.divided[DIVIDED_SHOWN:]
    data.divided = data.divided[:DIVIDED_SHOWN]
    data.divided.sort(key=lambda i: i.question.number)
    by_label: dict[str, list[QuestionReport]] = {}
    names: dict[str, str] = {}
    for q in data.questions:
        for t in q.real_themes:
            key = t.label.lower()
            names.setdefault(key, t.label)
            if q not in by_label.setdefault(key, []):
                by_label[key].append(q)
    data.recurring = sorted(((names[k], qs) for k, qs in by_label.items() if len(qs) >= 2),
                            key=lambda x: (-len(x[1]), x[0].lower()))[:8]


__all__ = ["ReportData", "OptionCount", "build_report", "FEWER", "MIN_CELL"]

r"""The report as Markdown that also reads well as plain text.

Respondent and analysis text goes through :func:`md_escape`, which uses CommonMark backslash
escapes (they read better as plain text than HTML entities): ``<`` and ``>`` become ``\<`` and
``\>`` (so no HTML in an answer survives a Markdown renderer), inline markers (``*``, ``_``,
backticks, ``|``, ``~``, ``\``) are escaped, ``]`` is escaped where it could close a link
(``](``, ``][``, ``]:``), ``&`` where it could start an entity (``&amp;``), and a line that would
start a heading, list, quote or rule is escaped too. "[name removed]" and the like stay as they
are: a bracket alone makes no link. Quotes are block quotes, line by line.

Small counts in tables are written ``<5``: a ``<`` followed by a digit cannot open an HTML tag or
an autolink in CommonMark, so it shows as typed.
"""

from __future__ import annotations

import re

from consult.report import words
from consult.report.build import FEWER, BreakdownTable, QuestionReport, ReportData, ThemeReport
from consult.text import clean

_INLINE = re.compile(r"([\\`*_|~<>]|\](?=[(\[:])|&(?=#?[A-Za-z0-9]+;))")
FEWER_MARK = "<5"  # a small count in a table; explained in the note under it
_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+[.)])", re.MULTILINE)


def md_escape(text: str) -> str:
    """Escape cleaned text so that Markdown renders it literally."""
    out = _INLINE.sub(r"\\\1", clean(text))
    out = _LINE_START.sub(lambda m: m.group(1) + ("\\" + m.group(2) if not m.group(2)[0].isdigit()
                                                  else m.group(2)[:-1] + "\\" + m.group(2)[-1]), out)
    return out


def _one_line(text: str) -> str:
    return md_escape(" ".join(clean(text).split()))


def render_markdown(d: ReportData) -> str:
    out: list[str] = []
    w = out.append
    if d.series:
        w(f"*{md_escape(d.series)}*\n")
    w(f"# {_one_line(d.title)}\n")
    if d.subtitle:
        w(f"**{_one_line(d.subtitle)}**\n")
    w(f"What {md_escape(d.publisher or 'members')} members said: feedback to Government.\n")
    facts = []
    if d.publisher:
        facts.append(f"- Published by: {md_escape(d.publisher)}")
    if d.date:
        facts.append(f"- Discussion paper: {md_escape(d.date)}")
    facts.append(f"- Responses counted: {d.counted:,}")
    facts.append(f"- Report produced: {md_escape(d.generated_at)}")
    w("\n".join(facts) + "\n")
    if d.empty:
        w("## Summary\n")
        w(f"{words.NO_RESPONSES}\n")
        w("## The questions\n")
        for s in d.sections:
            w(f"### {_one_line(s.title)}\n")
            w("\n".join(f"- Q{q.number}. {_one_line(q.text)}" for q in s.questions) + "\n")
    else:
        _contents(d, w)
        _summary(d, w)
        _respondents(d, w)
        _method(d, w)
        for s in d.sections:
            w(f"## Section {s.number}. {_one_line(s.title)}\n")
            if s.context:
                w(f"*From the paper (summary):* {_one_line(s.context)}\n")
            for q in s.questions:
                _question(q, w)
    w("---\n")
    w(f"{md_escape(words.PRIVACY)}\n")
    w(f"Produced with consult on {md_escape(d.generated_at)}.\n")
    return "\n".join(out)


def _contents(d: ReportData, w) -> None:
    lines = ["## Contents\n", "1. Summary", "2. Who responded", "3. How the answers were analysed"]
    for i, s in enumerate(d.sections, start=4):
        first, last = s.questions[0].number, s.questions[-1].number
        qs = f"Q{first}" if first == last else f"Q{first}\u2013Q{last}"
        lines.append(f"{i}. {_one_line(s.title)} ({qs})")
    w("\n".join(lines) + "\n")


def _summary(d: ReportData, w) -> None:
    w("## Summary\n")
    w(f"{md_escape(words.summary_lead(d))}\n")
    w(f"{md_escape(words.answered_overall(d))}\n")
    if d.strongest:
        w("### The strongest themes\n")
        w("\n".join(f"{i}. **{_one_line(item.themes[0].label)}**: {words.pct(item.themes[0].share)} of "
                    f"answers to Q{item.question.number} ({md_escape(words.short_question(item.question))}), "
                    f"{words.plural(item.themes[0].count, 'answer')}."
                    for i, item in enumerate(d.strongest, start=1)) + "\n")
    if d.agreed:
        w("### Where members agreed\n")
        w("\n".join(f"- Q{it.question.number} {md_escape(words.short_question(it.question))}: most said "
                    + "; ".join(f"**{_one_line(t.label)}** ({words.pct(t.share)})" for t in it.themes)
                    for it in d.agreed) + "\n")
    if d.divided:
        w("### Where views divided\n")
        w("No single view dominated: answers spread across several themes of similar size. These may "
          "be different concerns rather than opposing views; the question pages say more.\n")
        w("\n".join(f"- Q{it.question.number} {md_escape(words.short_question(it.question))}: spread across "
                    + "; ".join(f"**{_one_line(t.label)}** ({words.pct(t.share)})" for t in it.themes)
                    for it in d.divided) + "\n")
        if d.divided_more:
            w("Answers were also spread across several themes in "
              + ", ".join(f"Q{i.question.number}" for i in d.divided_more) + ".\n")
    if not (d.agreed or d.divided or d.strongest):
        w("Too few answers have been analysed yet to say where members agreed or disagreed.\n")
    if d.recurring:
        w("### Themes that recur across questions\n")
        w("\n".join(f"- **{_one_line(label)}**: " + ", ".join(f"Q{q.number}" for q in qs)
                    for label, qs in d.recurring) + "\n")


def _table(header: list[str], rows: list[list[str]], right: set[int]) -> str:
    aligns = ["---:" if i in right else "---" for i in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(aligns) + " |"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def _respondents(d: ReportData, w) -> None:
    w("## Who responded\n")
    w(f"{md_escape(words.response_overview(d))}\n")
    w(_table(["Responses", "Number", "In this report"],
             [["Submitted", f"{d.submitted:,}", "Counted"],
              ["Drafts (not yet submitted)", f"{d.drafts:,}", "Counted" if d.include_drafts else "Not counted"],
              ["Excluded by staff", f"{d.excluded:,}", "Not counted"]], {1}))
    for p in d.profile:
        w(f"### {_one_line(p.title)}\n")
        if p.multi:
            w("Organisations could choose several, so the figures add up to more than the number of "
              "responses.\n")
        w(_table(["Group", "Responses"], [[_one_line(r.label), r.shown] for r in p.rows], {1}))


def _method(d: ReportData, w) -> None:
    w("## How the answers were analysed\n")
    for p in words.method_paragraphs(d):
        w(f"{md_escape(p)}\n")
    w(f"{md_escape(words.PRIVACY)}\n")
    m = d.method
    if m and (m.params or m.summary):
        w("Technical details of the analysis:\n")
        w("\n".join(f"- {_one_line(k)}: {_one_line(v)}" for k, v in m.params + m.summary) + "\n")


def _question(q: QuestionReport, w) -> None:
    w(f"### Q{q.number}. {_one_line(q.text)}\n")
    w(f"{md_escape(words.answered_line(q))}\n")
    if q.note and q.answered:
        w(f"*{md_escape(q.note)}*\n")
    if q.distribution and q.answered:
        if q.kind == "scale" and q.help:
            w(f"*{_one_line(q.help)}*\n")
        head = "Number" if q.kind == "scale" else "Option"
        w(_table([head, "Answers", "Share"],
                 [[_one_line(o.label), o.shown, words.option_share(o)] for o in q.distribution], {1, 2}))
        for note in words.distribution_notes(q):
            w(f"*{md_escape(note)}*\n")
    if q.themes:
        rows = [[str(i) if t.kind == "theme" else "", _one_line(t.label) if t.kind == "theme"
                 else "Other (no common theme)", f"{t.count:,}", words.pct(t.share)]
                for i, t in enumerate(q.themes, start=1)]
        w(_table(["#", "Theme", "Answers", "Share"], rows, {2, 3}))
        for i, t in enumerate(q.themes, start=1):
            _theme(i, t, q, w)
    if q.breakdown is not None:
        _breakdown(q.breakdown, w)
    elif q.breakdown_note:
        w(f"*{md_escape(q.breakdown_note)}*\n")


def _theme(i: int, t: ThemeReport, q: QuestionReport, w) -> None:
    if t.kind != "theme" and not t.quotes:
        return
    label = _one_line(t.label) if t.kind == "theme" else "Other (no common theme)"
    w(f"#### {i}. {label} ({words.theme_line(t, q)})\n")
    desc = words.describe_theme(t, _one_line) if q.kind == "text" else ""
    if desc:
        w(desc + "\n")
    terms = words.key_words(t) if q.kind == "text" else ""
    if terms:
        w(f"{_one_line(terms)}\n")
    if t.similar_to:
        w(f"Close to the theme \u201c{_one_line(t.similar_to)}\u201d.\n")
    for quote in t.quotes:
        lines = [md_escape(line) for line in quote.text.split("\n")]
        body = "\n".join(("> " + line) if line.strip() else ">" for line in lines)
        w(f"{body}\n>\n> \u2014 {_one_line(quote.attribution)}\n")
    if t.kind == "theme" and not t.quotes and q.kind == "text":
        w("*No organisation in this theme agreed to be quoted.*\n")


def _breakdown(b: BreakdownTable, w) -> None:
    w("Who raised each theme (share of each group's substantive answers):\n")
    header = ["Theme"] + [_one_line(c) for c in b.columns]
    rows = []
    for label, cells in b.rows:
        rows.append([_one_line(label)] + [(FEWER_MARK if c.hidden == FEWER else "\u2013") if c.hidden
                                         else words.pct(c.share or 0) for c in cells])
    rows.append(["**Answered**"] + [f"{c.count:,}" for c in b.answered])
    w(_table(header, rows, set(range(1, len(header)))))
    w(f"*{FEWER_MARK}: {md_escape(words.breakdown_note(b))}*\n")

r"""The report as Markdown that also reads well as plain text, from the same model as the HTML.

Every string goes through :func:`md_escape`: CommonMark backslash escapes (they read better as
plain text than HTML entities). ``<`` and ``>`` become ``\<`` and ``\>`` (no HTML in an answer
survives a Markdown renderer), inline markers (``*``, ``_``, backticks, ``|``, ``~``, ``\``) are
escaped, ``]`` where it could close a link, ``&`` where it could start an entity, and a line that
would start a heading, list, quote or rule is escaped too. Quotes are block quotes, line by line.
"""

from __future__ import annotations

import re

from consult.report.model import Quote, Report, Table, ThemeView, question_heading, section_heading
from consult.text import clean

_INLINE = re.compile(r"([\\`*_|~<>]|\](?=[(\[:])|&(?=#?[A-Za-z0-9]+;))")
_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+[.)])", re.MULTILINE)


def md_escape(text: str) -> str:
    """Escape cleaned text so that Markdown renders it literally."""
    out = _INLINE.sub(r"\\\1", clean(text))
    return _LINE_START.sub(lambda m: m.group(1) + ("\\" + m.group(2) if not m.group(2)[0].isdigit()
                                                   else m.group(2)[:-1] + "\\" + m.group(2)[-1]), out)


def _line(text: str) -> str:
    return md_escape(" ".join(clean(text).split()))


def _quote(q: Quote) -> list[str]:
    lines = [("> " + md_escape(line)).rstrip() for line in q.text.split("\n")]
    return lines + [">", f"> \u2014 {_line(q.attribution)}", ""]


def _table(t: Table) -> list[str]:
    out = [f"**{_line(t.caption)}**", ""]
    out.append("| " + " | ".join(_line(h) or " " for h in t.header) + " |")
    out.append("|" + "".join(" ---: |" if i >= t.numeric_from else " --- |" for i in range(len(t.header))))
    out += ["| " + " | ".join(_line(c) for c in row) + " |" for row in t.rows]
    out.append("")
    for n in t.notes:
        out += [f"*{_line(n)}*", ""]
    return out


def _theme_line(t: ThemeView, bullet: str) -> str:
    line = f"{bullet}**{_line(t.label)}**: {_line(t.figure)}."
    if t.description:
        d = _line(t.description)
        line += " " + (f"\u201c{d}\u201d" if t.description_is_quote else d)
    return line


def render_markdown(r: Report) -> str:
    out: list[str] = []
    w = out.extend
    if r.series:
        w([f"*{_line(r.series)}*", ""])
    w([f"# {_line(r.title)}", ""])
    if r.subtitle:
        w([f"**{_line(r.subtitle)}**", ""])
    w(["What members said: a report to Government.", ""])
    facts = ([f"- Published by: {_line(r.publisher)}"] if r.publisher else []) + (
        [f"- Discussion paper: {_line(r.date)}"] if r.date else []) + [
        f"- Responses counted: {_line(r.counted_line)}", f"- Report produced: {_line(r.generated_at)}", ""]
    w(facts)
    for p in r.introduction:
        w([_line(p), ""])
    w(["## Key messages", "", _line(r.key_messages_note), ""])
    for n, m in enumerate(r.key_messages, start=1):
        w([f"{n}. **{_line(m.label)}.** {_line(m.text)} (See Q{m.question_number}.)", ""])
        if m.quote:
            w(["   " + line if line else "" for line in _quote(m.quote)])
    w(["## Summary by section", ""])
    for s in r.sections:
        w([f"### {s.number}. {_line(s.title)}", "", _line(s.summary), ""])
        if s.summary_quote:
            w(_quote(s.summary_quote))
    w(["## Who responded", ""])
    for p in r.respondents:
        w([_line(p), ""])
    for t in r.respondent_tables:
        w(_table(t))
    w(["## How the answers were analysed", ""])
    for p in r.method + [r.privacy]:
        w([_line(p), ""])
    for s in r.sections:
        w([f"## {_line(section_heading(s))}", ""])
        for q in s.questions:
            w([f"### {_line(question_heading(q))}", "", _line(q.answered_line), ""])
            if q.distribution:
                w(_table(q.distribution))
            for t in q.themes:
                w([_theme_line(t, "- ")] + [_theme_line(c, "  - ") for c in t.children])
            if q.themes:
                w([""])
            for quote in q.quotes:
                w(_quote(quote))
            for n in q.notes:
                w([f"*{_line(n)}*", ""])
    if r.conclusion:
        w(["## Conclusion", ""] + [x for p in r.conclusion for x in (_line(p), "")])
    if r.about or r.contact:
        w([f"## {_line(r.about_heading)}", ""] + [x for p in r.about for x in (_line(p), "")])
        if r.contact:
            w([f"**Contact:** {_line(r.contact)}", ""])
    w(["## Appendix: full tables", ""])
    for t in r.appendix_profile:
        w(_table(t))
    for q in r.questions:
        if q.full_table:
            w([f"### Table Q{q.number}", ""])
            w(_table(q.full_table))
            for b in q.breakdowns:
                w(_table(b))
            if q.breakdown_note:
                w([f"*{_line(q.breakdown_note)}*", ""])
    if r.technical:
        w(_table(r.technical))
    w([f"*Produced with consult on {_line(r.generated_at)}.*", ""])
    return "\n".join(out)

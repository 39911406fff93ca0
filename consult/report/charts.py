"""Charts of theme shares: one per question, built from the same figures as the tables (so the
small-number rule holds: a hidden figure gets no bar and reads as the tables read it), drawn as
inline SVG for the HTML and the PDF, and as a table of text bars for Word.

Every text in the SVG is theme-label text staff or members wrote: it is cleaned of control
characters and XML-escaped here (:func:`_text`), and nothing in the SVG runs or fetches anything.
"""

from __future__ import annotations

import textwrap

from markupsafe import Markup, escape

from consult.report import disclosure as dc
from consult.report.model import Bar, Chart
from consult.report.privacy import clean_label
from consult.report.source import CodedTheme, QuestionCoding
from consult.text import clean

CHART_BARS = 8  # broad themes drawn per question: enough for most, and the body stays short
OTHER_LABEL = "Other (no common theme)"  # these two also name the full table's rows
NOTHING_LABEL = "Nothing to add (\u201cno comment\u201d, \u201cn/a\u201d)"
NO_BAR = "(no bar)"  # said where a hidden figure would have had its bar

# Layout, in SVG user units (about CSS pixels): 640 fits the A4 text width and the page's column.
WIDTH = 640
LABEL_WIDTH = 230  # the theme labels, left-aligned in this column
LABEL_CHARS = 32  # 12px sans-serif characters that surely fit in LABEL_WIDTH (wide letters too)
LABEL_LINES = 2  # a longer label is shortened with an ellipsis (the table beside it has it whole)
BAR_X = 240
BAR_LENGTH = 300  # the bar for the chart's scale (its largest share rounded up to 10%)
LINE = 15  # label line height
ROW_GAP = 9
BAR_HEIGHT = 14
AXIS = 24  # room under the bars for the percentage scale
INK, MUTED, ACCENT, OTHER, RULE = "#1d2327", "#5b6770", "#1f5f8b", "#8a96a0", "#d5dbe0"
FONT = "Helvetica Neue, Arial, Liberation Sans, sans-serif"
TEXT_BAR = 20  # block characters for the chart's scale in the Word table


def theme_chart(number: int, coding: QuestionCoding, top: list[CodedTheme], hidden: dict[int, str],
                other_hidden: str | None) -> Chart | None:
    """The chart of question ``number``'s broad themes, largest first, then "Nothing to add" and
    "Other" last, muted; ``hidden``
    and ``other_hidden``: the texts the tables print for figures the rule hides."""
    if not top:
        return None
    pop = coding.population
    bars = [_bar(clean_label(t.label), t.count, t.share, hidden.get(t.id)) for t in top[:CHART_BARS]]
    # the answers in no theme are drawn too, as in the table: left out, their figure would follow
    # from the others' by subtraction (and "nothing to add" is in the answered line anyway)
    for label, ids, shown in ((NOTHING_LABEL, coding.non_answers, None), (OTHER_LABEL, coding.other, other_hidden)):
        if ids:
            bars.append(_bar(label, len(ids), len(ids) / pop if pop else 0.0, shown, other=True))
    note = (f"{len(top) - CHART_BARS} smaller themes are in table Q{number} of the appendix."
            if len(top) > CHART_BARS else "")
    return Chart(title=f"Share of the {dc.counted(pop, 'organisation')} answering Q{number} that raised "
                       "each theme", bars=bars, note=note)


def _bar(label: str, n: int, share: float, hidden: str | None, *, other: bool = False) -> Bar:
    if hidden is not None or dc.is_small(n):
        return Bar(label=label, share=None, figure=hidden or dc.FEWER, other=other)
    return Bar(label=label, share=share, figure=f"{dc.count(n)} ({dc.pct(share)})", other=other)


# ------------------------------------------------------------------------------- SVG
def _text(s: str) -> Markup:
    """Cleaned (no control character survives: none is allowed in XML) and escaped."""
    return escape(clean(s))


def _lines(label: str) -> list[str]:
    lines = textwrap.wrap(" ".join(label.split()), LABEL_CHARS) or [""]
    if len(lines) > LABEL_LINES:
        lines = lines[:LABEL_LINES]
        lines[-1] = lines[-1][: LABEL_CHARS - 1].rstrip() + "\u2026"
    return lines


def svg(chart: Chart, ident: str) -> Markup:
    """The chart as one inline ``<svg>`` element, with a title and a description that say in
    words what the bars show (for screen readers; the appendix table has the same figures)."""
    scale = chart.scale
    rows, y = [], 4
    for bar in chart.bars:
        lines = _lines(bar.label)
        height = max(BAR_HEIGHT + ROW_GAP, LINE * len(lines) + ROW_GAP)
        rows.append((bar, lines, y, height))
        y += height
    bars_bottom = y
    height = bars_bottom + AXIS
    ticks = [i / 10 for i in range(0, round(scale * 10) + 1, 1 if scale <= 0.5 else 2)]
    out = [f'<svg class="chart" role="img" width="{WIDTH}" '
           f'height="{height}" viewBox="0 0 {WIDTH} {height}" aria-labelledby="{ident}-t {ident}-d" '
           f'font-family="{FONT}" font-size="12">',
           f'<title id="{ident}-t">{_text(chart.title)}</title>',
           f'<desc id="{ident}-d">{_text(describe(chart))}</desc>']
    for t in ticks:
        x = BAR_X + round(BAR_LENGTH * t / scale, 1)
        out.append(f'<line x1="{x}" y1="0" x2="{x}" y2="{bars_bottom}" stroke="{RULE}" stroke-width="1"/>')
        out.append(f'<text x="{x}" y="{bars_bottom + 16}" text-anchor="middle" fill="{MUTED}" '
                   f'font-size="11">{t * 100:.0f}%</text>')
    for bar, lines, top, h in rows:
        first = top + (h - LINE * len(lines)) / 2 + 11
        label = "".join(f'<tspan x="0" y="{first + k * LINE:g}">{_text(line)}</tspan>'
                        for k, line in enumerate(lines))
        out.append(f'<text fill="{MUTED if bar.other else INK}">{label}</text>')
        mid = top + h / 2
        if bar.share is None:  # hidden by the small-number rule: no bar, and it says so
            said = f"{bar.figure} {NO_BAR}"
            out.append(f'<rect x="{BAR_X + 1}" y="{mid - 8:g}" width="{len(said) * 6 + 8}" height="16" '
                       f'fill="#ffffff"/>')  # the grid does not run through the words
            out.append(f'<text x="{BAR_X + 4}" y="{mid + 4:g}" fill="{MUTED}" font-style="italic">'
                       f'{_text(said)}</text>')
            continue
        length = round(max(1.0, BAR_LENGTH * bar.share / scale), 1)
        out.append(f'<rect x="{BAR_X}" y="{mid - BAR_HEIGHT / 2:g}" width="{length}" height="{BAR_HEIGHT}" '
                   f'fill="{OTHER if bar.other else ACCENT}"/>')
        out.append(f'<text x="{BAR_X + length + 5:g}" y="{mid + 4:g}" fill="{INK}">{_text(bar.figure)}</text>')
    out.append("</svg>")
    return Markup("".join(out))


def describe(chart: Chart) -> str:
    """The chart in words: its title, then each bar's label and figure."""
    return chart.title + ": " + "; ".join(f"{b.label}, {b.figure}" for b in chart.bars) + "."


def text_bar(bar: Bar, scale: float) -> str:
    """The bar as block characters (for Word), or nothing when its figure is hidden."""
    if bar.share is None:
        return ""
    return "\u2588" * max(1, round(TEXT_BAR * bar.share / scale))

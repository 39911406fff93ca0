"""A question's appendix tables: its full table of themes and its breakdowns by profile, with the
small-number rule applied to all of them at once (:class:`consult.report.disclosure.Figures`), so
that no hidden figure can be worked out from the others, within one table or between them."""

from __future__ import annotations

from dataclasses import dataclass

from consult.report import disclosure as dc
from consult.report.charts import CHART_BARS, NOTHING_LABEL, OTHER_LABEL
from consult.report.model import Table
from consult.report.people import Grid, breakdown_caption
from consult.report.privacy import clean_label
from consult.report.source import CodedTheme, QuestionCoding, share

OTHER_ROW, NOTHING_ROW = OTHER_LABEL, NOTHING_LABEL
SUB = "\u2003\u2013 "  # a sub-theme's row starts so, under its broad theme
ANSWERED = "Answered"


@dataclass
class QuestionTables:
    full: Table
    breakdowns: list[Table]
    hidden: dict[int, str]  # theme id -> the text printed for its hidden count (text and chart too)
    other: str | None  # the same for the "Other" count, when it is hidden
    exposed: bool  # a hidden figure still follows from figures the text prints (Figures.exposed)


def question_tables(caption: str, coding: QuestionCoding, top: list[CodedTheme],
                    children: dict[int, list[CodedTheme]], in_text: set[int],
                    grids: list[tuple[list[int], Grid]]) -> QuestionTables:
    """The full table, the breakdowns, and which theme counts are hidden (the text and the chart
    hide them too). ``in_text``: themes whose count the report prints in its text as it is (never
    hidden here); ``grids``: each breakdown with the theme ids of its rows."""
    figs = dc.Figures()
    pop = coding.population
    answered = figs.add(pop, fixed=True)  # the question's answered line prints it
    rows: list[tuple[str, int, float]] = []
    index: dict[int, int] = {}
    kid_index: dict[int, list[int]] = {}
    for t in top:
        index[t.id] = figs.add(t.count, fixed=t.id in in_text)
        rows.append((clean_label(t.label), index[t.id], t.share))
        kids = []
        for c in children[t.id]:
            kids.append(figs.add(c.count, fixed=c.id in in_text))
            rows.append((SUB + clean_label(c.label), kids[-1], c.share))
        kid_index[t.id] = kids
        if kids:
            figs.sum(index[t.id], kids)
    parts = [index[t.id] for t in top]
    other = None
    for label, ids, fixed in ((OTHER_ROW, coding.other, False), (NOTHING_ROW, coding.non_answers, True)):
        if ids:  # "nothing to add" is also in the answered line
            parts.append(figs.add(len(ids), fixed=fixed))
            rows.append((label, parts[-1], share(len(ids), pop)))
            other = parts[-1] if label == OTHER_ROW else other
    uncoded = figs.add(len(coding.uncoded), fixed=True)  # in the answered line, not in the table
    figs.sum(answered, parts + [uncoded])
    drawn = [index[t.id] for t in top[:CHART_BARS]] + parts[len(top):]
    figs.sum(answered, drawn + [uncoded])  # the chart's bars against the number answering

    cells: list[tuple[Grid, list[list[int]]]] = []
    for theme_ids, g in grids:
        columns = [figs.add(n, fixed=True) for n in g.answering]  # the shares give them away anyway
        grid = [[figs.add(n) for n in row] for row in g.cells]
        for j, col in enumerate(columns):
            figs.sum(col, [row[j] for row in grid])
        for tid, row in zip(theme_ids, grid, strict=True):
            figs.sum(index[tid], row)  # a theme's row adds up to its count when every group is kept
        cells.append((g, grid))
    figs.protect()

    full = Table(caption=caption, header=["Theme", "Organisations", "Share"],
                 rows=[[label, figs.text(i), dc.pct(s) if figs.shown(i) else dc.DASH] for label, i, s in rows] + [[ANSWERED, figs.text(answered), ""]],
                 notes=[])
    if any(len(t.respondents) != len(t.primary) for t in coding.themes):
        full.notes.append("An answer can raise more than one theme, so the figures add up to more than "
                          "the number answering.")
    if _secondary(figs, [i for _, i, _ in rows]):
        full.notes.append(dc.HIDDEN_NOTE)
    ids = dict(index) | {c.id: i for t in top for c, i in zip(children[t.id], kid_index[t.id], strict=True)}
    return QuestionTables(full=full, breakdowns=[_breakdown(figs, g, grid) for g, grid in cells],
                          hidden={tid: figs.text(i) for tid, i in ids.items() if not figs.shown(i)},
                          other=figs.text(other) if other is not None and not figs.shown(other) else None,
                          exposed=bool(figs.exposed()))


def _breakdown(figs: dc.Figures, g: Grid, grid: list[list[int]]) -> Table:
    rows = [[label] + [_count_share(figs, i, n) for i, n in zip(row, g.answering, strict=True)]
            for label, row in zip(g.labels, grid, strict=True)]
    rows.append([ANSWERED] + [dc.count(n) for n in g.answering])
    notes = []
    if g.some_left_out:
        notes.append(f"Groups with {dc.FEWER} organisations answering are left out.")
    if _secondary(figs, [i for row in grid for i in row]):
        notes.append(dc.HIDDEN_NOTE)
    return Table(caption=breakdown_caption(g.field), header=["Theme"] + g.kept, rows=rows, notes=notes)


def _count_share(figs: dc.Figures, i: int, answering: int) -> str:
    """'12 (30%)' of the group answering, or the text that stands for a hidden figure."""
    return f"{figs.text(i)} ({dc.pct(figs.values[i] / answering)})" if figs.shown(i) else figs.text(i)


def _secondary(figs: dc.Figures, ids: list[int]) -> bool:
    return any(figs.hidden.get(i) == dc.HIDDEN for i in ids)

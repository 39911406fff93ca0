"""Who responded, and who raised each theme: counts by profile field, grouped and suppressed by
the one small-number rule (:mod:`consult.report.disclosure`)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from consult.questions import Bank, ProfileField
from consult.report import disclosure as dc
from consult.report.model import Table
from consult.report.privacy import values
from consult.store import Respondent

NOT_STATED = "Not stated"


def title_of(f: ProfileField) -> str:
    """The bank's text for the field, without a trailing bracket ("(choose all that apply)")."""
    return re.sub(r"\s*\(.*?\)\s*$", "", f.text).strip()


def category(r: Respondent, f: ProfileField) -> list[str]:
    """The categories ``r`` is counted in for field ``f``, after the bank's grouping."""
    vals = values(r.profile.get(f.id))
    if not vals:
        return [NOT_STATED]
    vals = vals if f.kind == "multi" else vals[:1]
    return list(dict.fromkeys(dc.group(f, v if v in f.options else "Other") for v in vals))


def profile_fields(bank: Bank) -> list[ProfileField]:
    return [f for f in bank.profile if not f.personal and not f.role and f.kind in ("choice", "multi")]


def profile_table(f: ProfileField, people: list[Respondent]) -> tuple[Table | None, str]:
    """How many counted organisations are in each category of ``f``; ``None`` and a line saying
    why when every figure would be hidden."""
    counts: Counter = Counter()
    for r in people:
        counts.update(category(r, f))
    order = [o for o in f.grouped_options if counts[o]] + [
        k for k in ("Other", NOT_STATED) if k not in f.grouped_options and counts[k]]
    figures = [counts[o] for o in order]
    title = title_of(f)
    if dc.all_hidden(figures):
        return None, f"\u201c{title}\u201d: left out, as every figure would be {dc.FEWER}."
    hidden = dc.suppress(figures, total_known=f.kind != "multi")
    total = len(people)
    rows = [[label, h or dc.count(n), dc.DASH if h else dc.pct(dc_share(n, total))]
            for label, n, h in zip(order, figures, hidden, strict=True)]
    notes = []
    if f.kind == "multi":
        notes.append("Organisations could choose several, so the figures add up to more than the "
                     "number of responses.")
    if f.groups:
        notes.append("Counted in wider areas: " + "; ".join(
            f"{name} ({', '.join(members)})" for name, members in f.groups) + ".")
    return Table(caption=title, header=["", "Organisations", "Share"], rows=rows, notes=notes), ""


def dc_share(n: int, total: int) -> float:
    return n / total if total else 0.0


def breakdown_fields(bank: Bank) -> list[ProfileField]:
    return [f for f in bank.breakdown_fields if f.kind == "choice" and not f.personal]


@dataclass
class Grid:
    """A breakdown before the small-number rule: how many of each kept category's answering
    organisations raised each theme (rows follow the themes given, columns ``kept``)."""

    field: ProfileField
    labels: list[str]  # the themes, one per row
    kept: list[str]
    answering: list[int]  # per kept category
    cells: list[list[int]]
    some_left_out: bool  # categories with fewer than MIN_COUNT answering were dropped


def breakdown(f: ProfileField, themes: list[tuple[str, set[str]]], answered: set[str],
              by_id: dict[str, Respondent]) -> Grid | None:
    """Themes (rows) by the categories of ``f`` (columns). Categories with fewer than MIN_COUNT
    answering are left out; ``None`` when fewer than two categories remain or every cell would be
    hidden. The rule is applied with the question's full table (:mod:`consult.report.tables`)."""
    members: dict[str, set[str]] = {}
    for rid in answered:
        for c in category(by_id[rid], f):
            members.setdefault(c, set()).add(rid)
    order = [c for c in list(f.grouped_options) + ["Other", NOT_STATED] if c in members]
    kept = [c for c in order if len(members[c]) >= dc.MIN_COUNT]
    if len(kept) < 2:
        return None
    grid = [[len(ids & members[c]) for c in kept] for _, ids in themes]
    if dc.all_hidden([n for row in grid for n in row]):
        return None
    return Grid(field=f, labels=[label for label, _ in themes], kept=kept, answering=[len(members[c]) for c in kept], cells=grid,
                some_left_out=len(kept) < len(order))


def breakdown_caption(f: ProfileField) -> str:
    return f"Themes by \u201c{title_of(f)}\u201d"

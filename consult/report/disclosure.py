"""The one rule for small numbers, used by every table, chart and sentence of the report.

- A count of 1 to ``MIN_COUNT - 1`` organisations is never printed: it reads "fewer than 5".
  A share of such a count is not printed either.
- Secondary suppression: wherever printed figures add up to a total a reader can see (a column
  and its "Answered" row, a theme and its sub-themes, a breakdown row and the theme's count), and
  exactly one of them is hidden, the next smallest is hidden too ("not shown"), so that the hidden
  one cannot be worked out by subtraction. One :class:`Figures` per question holds its full table
  and its breakdowns together, so a figure hidden in one cannot be worked out from another.
  A figure the text prints in full (a question's "answered", its main themes' counts) is never
  hidden to protect another; where only such figures stand beside a small remainder (answers in
  no theme, or with nothing to add), that remainder can be worked out, and the method says so.
- Before anything is hidden, categories are combined by the grouping the bank declares for the
  profile field (regions into wider areas: ``groups`` in the bank).
- A breakdown whose cells would all be hidden is left out, with one line saying so.

The method section states the rule once, in :func:`rule_sentence`.
"""

from __future__ import annotations

from collections.abc import Sequence

from consult.questions import ProfileField

# Counts of 1-4 organisations can identify one in a membership this size (the usual
# statistical-disclosure threshold for small populations), so below this a count is not shown.
MIN_COUNT = 5
FEWER = f"fewer than {MIN_COUNT}"
HIDDEN = "not shown"  # a larger figure hidden so that a suppressed one cannot be worked out
DASH = "\u2013"
HIDDEN_NOTE = (f"\u201c{HIDDEN.capitalize()}\u201d: a figure hidden so that one \u201c{FEWER}\u201d "
               "cannot be worked out from a total.")


def is_small(n: int) -> bool:
    return 0 < n < MIN_COUNT


def count(n: int) -> str:
    """'12', '0', or 'fewer than 5'."""
    return FEWER if is_small(n) else f"{n:,}"


def pct(share: float) -> str:
    p = share * 100
    if 0 < p < 1:
        return "under 1%"
    return f"{p:.0f}%"


def count_share(n: int, share: float) -> str:
    """'12 (29%)', or 'fewer than 5' with no share."""
    return FEWER if is_small(n) else f"{n:,} ({pct(share)})"


def share_or_dash(n: int, share: float) -> str:
    return DASH if is_small(n) else pct(share)


def of(n: int, total: int, noun: str, plural_noun: str | None = None) -> str:
    """'29 of 42 organisations', 'fewer than 5 of 42 organisations', '1 organisation' never."""
    many = plural_noun or noun + "s"
    if total == n:
        return f"all {count(total)} {many}" if not is_small(total) else f"{FEWER} {many}"
    return f"{count(n)} of {count(total)} {many if total != 1 else noun}"


def counted(n: int, noun: str, plural_noun: str | None = None) -> str:
    """'12 organisations', 'fewer than 5 organisations', 'no organisations'."""
    many = plural_noun or noun + "s"
    if n == 0:
        return f"no {many}"
    return f"{count(n)} {many}"


class Figures:
    """The counts one table (or a question's linked tables) prints, with every sum a reader could
    check, so that secondary suppression sees them all at once.

    A *sum* is a total and its parts (a column and its "Answered" row, a theme and its sub-themes,
    a theme's row across a breakdown and its count in the full table). Where the printed parts
    really add up to the total, a line with exactly one unknown figure gives it away by
    subtraction; :meth:`protect` hides one more figure in each such line until none is left.
    A figure printed elsewhere in the report as it is (a theme's count in the text, a question's
    "answered") or not printed at all is *fixed*: it is never hidden to protect another, as
    hiding it here would protect nothing.
    """

    def __init__(self) -> None:
        self.values: list[int] = []
        self.fixed: set[int] = set()
        self.sums: list[tuple[int, list[int]]] = []
        self.hidden: dict[int, str] = {}

    def add(self, n: int, *, fixed: bool = False) -> int:
        """Register a printed figure; its index, for :meth:`sum` and :meth:`text`."""
        self.values.append(n)
        if fixed:
            self.fixed.add(len(self.values) - 1)
        return len(self.values) - 1

    def sum(self, total: int, parts: Sequence[int]) -> None:
        """``total`` is the sum of ``parts`` as a reader could reckon it (checked in :meth:`protect`)."""
        self.sums.append((total, list(parts)))

    def protect(self) -> dict[int, str]:
        """Index -> the text printed instead of the figure, for every figure hidden."""
        v = self.values
        hidden = {i: FEWER for i, n in enumerate(v) if is_small(n)}
        lines = [(t, ps) for t, ps in self.sums if v[t] == sum(v[p] for p in ps)]  # real sums only
        changed = True
        while changed:
            changed = False
            for total, parts in lines:
                if sum(1 for i in [total, *parts] if i in hidden) != 1:
                    continue
                free = [p for p in parts if p not in hidden and p not in self.fixed]
                # the next smallest figure; a 0 only when no other is left; the total last
                pick = min(free, key=lambda p: (v[p] == 0, v[p]), default=None)
                if pick is None and total not in hidden and total not in self.fixed:
                    pick = total
                if pick is not None:
                    hidden[pick] = HIDDEN
                    changed = True
        self.hidden = hidden
        return hidden

    def exposed(self) -> list[int]:
        """Hidden figures that subtraction still gives away (none, unless every other figure in a
        line is printed elsewhere as it is): for tests and the report's own check."""
        hidden = self.hidden
        v = self.values
        return [i for t, ps in self.sums if v[t] == sum(v[p] for p in ps)
                for i in [t, *ps] if i in hidden and sum(1 for j in [t, *ps] if j in hidden) == 1]

    def text(self, i: int) -> str:
        """The figure as printed: '12', '0', 'fewer than 5' or 'not shown'."""
        return self.hidden.get(i) or count(self.values[i])

    def shown(self, i: int) -> bool:
        return i not in self.hidden


def suppress(counts: Sequence[int], *, total_known: bool = True) -> list[str | None]:
    """For each count of a one-way table, ``None`` if it may be shown, else the text to show
    instead; ``total_known``: the counts add up to a total printed elsewhere."""
    figs = Figures()
    parts = [figs.add(c) for c in counts]
    if total_known:
        figs.sum(figs.add(sum(counts), fixed=True), parts)
    hidden = figs.protect()
    return [hidden.get(i) for i in parts]


def all_hidden(counts: Sequence[int]) -> bool:
    """True when no non-zero count in ``counts`` could be shown."""
    return not any(c >= MIN_COUNT for c in counts)


def group(field: ProfileField | None, value: str) -> str:
    """The category a value is counted in: the bank's wider group, else the value."""
    return field.group_of(value) if field is not None else value


def rule_sentence(*, remainder_follows: bool = False) -> str:
    """The rule in plain words, for the method section. ``remainder_follows``: some question's
    small remainder (answers in no theme, or with nothing to add) can be worked out from theme
    figures the report prints in full, so the sentence says so rather than claim otherwise."""
    return (f"To protect the organisations who took part, no figure below {MIN_COUNT} is printed: "
            f"it reads \u201c{FEWER}\u201d. Where such a figure could be worked out by taking the "
            f"other figures in a row or column from its total, one more figure reads "
            f"\u201c{HIDDEN}\u201d as well." + (
                " Where every other figure is a theme\u2019s count, printed in full, the number of "
                "answers left over (in no theme, or with nothing to add) can still be worked out, "
                "though not whose answers they are." if remainder_follows else "") +
            " Regions are counted in the wider areas set out for this "
            "consultation before anything is hidden, and a table that would show nothing but hidden "
            "figures is left out, with a line saying so.")

"""The one rule for small numbers, used by every table, chart and sentence of the report.

- A count of 1 to ``MIN_COUNT - 1`` organisations is never printed: it reads "fewer than 5".
  A share of such a count is not printed either.
- Where hidden cells add up to a published total and exactly one is hidden, the next smallest
  is hidden too ("not shown"), so that the hidden one cannot be worked out by subtraction.
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


def suppress(counts: Sequence[int], *, total_known: bool = True) -> list[str | None]:
    """For each count, ``None`` if it may be shown, else the text to show instead."""
    out: list[str | None] = [FEWER if is_small(c) else None for c in counts]
    if total_known and sum(1 for x in out if x) == 1:
        others = [(c, i) for i, c in enumerate(counts) if out[i] is None and c > 0]
        if others:
            out[min(others)[1]] = HIDDEN
    return out


def all_hidden(counts: Sequence[int]) -> bool:
    """True when no non-zero count in ``counts`` could be shown."""
    return not any(c >= MIN_COUNT for c in counts)


def group(field: ProfileField | None, value: str) -> str:
    """The category a value is counted in: the bank's wider group, else the value."""
    return field.group_of(value) if field is not None else value


def rule_sentence() -> str:
    return (f"To protect the organisations who took part, no figure below {MIN_COUNT} is printed: "
            f"it reads \u201c{FEWER}\u201d, and where it could be worked out from a total, the next "
            f"smallest figure is not shown either. Regions are counted in the wider areas set out "
            f"for this consultation before anything is hidden, and a table that would show nothing "
            f"but hidden figures is left out, with a line saying so.")

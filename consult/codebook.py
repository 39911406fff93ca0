"""Themes as staff and readers see them: the codebook of a question, with who is in each theme.

The one place where codebook rows become counts and shares (contract 1 of the playbook): the
CLI, ``consult browse`` and the report all call :func:`question_coding`. The rules:

- **Staff codings beat machine ones.** An answer staff put in Other is in Other. An answer staff
  coded (moved, or gave another theme) has exactly the themes staff gave it. Otherwise it has
  the themes the last run gave it; an answer the last run found fits nothing is in Other, one it
  found says nothing is a non-answer, and one no run has seen yet is ``uncoded``.
- **Counts are over respondents.** An answer with several themes counts once in each; a broad
  theme counts everyone in it or in any of its sub-themes once. ``share`` is the one rule
  turning a count into a share, over the question's population (everyone who answered, not
  excluded; submitted only, unless drafts are asked for).
- **What staff touch is theirs.** Any staff edit of a theme (rename, describe, merge into, split,
  move an answer in or out, add) makes it ``confirmed``; the store applies this rule on each
  edit (``consult.store.codebook_edits``), and runs never rename, merge, split or drop a
  confirmed theme (``consult.pipeline``).

No SQL here (the store reads the rows) and no TUI.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from consult.store.codebook import CodebookTheme, CodingRows

CANDIDATE = "candidate"
CONFIRMED = "confirmed"
MIN_ANSWERS_FOR_THEMES = 5  # as consult.analysis.MIN_ANSWERS: below it no themes are looked for


@dataclass(frozen=True)
class CodedTheme:
    id: int                 # stable codebook id (survives runs)
    question_id: str
    label: str
    description: str
    parent_id: int | None   # broad theme this sub-theme belongs to (two levels at most)
    status: str             # "candidate" | "confirmed"
    is_new: bool            # proposed by an assigning run into an existing codebook, not yet confirmed
    terms: tuple[str, ...]
    respondents: tuple[str, ...]   # everyone coded to it (primary or not), most representative first
    primary: tuple[str, ...]       # those for whom it is the primary theme
    count: int              # respondents coded to it = len(respondents)
    share: float            # count / question population (codebook.share)
    edited: bool = False    # staff changed it at some point (not only confirmed it)
    origin: str = "analysis"


@dataclass(frozen=True)
class QuestionCoding:
    question_id: str
    population: int         # respondents counted for this question (answered; submitted, not excluded)
    themes: tuple[CodedTheme, ...]
    other: tuple[str, ...]  # respondents whose answer fits no theme
    non_answers: tuple[str, ...]
    too_few: bool
    uncoded: tuple[str, ...] = ()  # answered since the last run: no run has coded them yet

    def theme(self, theme_id: int) -> CodedTheme | None:
        return next((t for t in self.themes if t.id == theme_id), None)

    def themes_of(self, respondent_id: str) -> tuple[CodedTheme, ...]:
        """The respondent's themes, primary first."""
        mine = [t for t in self.themes if respondent_id in t.respondents]
        return tuple(sorted(mine, key=lambda t: respondent_id not in t.primary))


def share(count: int, population: int) -> float:
    """The one share rule: respondents in a group over the question's population (0 when none)."""
    return count / population if population > 0 else 0.0


def question_coding(store, consultation_id: str, question_id: str, *, include_drafts: bool = False) -> QuestionCoding:
    """The question's codebook with everyone counted as the rules above say."""
    themes = store.codebook(consultation_id, question_id)
    rows = store.coding_rows(consultation_id, question_id, include_drafts=include_drafts)
    return build_coding(question_id, themes, rows)


Coded = tuple[int, bool, float | None, int | None]  # (theme id, primary, strength, rank)


def resolve(rows: CodingRows, active: set[int]) -> tuple[dict[str, list[Coded]], list[str], list[str], list[str]]:
    """Each counted respondent's effective codings ``{rid: [(theme, primary, strength, rank)]}``, then
    Other, non-answers and uncoded, by the rules in the module docstring."""
    staff: dict[str, list] = {}
    machine: dict[str, list] = {}
    for c in rows.codings:
        if c.theme_id in active:
            (staff if c.source == "staff" else machine).setdefault(c.respondent_id, []).append(c)
    coded: dict[str, list[Coded]] = {}
    other, non_answers, uncoded = [], [], []
    for rid in rows.population:
        if rid in rows.staff_other:
            other.append(rid)
            continue
        mine = staff.get(rid) or machine.get(rid)
        if mine:
            best = max(mine, key=lambda c: (c.is_primary, c.strength or 0.0))
            coded[rid] = [(c.theme_id, c is best, c.strength, c.rank) for c in mine]
        elif rows.outcomes.get(rid) == "non_answer":
            non_answers.append(rid)
        elif rid in rows.outcomes:
            other.append(rid)
        else:
            uncoded.append(rid)
    return coded, other, non_answers, uncoded


def build_coding(question_id: str, themes: list[CodebookTheme], rows: CodingRows) -> QuestionCoding:
    active = {t.id for t in themes}
    coded, other, non_answers, uncoded = resolve(rows, active)
    # Most representative first: primaries, in the finder's rank, then by strength; staff
    # placements have neither and come after the machine's clearest fits.
    members: dict[int, list[tuple]] = {t.id: [] for t in themes}
    for rid, codes in coded.items():
        for theme_id, primary, strength, rank in codes:
            members[theme_id].append((not primary, rank is None, rank or 0, -(strength or 0.0), rid))
    parent_of = {t.id: t.parent_id for t in themes if t.parent_id in active}
    for child, parent in parent_of.items():  # a broad theme holds everyone in its sub-themes
        have = {m[-1] for m in members[parent]}
        for m in members[child]:
            if m[-1] not in have:
                have.add(m[-1])
                members[parent].append((True, *m[1:]))
    population = len(rows.population)
    built = []
    for t in themes:
        ordered = sorted(members[t.id])
        respondents = tuple(dict.fromkeys(m[-1] for m in ordered))
        primary = tuple(m[-1] for m in ordered if not m[0])
        built.append(CodedTheme(
            id=t.id, question_id=question_id, label=t.label, description=t.description,
            parent_id=parent_of.get(t.id), status=t.status, is_new=t.is_new, terms=t.terms,
            respondents=respondents, primary=primary, count=len(respondents),
            share=share(len(respondents), population), edited=t.updated_by is not None, origin=t.origin))
    return QuestionCoding(question_id=question_id, population=population, themes=tuple(_ordered(built)),
                          other=tuple(other), non_answers=tuple(non_answers),
                          too_few=not built and population - len(non_answers) < MIN_ANSWERS_FOR_THEMES,
                          uncoded=tuple(uncoded))


def _ordered(themes: list[CodedTheme]) -> list[CodedTheme]:
    """Broad themes largest first, each followed by its sub-themes, largest first."""
    def key(t: CodedTheme):
        return (-t.count, t.label.casefold(), t.id)

    top = sorted((t for t in themes if t.parent_id is None), key=key)
    out = []
    for t in top:
        out.append(t)
        out.extend(sorted((c for c in themes if c.parent_id == t.id), key=key))
    return out


def find_theme(coding: QuestionCoding, ref: str) -> CodedTheme | None:
    """A theme by id or by label (any case), as people type them on the command line."""
    ref = ref.strip()
    if ref.isdigit():
        return coding.theme(int(ref))
    wanted = ref.casefold()
    return next((t for t in coding.themes if t.label.casefold() == wanted), None)

"""Where the report reads themes: contract 1 of the playbook (``question_coding``, ``share``).

A thin adapter with the contract's names over the analysis run tables, until the codebook
(``consult.codebook``) is on main; then this module re-exports it and nothing else changes.
"""

from __future__ import annotations

from dataclasses import dataclass

MIN_ANSWERS_FOR_THEMES = 5  # as consult.analysis.MIN_ANSWERS: below it no themes are looked for


@dataclass(frozen=True)
class CodedTheme:
    id: int
    question_id: str
    label: str
    description: str
    parent_id: int | None
    status: str
    is_new: bool
    terms: tuple[str, ...]
    respondents: tuple[str, ...]
    primary: tuple[str, ...]
    count: int
    share: float
    edited: bool = False
    origin: str = "analysis"


@dataclass(frozen=True)
class QuestionCoding:
    question_id: str
    population: int
    themes: tuple[CodedTheme, ...]
    other: tuple[str, ...]
    non_answers: tuple[str, ...]
    too_few: bool
    uncoded: tuple[str, ...] = ()


def share(count: int, population: int) -> float:
    """The one share rule: respondents in a group over the question's population."""
    return count / population if population > 0 else 0.0


def question_coding(store, consultation_id: str, question_id: str, *,
                    include_drafts: bool = False) -> QuestionCoding:
    everyone = {r.id: r for r in store.respondents(consultation_id)}
    population = [rid for rid, text in store.answers_to(question_id, consultation_id=consultation_id)
                  if rid in everyone and (include_drafts or everyone[rid].submitted) and text.strip()]
    counted = set(population)
    run = store.latest_run(consultation_id)
    themes: list[CodedTheme] = []
    other: list[str] = []
    non_answers: list[str] = []
    placed: set[str] = set()
    for t in store.themes(run.id, question_id) if run else []:
        members = [m for m in store.theme_members(t.id) if m.respondent_id in counted]
        primary = [m.respondent_id for m in members if m.is_primary and m.respondent_id not in placed]
        placed.update(primary)
        if t.kind == "other":
            other.extend(primary)
            continue
        if t.kind == "non_answer":
            non_answers.extend(primary)
            continue
        respondents = tuple(dict.fromkeys(m.respondent_id for m in members))
        edited = t.created_by != "analysis"
        themes.append(CodedTheme(
            id=t.id, question_id=question_id, label=t.label, description=t.description, parent_id=None,
            status="confirmed" if edited else "candidate", is_new=False, terms=tuple(t.terms),
            respondents=respondents, primary=tuple(primary), count=len(respondents),
            share=share(len(respondents), len(population)), edited=edited,
            origin="analysis" if not edited else "staff"))
    themes.sort(key=lambda t: (-t.count, t.label.casefold(), t.id))
    return QuestionCoding(question_id=question_id, population=len(population), themes=tuple(themes),
                          other=tuple(other), non_answers=tuple(non_answers),
                          too_few=not themes and len(population) - len(non_answers) < MIN_ANSWERS_FOR_THEMES,
                          uncoded=tuple(r for r in population if r not in placed
                                        and not any(r in t.respondents for t in themes)))

"""From the store to themes and back: one analysis run over a consultation.

The analysis itself (``consult.analysis``) only sees lists of strings; this module reads the
answers, honours staff curation, and stores the run so the report and the browser can read it:

- responses staff excluded are already left out by ``Store.answers_to``;
- answers staff placed in a theme are pinned there (placed in "Other": kept out of every theme);
- a theme staff renamed, or made by a split, lends its label to the new theme that holds most
  of the same answers, so curation survives a re-run;
- e-mail addresses, phone numbers and postcodes are taken out of the text the themes are found
  in, so that no label or key term can carry contact details.
"""

from __future__ import annotations

from collections.abc import Callable

from consult import __version__
from consult.analysis import CONFIG, METHOD, analyse_texts, link_themes, versions
from consult.questions import Bank
from consult.store import Store
from consult.text import cap_first, strip_contacts

NON_ANSWER_LABEL = "No substantive answer"
OTHER_LABEL = "Other"
TOO_FEW_LABEL = "Too few answers to find themes"

Progress = Callable[[str, float], None]


def run_analysis(store: Store, bank: Bank, *, question_ids: list[str] | None = None,
                 themes: int | str = "auto", seed: int = 0, include_drafts: bool = False,
                 progress: Progress | None = None, embedding: str = "lexical") -> int:
    """Analyse each free-text question's answers and store the run; return its id.

    ``embedding`` is "lexical" (the scikit-learn space fitted on each question's answers) or
    "semantic" (the optional extra's sentence model, see ``consult.semantic``; raises
    ``SemanticUnavailable`` when it is not installed). The run's method string says which.
    """
    embedder = None
    method = METHOD
    if embedding != "lexical":
        from consult.semantic import SemanticEmbedder, method_for

        method = method_for(embedding)
        embedder = SemanticEmbedder(seed=seed).fit()
    questions = [q for q in bank.questions if q.is_free_text and (not question_ids or q.id in question_ids)]
    stored: list[dict] = []
    summary: dict = {"questions": {}}
    per_question: dict = {}
    for number, question in enumerate(questions):
        def step(message: str, fraction: float, _n=number, _q=question) -> None:
            if progress:
                progress(f"{_q.id}: {message}", (_n + fraction) / len(questions))

        answers = store.answers_to(question.id, consultation_id=bank.id, submitted_only=not include_drafts)
        respondents = [rid for rid, _ in answers]
        texts = [strip_contacts(text) for _, text in answers]
        placed = store.placements(question.id)
        pinned = {i: placed[rid] for i, rid in enumerate(respondents) if rid in placed}
        to_other = {i for i, label in pinned.items() if label.casefold() in RESERVED_LABELS}
        pinned = {i: label for i, label in pinned.items() if i not in to_other}
        if embedder is not None:
            embedder.progress = lambda done, total, _step=step: _step(
                f"embedding {done:,}/{total:,}", 0.1 + 0.3 * done / total)
        result = analyse_texts(texts, themes=themes, seed=seed, pinned=pinned, progress=step,
                               embedder=embedder)
        if to_other:
            _move_to_other(result, to_other)
        previous = store.latest_run(bank.id)
        if previous is not None:
            _carry_labels(result, respondents, store.staff_named_themes(previous.id, question.id))
        if embedder is None:
            per_question[question.id] = result
        else:  # one fixed space for every question: its vectors (remembered by the embedder)
            embedder.progress = None  # serve the cross-question links directly
            per_question[question.id] = (result, embedder.transform(texts))
        total = len(texts)
        summary["questions"][question.id] = {
            "answered": total, "non_answers": len(result.non_answers), "too_few": result.too_few,
            "themes": len(result.themes), "criterion": result.k_criterion,
        }

        def member(i: int, primary: bool = True, rank: int | None = None, score: float | None = None,
                   _ids: list[str] = respondents) -> dict:
            return {"respondent_id": _ids[i], "is_primary": primary, "rank": rank, "score": score}

        first = len(stored)
        for theme in result.themes:
            ranks = {idx: r for r, idx in enumerate(theme.representatives, start=1)}
            scores = theme.scores
            stored.append({
                "question_id": question.id, "kind": "theme", "label": cap_first(theme.label),
                "description": describe(theme.terms), "terms": theme.terms, "size": len(theme.members),
                "share": len(theme.members) / total if total else 0.0, "cohesion": theme.cohesion,
                "similar_to": first + theme.similar_to if theme.similar_to is not None else None,
                "members": [member(i, True, ranks.get(i), scores.get(i)) for i in theme.members]
                + [member(i, False) for i in theme.secondary],
            })
        if result.other:
            stored.append({"question_id": question.id, "kind": "other",
                           "label": TOO_FEW_LABEL if result.too_few else OTHER_LABEL,
                           "size": len(result.other), "share": len(result.other) / total,
                           "members": [member(i) for i in result.other]})
        if result.non_answers:
            stored.append({"question_id": question.id, "kind": "non_answer", "label": NON_ANSWER_LABEL,
                           "size": len(result.non_answers), "share": len(result.non_answers) / total,
                           "members": [member(i) for i in result.non_answers]})
    summary["recurring"] = link_themes(per_question)
    if progress:
        progress("saving", 1.0)
    params = {"themes": themes, "seed": seed, "include_drafts": include_drafts,
              "questions": [q.id for q in questions], "embedding": embedding,
              "analysis_config": CONFIG.as_dict(), "versions": versions()}
    return store.save_run(bank.id, method=method, version=__version__, params=params, summary=summary,
                          themes=stored)


RESERVED_LABELS = {OTHER_LABEL.casefold(), NON_ANSWER_LABEL.casefold(), TOO_FEW_LABEL.casefold()}


def _move_to_other(result, indices: set[int]) -> None:
    """Answers staff put in "Other" stay there, whatever the analysis found."""
    for theme in result.themes:
        theme.members = [i for i in theme.members if i not in indices]
        theme.secondary = [i for i in theme.secondary if i not in indices]
        theme.representatives = [i for i in theme.representatives if i not in indices]
    result.themes = [t for t in result.themes if t.members]
    result.other = sorted(set(result.other) | (indices - set(result.non_answers)))


def _carry_labels(result, respondents: list[str], named: list[tuple[str, set[str]]]) -> None:
    """Give each staff-chosen label to the new theme sharing most of its answers.

    A match needs more than half of the staff theme's answers in the new theme, and more than
    half of the new theme's answers from the staff theme, so that a label only follows a theme
    that is recognisably the same. Pinned themes already carry their staff label.
    """
    taken = {t.label.casefold() for t in result.themes if t.pinned}
    for label, members in named:
        if label.casefold() in taken or not members:
            continue
        best, best_overlap = None, 0
        for theme in result.themes:
            if theme.pinned:
                continue
            ids = {respondents[i] for i in theme.members}
            overlap = len(ids & members)
            if overlap * 2 > len(members) and overlap * 2 > len(ids) and overlap > best_overlap:
                best, best_overlap = theme, overlap
        if best is not None:
            best.label = label
            best.pinned = True  # one staff label per theme
            taken.add(label.casefold())


def describe(terms: list[str]) -> str:
    """A one-line description of a theme from its key terms, saying plainly what it is."""
    shown = [t for t in terms if t][:4]
    if not shown:
        return ""
    listed = shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"
    return f"Answers in this theme most often mention {listed}."

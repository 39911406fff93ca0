"""From the store to themes and back: one analysis run over a consultation.

Each free-text question is handled one of two ways (the i-dot-ai/consult way: the machine finds
candidate themes, staff finalise them, the machine assigns answers to the finalised set):

- **finding**, while the question has no confirmed theme: the analysis (``consult.analysis``)
  groups the answers and its themes become the question's candidates, replacing the earlier
  run's candidates (candidates staff have not confirmed or edited may be replaced like this);
- **assigning**, once staff have confirmed a theme (or edited one, which confirms it): answers
  no run has coded yet, answers edited since, and answers left in Other are assigned to the
  codebook's themes (``consult.assign``); nothing else changes. A run never renames, merges,
  splits or drops a theme, and never recodes an answer staff coded. Leftovers that agree become
  proposed candidates, marked new.

Responses staff excluded are left out; answers staff put in Other stay there. E-mail addresses,
phone numbers and postcodes are taken out of the text the themes are found in, so that no
label or key term can carry contact details.
"""

from __future__ import annotations

from collections.abc import Callable

from consult import __version__
from consult.analysis import CONFIG, METHOD, analyse_texts, link_themes, versions
from consult.assign import (
    NEW_THEME_MIN_ANSWERS,
    PRIMARY_MIN_SIMILARITY,
    SECONDARY_MIN_SIMILARITY,
    CodebookSeed,
    assign,
)
from consult.codebook import build_coding
from consult.questions import Bank
from consult.store import CurationError, Proposal, Store
from consult.store.codebook_schema import text_hash
from consult.text import cap_first, strip_contacts

NON_ANSWER_LABEL = "No substantive answer"
OTHER_LABEL = "Other"
TOO_FEW_LABEL = "Too few answers to find themes"

Progress = Callable[[str, float], None]


def run_analysis(store: Store, bank: Bank, *, question_ids: list[str] | None = None,
                 themes: int | str = "auto", seed: int = 0, include_drafts: bool = False,
                 progress: Progress | None = None, embedding: str = "lexical") -> int:
    """Find or assign themes in each free-text question's answers and store the run; return its id.

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
    assigned: dict[str, dict] = {}
    summary: dict = {"questions": {}}
    per_question: dict = {}
    for number, question in enumerate(questions):
        def step(message: str, fraction: float, _n=number, _q=question) -> None:
            if progress:
                progress(f"{_q.id}: {message}", (_n + fraction) / len(questions))

        answers = store.answers_to(question.id, consultation_id=bank.id, submitted_only=not include_drafts)
        if embedder is not None:
            embedder.progress = lambda done, total, _step=step: _step(
                f"embedding {done:,}/{total:,}", 0.1 + 0.3 * done / total)
        if store.has_confirmed(bank.id, question.id):
            assigned[question.id], summary["questions"][question.id] = _assign(
                store, bank.id, question.id, answers, seed=seed, include_drafts=include_drafts, embedder=embedder)
            step("assigned", 1.0)
            continue
        result, facts = _find(store, bank.id, question.id, answers, stored, themes=themes, seed=seed, step=step,
                              embedder=embedder)
        summary["questions"][question.id] = facts
        if embedder is None:
            per_question[question.id] = result
        else:  # one fixed space for every question: its vectors (remembered by the embedder)
            embedder.progress = None  # serve the cross-question links directly
            per_question[question.id] = (result, embedder.transform([strip_contacts(t) for _, t in answers]))
    summary["recurring"] = link_themes(per_question) if per_question else []
    if progress:
        progress("saving", 1.0)
    params = {"themes": themes, "seed": seed, "include_drafts": include_drafts,
              "questions": [q.id for q in questions], "embedding": embedding,
              "analysis_config": CONFIG.as_dict(), "versions": versions(),
              "assign": {"primary_min_similarity": PRIMARY_MIN_SIMILARITY,
                         "secondary_min_similarity": SECONDARY_MIN_SIMILARITY,
                         "new_theme_min_answers": NEW_THEME_MIN_ANSWERS}}
    with store.write():
        run_id = store.save_run(bank.id, method=method, version=__version__, params=params, summary=summary,
                                themes=stored)
        for qid, decided in assigned.items():
            store.record_assignment(run_id, bank.id, qid, **decided)
        store.materialise_run(run_id, bank.id, done=per_question)
    return run_id


def _find(store: Store, consultation_id: str, qid: str, answers: list[tuple[str, str]], stored: list[dict], *,
          themes, seed: int, step, embedder):
    """A finding run of one question: the analysis' themes, as rows for ``save_run``."""
    respondents = [rid for rid, _ in answers]
    texts = [strip_contacts(text) for _, text in answers]
    placed_other = store.coding_rows(consultation_id, qid, include_drafts=True).staff_other
    to_other = {i for i, rid in enumerate(respondents) if rid in placed_other}
    result = analyse_texts(texts, themes=themes, seed=seed, progress=step, embedder=embedder)
    parent = {}  # two levels, when the analysis gives them: theme -> its broad theme's label
    for broad in getattr(result, "broad", None) or []:
        if len(broad.children) > 1:  # a broad theme over one theme says nothing more
            for child in broad.children:
                parent[id(result.themes[child])] = cap_first(broad.label)
    if to_other:
        _move_to_other(result, to_other)
    total = len(texts)
    facts = {"answered": total, "non_answers": len(result.non_answers), "too_few": result.too_few,
             "themes": len(result.themes), "criterion": result.k_criterion, "mode": "find"}

    def member(i: int, primary: bool = True, rank: int | None = None, score: float | None = None) -> dict:
        return {"respondent_id": respondents[i], "is_primary": primary, "rank": rank, "score": score}

    first = len(stored)
    for theme in result.themes:
        ranks = {idx: r for r, idx in enumerate(theme.representatives, start=1)}
        stored.append({
            "question_id": qid, "kind": "theme", "label": cap_first(theme.label),
            "description": theme.description or describe(theme.terms), "terms": theme.terms, "size": len(theme.members),
            "share": len(theme.members) / total if total else 0.0, "cohesion": theme.cohesion,
            "similar_to": first + theme.similar_to if theme.similar_to is not None else None,
            "parent": parent.get(id(theme)),
            "members": [member(i, True, ranks.get(i), theme.scores.get(i)) for i in theme.members]
            + [member(i, False) for i in theme.secondary],
        })
    if result.other:
        stored.append({"question_id": qid, "kind": "other", "label": TOO_FEW_LABEL if result.too_few else OTHER_LABEL,
                       "size": len(result.other), "share": len(result.other) / total,
                       "members": [member(i) for i in result.other]})
    if result.non_answers:
        stored.append({"question_id": qid, "kind": "non_answer", "label": NON_ANSWER_LABEL,
                       "size": len(result.non_answers), "share": len(result.non_answers) / total,
                       "members": [member(i) for i in result.non_answers]})
    return result, facts


def _assign(store: Store, consultation_id: str, qid: str, answers: list[tuple[str, str]], *, seed: int,
            include_drafts: bool, embedder) -> tuple[dict, dict]:
    """An assigning run of one question: what ``Store.record_assignment`` needs, and the facts."""
    respondents = [rid for rid, _ in answers]
    index = {rid: i for i, rid in enumerate(respondents)}
    texts = [strip_contacts(text) for _, text in answers]
    book = store.codebook(consultation_id, qid)
    active = {t.id for t in book}
    parents = {t.parent_id for t in book if t.parent_id is not None}
    rows = store.coding_rows(consultation_id, qid, include_drafts=include_drafts)
    staff = {c.respondent_id for c in rows.codings if c.source == "staff" and c.theme_id in active}
    staff |= rows.staff_other
    machine = {c.respondent_id for c in rows.codings if c.source == "machine" and c.theme_id in active}
    seen = store.coded_hashes(consultation_id, qid)
    todo = []
    for i, (rid, text) in enumerate(answers):
        if rid in staff:
            continue
        old_hash, outcome = seen.get(rid, (None, None))
        if old_hash == text_hash(text) and (rid in machine or outcome == "non_answer"):
            continue  # coded before, unchanged: it stays where it is
        todo.append(i)
    coding = build_coding(qid, book, rows)
    seeds = [CodebookSeed(t.id, t.label, t.description, [index[r] for r in t.primary if r in index])
             for t in coding.themes if t.id not in parents]
    result = assign(texts, seeds, todo, seed=seed, embedder=embedder)
    labels = {t.label.casefold() for t in book}
    proposals = []
    for new in result.proposals:
        label = cap_first(new.label)
        while label.casefold() in labels or label.casefold() in RESERVED_LABELS:
            label += " (new)"
        labels.add(label.casefold())
        proposals.append(Proposal(label=label, description=new.description or describe(new.terms),
                                  terms=list(new.terms),
                                  members=[(respondents[i], True, new.strengths.get(i)) for i in new.members]))
    outcomes = {respondents[i]: "other" for i in result.other}
    outcomes.update({respondents[i]: "non_answer" for i in result.non_answers})
    outcomes.update({respondents[i]: "theme" for i in result.codings})
    outcomes.update({respondents[i]: "theme" for new in result.proposals for i in new.members})
    decided = {"codings": {respondents[i]: coded for i, coded in result.codings.items()}, "outcomes": outcomes,
               "proposals": proposals}
    facts = {"answered": len(answers), "non_answers": len(result.non_answers), "too_few": False,
             "themes": len(seeds) + len(proposals), "mode": "assign", "coded": len(todo),
             "assigned": len(result.codings), "to_other": len(result.other), "proposed": len(proposals),
             "criterion": f"assigned to the codebook's {len(seeds)} themes (cosine >= {PRIMARY_MIN_SIMILARITY})"}
    return decided, facts


RESERVED_LABELS = {OTHER_LABEL.casefold(), NON_ANSWER_LABEL.casefold(), TOO_FEW_LABEL.casefold()}


def _move_to_other(result, indices: set[int]) -> None:
    """Answers staff put in "Other" stay there, whatever the analysis found."""
    for theme in result.themes:
        theme.members = [i for i in theme.members if i not in indices]
        theme.secondary = [i for i in theme.secondary if i not in indices]
        theme.representatives = [i for i in theme.representatives if i not in indices]
    result.themes = [t for t in result.themes if t.members]
    result.other = sorted(set(result.other) | (indices - set(result.non_answers)))


def split_by_analysis(store: Store, consultation_id: str, theme_id: int, *, by: str, seed: int = 0) -> list[int]:
    """Split a codebook theme into the sub-groups the analysis finds in its answers.

    Answers the analysis leaves out of every sub-group go to the one they are most like, or stay
    in the theme when they are like none. Raises ``CurationError`` when it finds one group only.
    """
    theme = store.codebook_theme(theme_id)
    if theme is None or theme.deleted:
        raise CurationError(f"no theme {theme_id} in the codebook")
    coding = build_coding(theme.question_id, store.codebook(consultation_id, theme.question_id),
                          store.coding_rows(consultation_id, theme.question_id, include_drafts=True))
    mine = coding.theme(theme_id)
    texts_by = dict(store.answers_to(theme.question_id, consultation_id=consultation_id))
    rids = [r for r in mine.respondents if r in texts_by]
    texts = [strip_contacts(texts_by[r]) for r in rids]
    result = analyse_texts(texts, seed=seed)
    if len(result.themes) < 2:
        raise CurationError(f"{theme.label!r} does not split: the analysis finds one group in its "
                            f"{len(rids)} answers")
    seeds = [CodebookSeed(k, t.label, "", list(t.members)) for k, t in enumerate(result.themes)]
    rest = assign(texts, seeds, sorted(set(result.other) | set(result.non_answers)), seed=seed, propose=False)
    groups = []
    for k, t in enumerate(result.themes):
        members = list(t.members) + [i for i, coded in rest.codings.items() if coded[0][0] == k]
        groups.append((cap_first(t.label), t.description or describe(t.terms), list(t.terms),
                       [rids[i] for i in members]))
    return store.codebook_split(theme_id, groups, by=by)


def describe(terms: list[str]) -> str:
    """A one-line description of a theme from its key terms, saying plainly what it is."""
    shown = [t for t in terms if t][:4]
    if not shown:
        return ""
    listed = shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"
    return f"Answers in this theme most often mention {listed}."

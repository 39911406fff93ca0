"""Store-level curation: each action changes the database, is logged, and survives reopening."""

from __future__ import annotations

import pytest

from consult.store import Store
from consult.store.curation import CurationError
from consult.store.search import Filters, fair_shares, fts_query
from tests.test_browse_fixture import Q1, Q2, USER, many_answers, populate


@pytest.fixture
def run_id(store, bank) -> int:
    return populate(store, bank)


def reopen(store: Store) -> Store:
    store.close()
    return Store(store.path)


def theme_by_label(store, run_id, question_id, label):
    return next(t for t in store.themes(run_id, question_id) if t.label == label)


def members(store, theme_id) -> set[str]:
    return {m.respondent_id for m in store.theme_members(theme_id)}


def last_log(store) -> dict:
    return store.curation_log(1)[0]


def test_rename_theme_updates_label_placements_and_log(store, run_id):
    funding = theme_by_label(store, run_id, Q1, "Funding and payment")
    store.move_answer(run_id, "r6", Q1, funding.id, by=USER)  # a placement naming the old label
    store.rename_theme(funding.id, "  Late   payment ", by=USER)
    store = reopen(store)
    assert store.theme(funding.id).label == "Late payment"
    assert store.placements(Q1)["r6"] == "Late payment"
    log = last_log(store)
    assert (log["by"], log["action"]) == (USER, "rename_theme")
    assert "'Funding and payment' to 'Late payment'" in log["detail"]["summary"]
    assert log["at"] == "2010-09-01T09:30:00Z"


def test_rename_refuses_a_label_the_question_already_has(store, run_id):
    funding = theme_by_label(store, run_id, Q1, "Funding and payment")
    with pytest.raises(CurationError, match="merge"):
        store.rename_theme(funding.id, "Small providers squeezed", by=USER)
    with pytest.raises(CurationError):
        store.rename_theme(funding.id, "   ", by=USER)
    assert store.theme(funding.id).label == "Funding and payment"


def test_merge_moves_members_deletes_theme_and_recounts(store, run_id):
    funding = theme_by_label(store, run_id, Q1, "Funding and payment")
    squeezed = theme_by_label(store, run_id, Q1, "Small providers squeezed")
    moved = store.merge_themes(funding.id, squeezed.id, by=USER)
    assert moved == 2
    store = reopen(store)
    assert store.theme(squeezed.id) is None
    kept = store.theme(funding.id)
    assert kept.size == 5
    assert kept.share == pytest.approx(5 / 6)
    assert members(store, funding.id) == {"r1", "r2", "r3", "r5", "r6"}
    assert "squeezed" in kept.terms
    # the merged theme's answers keep the kind of coding they had (here the analysis'): no placements
    assert store.placements(Q1) == {}
    assert last_log(store)["action"] == "merge_themes"


def test_merge_refuses_themes_of_different_questions(store, run_id):
    funding = theme_by_label(store, run_id, Q1, "Funding and payment")
    local = theme_by_label(store, run_id, Q2, "Local commissioning")
    with pytest.raises(CurationError):
        store.merge_themes(funding.id, local.id, by=USER)
    with pytest.raises(CurationError):
        store.merge_themes(funding.id, funding.id, by=USER)


def test_split_makes_a_staff_theme_with_placements(store, run_id):
    funding = theme_by_label(store, run_id, Q1, "Funding and payment")
    new_id = store.split_theme(funding.id, ["r2", "r5"], "Prime relationships", by=USER)
    store = reopen(store)
    new = store.theme(new_id)
    assert (new.label, new.created_by, new.kind, new.size) == ("Prime relationships", "staff", "theme", 2)
    assert store.theme(funding.id).size == 1
    assert members(store, new_id) == {"r2", "r5"}
    assert store.placements(Q1) == {"r2": "Prime relationships", "r5": "Prime relationships"}
    assert last_log(store)["action"] == "split_theme"
    with pytest.raises(CurationError):
        store.split_theme(funding.id, [], "Nothing", by=USER)


def test_move_answer_to_theme_and_to_other(store, run_id):
    squeezed = theme_by_label(store, run_id, Q1, "Small providers squeezed")
    other = theme_by_label(store, run_id, Q1, "Other")
    store.move_answer(run_id, "r1", Q1, squeezed.id, by=USER)
    assert store.move_answer(run_id, "r6", Q1, None, by=USER) == other.id
    store = reopen(store)
    assert members(store, squeezed.id) == {"r1", "r3"}
    assert members(store, other.id) == {"r4", "r6"}
    assert store.placements(Q1) == {"r1": "Small providers squeezed", "r6": "Other"}
    assert store.answer_themes(run_id)[("r1", Q1)].label == "Small providers squeezed"


def test_move_to_other_creates_the_other_group_when_missing(store, run_id):
    local = theme_by_label(store, run_id, Q2, "Local commissioning")
    other_id = store.move_answer(run_id, "r1", Q2, None, by=USER)
    other = store.theme(other_id)
    assert (other.kind, other.label, other.size) == ("other", "Other", 1)
    assert store.theme(local.id).size == 1


def test_key_quote_on_and_off(store, run_id):
    store.set_key_quote("r1", Q1, by=USER)
    assert reopen(store).key_quotes(Q1) == {("r1", Q1)}
    store.set_key_quote("r1", Q1, False, by=USER)
    assert store.key_quotes() == set()
    assert [e["action"] for e in store.curation_log()] == ["unkey_quote", "key_quote"]


def test_flag_with_note_replace_and_unflag(store, run_id):
    store.flag_answer("r2", Q1, "Ask about [the] contract", by=USER)
    store.flag_answer("r2", Q1, "Phone them", by="staff2")
    store = reopen(store)
    assert store.flags(Q1) == {("r2", Q1): "Phone them"}
    store.unflag_answer("r2", Q1, by=USER)
    assert store.flags() == {}


def test_reads_are_per_user_and_not_logged(store, run_id):
    assert store.mark_read("r1", Q1, by=USER) is True
    assert store.mark_read("r1", Q1, by=USER) is False
    store = reopen(store)
    assert store.is_read("r1", Q1, USER) and not store.is_read("r1", Q1, "staff2")
    assert store.curation_log() == []
    page = store.answer_page(store.latest_run("localising-justice").consultation_id, Q1, user=USER,
                             filters=Filters(unread_by=USER))
    assert "r1" not in {r.respondent_id for r in page} and len(page) == 5


def test_exclude_leaves_counts_analysis_and_themes_then_restore(store, bank, run_id):
    before = store.overview(bank.id)
    store.exclude_respondent("r4", "spam", by=USER)
    store = reopen(store)
    after = store.overview(bank.id)
    assert (after.respondents, after.submitted, after.excluded) == (6, before.submitted - 1, 1)
    assert after.answers[Q1] == before.answers[Q1] - 1
    assert "r4" not in {rid for rid, _ in store.answers_to(Q1)}
    other = theme_by_label(store, run_id, Q1, "Other")
    assert other.size == 0
    assert store.respondent("r4").excluded_reason == "spam"
    assert store.exclusion("r4")["by"] == USER
    assert store.count_answers(bank.id, Q1) == 5
    assert store.count_answers(bank.id, Q1, Filters(status="excluded")) == 1
    store.restore_respondent("r4", by=USER)
    store = reopen(store)
    assert store.respondent("r4").excluded_reason is None
    assert theme_by_label(store, run_id, Q1, "Other").size == 1
    assert [e["action"] for e in store.curation_log()] == ["restore", "exclude"]
    with pytest.raises(CurationError):
        store.exclude_respondent("r4", "  ", by=USER)


# ---------------------------------------------------------------------- search and paging
@pytest.mark.parametrize("typed", ['"', "-", "(", ")", "AND", "NEAR(", 'a"b', "*", "-prime", "col:x", "^"])
def test_fts_query_never_errors(store, bank, run_id, typed):
    store.search_answers(bank.id, typed, user=USER)
    store.search_answers(bank.id, f"contracts {typed}", user=USER)


def test_fts_query_quotes_terms():
    assert fts_query('fund* "risk" -x') == '"-x" "fund"* "risk"'
    assert fts_query("  ( - ") == ""


def test_search_finds_stems_and_returns_spans(store, bank, run_id):
    rows, counts = store.search_answers(bank.id, "contract", user=USER)
    assert counts == {Q1: 3}
    riverside = next(r for r in rows if r.respondent_id == "r1")
    assert [riverside.text[s:e] for s, e in riverside.spans] == ["contracts"]


def test_search_combines_with_filters(store, bank, run_id):
    assert {r.respondent_id for r in store.search_answers(
        bank.id, "contracts", user=USER, filters=Filters(profile={"region": "London"}))[0]} == {"r2", "r4"}
    assert {r.respondent_id for r in store.search_answers(
        bank.id, "", user=USER, filters=Filters(theme="Small providers squeezed"))[0]} == {"r3", "r6"}
    assert store.search_answers(bank.id, "", user=USER, filters=Filters(status="draft"))[1] == {Q1: 1}
    store.flag_answer("r5", Q2, "check", by=USER)
    assert store.search_answers(bank.id, "", user=USER, filters=Filters(flagged=True))[1] == {Q2: 1}


def test_answer_page_is_keyset_paged(store, bank, run_id):
    first = store.answer_page(bank.id, Q1, user=USER, limit=4, org_field="org_name")
    rest = store.answer_page(bank.id, Q1, user=USER, after_id=first[-1].answer_id, limit=4)
    assert [r.respondent_id for r in first + rest] == ["r1", "r2", "r3", "r4", "r5", "r6"]
    assert first[0].organisation == "Riverside Housing Trust" and first[0].theme == "Funding and payment"


def test_overview_breakdowns(store, bank, run_id):
    ov = store.overview(bank.id, [f.id for f in bank.breakdown_fields])
    assert (ov.respondents, ov.submitted, ov.draft, ov.excluded) == (6, 5, 1, 0)
    assert dict(ov.breakdowns["region"])["London"] == 2
    assert ov.answers == {Q1: 6, Q2: 3}


# ---------------------------------------------------------------------- QA: shares, labels, empty themes
def shares(store, run_id, question_id) -> float:
    return sum(t.share for t in store.themes(run_id, question_id))


def submitted_only_run(store, bank) -> int:
    """A run as `consult analyse` saves it by default: drafts (r3) not analysed, so not members."""
    return store.save_run(bank.id, method="m", version="1", params={"include_drafts": False}, summary={}, themes=[
        {"question_id": Q1, "kind": "theme", "label": "Funding and payment", "size": 3, "share": 0.6,
         "members": [{"respondent_id": r, "rank": i} for i, r in enumerate(["r1", "r5", "r2"])]},
        {"question_id": Q1, "kind": "theme", "label": "Small providers squeezed", "size": 1, "share": 0.2,
         "members": [{"respondent_id": "r6", "rank": 0}]},
        {"question_id": Q1, "kind": "other", "label": "Other", "size": 1, "share": 0.2,
         "members": [{"respondent_id": "r4", "rank": 0}]},
    ])


def test_shares_keep_the_runs_population_after_merge_and_exclusion(store, bank, run_id):
    run2 = submitted_only_run(store, bank)
    funding = theme_by_label(store, run2, Q1, "Funding and payment")
    squeezed = theme_by_label(store, run2, Q1, "Small providers squeezed")
    store.merge_themes(funding.id, squeezed.id, by=USER)
    assert shares(store, run2, Q1) == pytest.approx(1.0)
    assert store.theme(funding.id).share == pytest.approx(4 / 5)  # the draft r3 is not counted
    store.exclude_respondent("r4", "spam", by=USER)
    assert shares(store, run2, Q1) == pytest.approx(1.0)
    assert store.theme(funding.id).share == pytest.approx(1.0)  # 4 of the 4 left
    store.restore_respondent("r4", by=USER)
    assert shares(store, run2, Q1) == pytest.approx(1.0)


def test_shares_count_drafts_when_the_run_included_them(store, bank, run_id):
    funding = theme_by_label(store, run_id, Q1, "Funding and payment")
    squeezed = theme_by_label(store, run_id, Q1, "Small providers squeezed")
    store.merge_themes(funding.id, squeezed.id, by=USER)
    assert shares(store, run_id, Q1) == pytest.approx(1.0)
    assert store.theme(funding.id).size == 5  # r3, a draft, is in: the run included drafts
    store.exclude_respondent("r1", "duplicate", by=USER)
    assert shares(store, run_id, Q1) == pytest.approx(1.0)
    assert shares(store, run_id, Q2) == pytest.approx(1.0)


@pytest.mark.parametrize("label", ["other", "OTHER", " Other ", "no substantive answer",
                                   "Too few answers to find themes"])
def test_reserved_labels_are_refused(store, run_id, label):
    funding = theme_by_label(store, run_id, Q1, "Funding and payment")
    with pytest.raises(CurationError, match="built-in group"):
        store.rename_theme(funding.id, label, by=USER)
    with pytest.raises(CurationError, match="built-in group"):
        store.split_theme(funding.id, ["r1"], label, by=USER)
    assert store.theme(funding.id).label == "Funding and payment"
    assert {t.label for t in store.themes(run_id, Q1)} == {"Funding and payment", "Small providers squeezed",
                                                           "Other"}


def test_duplicate_labels_are_refused_in_any_case(store, run_id):
    funding = theme_by_label(store, run_id, Q1, "Funding and payment")
    with pytest.raises(CurationError, match="'Small providers squeezed'"):
        store.rename_theme(funding.id, "small PROVIDERS squeezed", by=USER)
    with pytest.raises(CurationError, match="already has a theme"):
        store.split_theme(funding.id, ["r1"], "SMALL providers squeezed", by=USER)
    store.rename_theme(funding.id, "funding and payment", by=USER)  # its own name in another case: fine
    assert store.theme(funding.id).label == "funding and payment"


def test_built_in_groups_keep_their_names(store, run_id):
    other = theme_by_label(store, run_id, Q1, "Other")
    with pytest.raises(CurationError, match="keeps its name"):
        store.rename_theme(other.id, "Miscellaneous", by=USER)


def test_a_staff_theme_stays_in_the_codebook_when_emptied(store, run_id):
    funding = theme_by_label(store, run_id, Q1, "Funding and payment")
    new_id = store.split_theme(funding.id, ["r1", "r5"], "Prime relationships", by=USER)
    store.move_answer(run_id, "r1", Q1, funding.id, by=USER)
    assert store.theme(new_id).size == 1
    store.move_answer(run_id, "r5", Q1, None, by=USER)
    assert store.theme(new_id).size == 0  # it is staff's: it goes only when staff delete it
    assert shares(store, run_id, Q1) == pytest.approx(1.0)
    # the analysis' own themes stay, even empty
    squeezed = theme_by_label(store, run_id, Q1, "Small providers squeezed")
    for rid in ("r3", "r6"):
        store.move_answer(run_id, rid, Q1, funding.id, by=USER)
    assert store.theme(squeezed.id).size == 0


# ---------------------------------------------------------------------- QA: search shares, filters, finding
def test_search_shares_rows_between_questions_and_pages_on(store, bank, run_id):
    many_answers(store, bank)
    rows, counts = store.search_answers(bank.id, "contracts", user=USER, limit=40)
    assert counts == {Q1: 123, Q2: 12}
    by_q = {q: [r for r in rows if r.question_id == q] for q in counts}
    assert (len(by_q[Q1]), len(by_q[Q2])) == (28, 12)  # Q2's unused share goes to Q1
    assert [r.question_id for r in rows] == [Q1] * 28 + [Q2] * 12  # grouped, in paper order
    rows, _ = store.search_answers(bank.id, "contracts", user=USER, limit=10, per_question=3)
    assert [r.question_id for r in rows] == [Q1] * 3 + [Q2] * 3
    # one question, page after page, no gaps and no repeats
    seen, after = [], 0
    while True:
        page, more_counts = store.search_answers(bank.id, "contracts", user=USER, question_id=Q1, limit=50,
                                                 after_id=after, with_counts=False)
        assert more_counts == {}
        if not page:
            break
        seen += [r.answer_id for r in page]
        after = page[-1].answer_id
    assert len(seen) == len(set(seen)) == 123 and seen == sorted(seen)


def test_fair_shares():
    assert fair_shares({"a": 5, "b": 1000, "c": 300}, 200) == {"a": 5, "c": 97, "b": 98}
    assert fair_shares({"a": 100, "b": 100}, 200, cap=20) == {"a": 20, "b": 20}
    assert fair_shares({}, 200) == {}


def test_theme_labels_sort_without_case(store, bank, run_id):
    funding = theme_by_label(store, run_id, Q1, "Funding and payment")
    store.split_theme(funding.id, ["r1"], "apprenticeships", by=USER)
    labels = store.theme_labels(bank.id)
    assert labels == sorted(labels, key=str.casefold) and labels[0] == "apprenticeships"


def test_respondents_found_by_organisation_or_id_prefix(store, bank, run_id):
    many_answers(store, bank)
    assert store.count_respondents(bank.id) == 126
    assert store.count_respondents(bank.id, text="riverside", org_field="org_name") == 1
    assert store.count_respondents(bank.id, text="m00", org_field="org_name") == 100
    assert [r.id for r in store.respondent_page(bank.id, text="MANY 11", org_field="org_name")] == [
        "m0011", *[f"m{i:04d}" for i in range(110, 120)]]
    assert store.count_respondents(bank.id, text="%", org_field="org_name") == 0  # LIKE wildcards are text
    page = store.respondent_page(bank.id, text="m0", org_field="org_name", limit=30, after_id="m0050")
    assert page[0].id == "m0051" and len(page) == 30

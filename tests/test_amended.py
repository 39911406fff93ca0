"""A submitted response edited afterwards: analysis reads what was submitted until it is sent again."""

from __future__ import annotations

Q = "police.engagement"
Q2 = "police.compact-principles"


def test_edits_after_submitting_stay_out_of_analysis_until_resubmitted(store, bank):
    member, _ = store.new_respondent(bank.id)
    store.save_answer(member.id, Q, "As sent")
    store.submit(member.id)
    assert store.respondent(member.id).amended is False

    store.save_answer(member.id, Q, "Second thoughts, not sent")
    store.save_answer(member.id, Q2, "A new answer, not sent")
    assert store.respondent(member.id).amended is True
    assert store.answers(member.id) == {Q: "Second thoughts, not sent", Q2: "A new answer, not sent"}
    assert store.answers_to(Q, submitted_only=True) == [(member.id, "As sent")]
    assert store.answers_to(Q2, submitted_only=True) == []
    assert store.answers_to(Q, consultation_id=bank.id) == [(member.id, "As sent")]
    assert store.answers_to(Q, current=True) == [(member.id, "Second thoughts, not sent")]

    store.submit(member.id)
    assert store.respondent(member.id).amended is False
    assert store.answers_to(Q, submitted_only=True) == [(member.id, "Second thoughts, not sent")]
    assert store.answers_to(Q2, submitted_only=True) == [(member.id, "A new answer, not sent")]


def test_clearing_an_answer_after_submitting_keeps_the_submitted_one(store, bank):
    member, _ = store.new_respondent(bank.id)
    store.save_answer(member.id, Q, "Sent")
    store.submit(member.id)
    store.save_answer(member.id, Q, "")
    assert store.respondent(member.id).amended
    assert store.answers_to(Q, submitted_only=True) == [(member.id, "Sent")]


def test_drafts_give_their_current_text(store, bank):
    member, _ = store.new_respondent(bank.id)
    store.save_answer(member.id, Q, "Draft words")
    assert store.answers_to(Q) == [(member.id, "Draft words")]
    assert store.answers_to(Q, submitted_only=True) == []
    assert store.respondent(member.id).amended is False


def test_an_imported_submitted_response_is_its_submitted_version(store, bank):
    store.load_responses(bank.id, [{"respondent": "e1", "status": "submitted", "answers": {Q: "By e-mail"}}])
    assert store.answers_to(Q, submitted_only=True) == [("e1", "By e-mail")]
    store.load_responses(bank.id, [{"respondent": "e1", "answers": {Q: "Corrected by e-mail"}}])
    assert store.answers_to(Q, submitted_only=True) == [("e1", "Corrected by e-mail")]
    assert store.respondent("e1").amended is False

"""A small consultation for the browser's tests: profiles, hostile text and a saved analysis run.

``populate(store, bank)`` writes it through the Store only. Imported by the other browse tests.
"""

from __future__ import annotations

from consult.questions import Bank
from consult.store import Store

Q1 = "localism.prime-sub-contracting"
Q2 = "localism.upscaled-or-local"
USER = "staff1"

HOSTILE = ("We tried [/] and [@click=app.quit]quit[/] and [link=http://evil.example]click me[/link] "
           "then \x1b[2J\x1b]0;pwned\x07 contracts were [bold]awful[/bold].")

PEOPLE = [
    # id, organisation, type, size, region, status, answers
    ("r1", "Riverside Housing Trust", "Registered charity", "£1 million to £10 million", "North West",
     "submitted", {Q1: "As a subcontractor to a prime we found payment terms slow and the contracts "
                       "transferred all risk to small providers. Funding arrived late every quarter.",
                   Q2: "Resettlement and housing advice should be locally commissioned."}),
    ("r2", "Hostile [b]Org[/]", "Community group (not registered)", "Under £10,000", "London",
     "submitted", {Q1: HOSTILE, Q2: "Local commissioning keeps knowledge of local people."}),
    ("r3", None, "Social enterprise or CIC", "£10,000 to £100,000", "North West",
     "draft", {Q1: "Smaller providers were squeezed out of the supply chain by bid costs."}),
    ("r4", "Spam Ltd", "Other", "Over £10 million", "London",
     "submitted", {Q1: "Buy cheap watches online now, best prices, contracts guaranteed."}),
    ("r5", "Wessex Mentoring", "Registered charity", "£100,000 to £1 million", "South West",
     "submitted", {Q1: "Partnership with the prime worked well once the funding was agreed.",
                   Q2: "Electronic monitoring could be upscaled nationally."}),
    ("r6", "Tyne Families", "Faith-based organisation", "Under £10,000", "North East",
     "submitted", {Q1: "We were squeezed: the prime kept the easy cases and passed on the hardest."}),
]


def populate(store: Store, bank: Bank) -> int:
    """Write the fixture respondents, answers and one analysis run; return the run id."""
    store.load_responses(bank.id, [
        {"respondent": rid, "status": status,
         "profile": {k: v for k, v in {"org_name": org, "org_type": kind, "org_size": size,
                                        "region": region}.items() if v},
         "consent": {"quote": True, "name": rid != "r3", "contact": False},
         "answers": answers}
        for rid, org, kind, size, region, status, answers in PEOPLE
    ], source="app")
    # The fixture run analysed the draft too (r3), as `consult analyse --include-drafts` would.
    run_id = store.save_run(bank.id, method="tfidf-kmeans", version="1", params={"include_drafts": True},
                            summary={}, themes=[
        {"question_id": Q1, "kind": "theme", "label": "Funding and payment", "size": 3, "share": 0.5,
         "terms": ["funding", "payment", "prime"],
         "members": [{"respondent_id": r, "rank": i} for i, r in enumerate(["r1", "r5", "r2"])]},
        {"question_id": Q1, "kind": "theme", "label": "Small providers squeezed", "size": 2, "share": 0.33,
         "terms": ["squeezed", "smaller", "providers"],
         "members": [{"respondent_id": r, "rank": i} for i, r in enumerate(["r3", "r6"])]},
        {"question_id": Q1, "kind": "other", "label": "Other", "size": 1, "share": 0.17,
         "members": [{"respondent_id": "r4", "rank": 0}]},
        {"question_id": Q2, "kind": "theme", "label": "Local commissioning", "size": 2, "share": 0.67,
         "terms": ["local", "commissioned"],
         "members": [{"respondent_id": r, "rank": i} for i, r in enumerate(["r1", "r2"])]},
        {"question_id": Q2, "kind": "theme", "label": "National scale", "size": 1, "share": 0.33,
         "terms": ["upscaled", "national"], "members": [{"respondent_id": "r5", "rank": 0}]},
    ])
    return run_id


def test_fixture_builds(store, bank):
    run_id = populate(store, bank)
    assert len(store.respondents(bank.id)) == 6
    assert len(store.themes(run_id, Q1)) == 3


def many_answers(store: Store, bank: Bank, n: int = 120, **consent) -> None:
    """``n`` more respondents ``m0000``… ("Many 0"…) who all say "contracts" to Q1, and ``n // 10``
    of them to Q2 too: enough for paging, search groups and "more" lines."""
    people = [{"respondent": f"m{i:04d}", "profile": {"org_name": f"Many {i}"}, "consent": consent}
              for i in range(n)]
    answers = [(f"m{i:04d}", Q1, f"contracts number {i}") for i in range(n)]
    answers += [(f"m{i:04d}", Q2, f"contracts again {i}") for i in range(n // 10)]
    store.bulk_insert(bank.id, people, answers)

"""A small consultation for the report tests, built only through the Store."""

from __future__ import annotations

from consult.questions import Bank
from consult.store import Store

Q1 = "localism.prime-sub-contracting"
Q2 = "localism.upscaled-or-local"  # nobody answers this one
Q3 = "police.compact-principles"

TYPES = ["Registered charity", "Community group (not registered)", "Social enterprise or CIC"]
SIZES = ["Under £10,000", "£10,000 to £100,000", "£100,000 to £1 million"]
REGIONS = ["South West", "London", "North East"]

REFUSER_TEXT = "ZEBRAFINCH partnership was a disaster for us as a sub-contractor, never again"
HOSTILE = "<script>alert(1)</script> [bold]x[/] **bold** # heading\n> not a quote\n- list & <b>tag</b>"
CONTACT_TEXT = ("We were a sub-contractor to a prime. Call Jo on 07700 900123 or jo.bloggs+x@sub.example.co.uk, "
                "office BS1 4DJ. Secret Society did the partnership work.")


def _record(i: int, **extra) -> dict:
    rec = {
        "respondent": f"r{i:02d}",
        "status": "submitted",
        "profile": {
            "org_name": f"Organisation {i:02d} Trust",
            "org_type": TYPES[i % 3],
            "org_size": SIZES[(i // 3) % 3],
            "region": REGIONS[i % 3],
            "areas": ["Women"] if i % 2 else ["Accommodation", "Black and minority ethnic (BME) people"],
            "contact_name": f"Personal Contactname{i:02d}",
            "contact_email": f"private{i:02d}@example.org",
        },
        "consent": {"quote": True, "name": False, "contact": True},
        "answers": {},
    }
    for key, value in extra.items():
        if key in ("profile", "consent"):
            rec[key].update(value)
        else:
            rec[key] = value
    return rec


def build_fixture(store: Store, bank: Bank, *, with_run: bool = True) -> dict[str, list[str]]:
    """30 submitted responses, 2 drafts, 1 excluded; themes for Q1 and Q3 in a saved run.

    Returns the respondent ids in each Q1 theme.
    """
    records = []
    housing, funding = [], []
    for i in range(30):
        if i < 14:
            text = f"Partnership with the prime contractor worked well for housing support, case {i}."
            housing.append(f"r{i:02d}")
        elif i < 26:
            text = f"Sub-contracting left us carrying the financial risk of payment terms, example {i}."
            funding.append(f"r{i:02d}")
        elif i < 28:
            text = "n/a"
        else:
            text = f"Something unusual and different number {i}."
        records.append(_record(i, answers={Q1: text, Q3: f"Principle of respect and equal partnership {i}."}))
    # special respondents
    records[1]["consent"] = {"quote": False, "name": False}
    records[1]["answers"][Q1] = REFUSER_TEXT
    records[2]["consent"] = {"quote": True, "name": True}
    records[2]["profile"]["org_name"] = "Acme Named Housing Trust"
    records[3]["answers"][Q1] = HOSTILE
    records[4]["profile"]["org_name"] = "Secret Society Ltd"
    records[4]["answers"][Q1] = CONTACT_TEXT
    records.append(_record(90, status="draft", answers={Q1: "DRAFTONLY text about partnership housing"}))
    records.append(_record(91, status="draft", answers={Q1: "DRAFTTWO text about partnership housing"}))
    records.append(_record(92, answers={Q1: "EXCLUDEDSPAM buy cheap things"}))
    store.load_responses(bank.id, records)
    store.exclude_respondent("r92", "spam", by="test")
    # staff key quotes: the named, hostile and contact-details answers (so they are quoted) and r20
    for rid in ("r02", "r03", "r04", "r20"):
        store.set_key_quote(rid, Q1, by="test")
    if with_run:
        def members(ids):
            return [{"respondent_id": rid, "is_primary": True, "rank": n, "score": 1 - n / 100}
                    for n, rid in enumerate(ids, start=1)]
        themes = [
            {"question_id": Q1, "kind": "theme", "label": "Partnership with primes <i>works</i>",
             "terms": ["partnership", "prime", "housing"], "description": "Answers about partnership, prime and housing.",
             "size": 16, "share": 0.5, "members": members(housing + ["r90", "r91"])},
            {"question_id": Q1, "kind": "theme", "label": "Financial risk", "terms": ["risk", "payment"],
             "size": 12, "share": 0.4, "members": members(funding + ["r92"])},
            {"question_id": Q1, "kind": "other", "label": "Other", "members": members(["r28", "r29"])},
            {"question_id": Q1, "kind": "non_answer", "label": "No substantive answer",
             "members": members(["r26", "r27"])},
            {"question_id": Q3, "kind": "theme", "label": "Respect", "terms": ["respect", "equal"],
             "members": members([f"r{i:02d}" for i in range(30)])},
        ]
        store.save_run(bank.id, method="test-method", version="0.0", params={"themes": "auto", "seed": 0},
                       summary={}, themes=themes)
    return {"housing": housing, "funding": funding}

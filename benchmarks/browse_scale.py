"""Browse at scale: 100,000 synthetic answers; overview, first page and search timings.

    .venv/bin/python benchmarks/browse_scale.py [--answers 100000] [--db PATH] [--keep]

Builds the database through the Store's bulk path (``Store.bulk_insert``) with a saved analysis
run, then measures: opening the browser headless until the overview is mounted and filled; the
first page of one question's answers (store call, and the By-question screen mounted); and the
median of 20 searches (store call: FTS5 match, counts per question, first 200 rows, highlights),
and of 10 exact searches (words in quotes: FTS5 candidates kept only with the words themselves).
Prints the figures as Markdown for the "Browse" section of benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from consult.questions import default_bank_path, load_bank  # noqa: E402
from consult.store import Store  # noqa: E402
from consult.store.search import Filters  # noqa: E402

WORDS = ["prison", "probation", "funding", "contract", "commissioning", "local", "national", "volunteers", "mentoring", "housing", "employment", "partnership", "prime", "provider", "payment", "results", "outcomes", "risk", "capacity", "trust", "police", "compact", "community", "charity", "smaller", "bid", "tender", "evidence", "families", "women", "young", "adults", "resettlement", "through", "gate", "services", "delivery", "design", "council", "budget", "cuts", "staff", "training", "referral", "support", "health", "drugs", "alcohol", "debt", "victims", "restorative", "justice", "court", "sentence", "licence", "recall"]
QUERIES = ["funding", "payment by results", "local commissioning", "prime provider", "volunteers",
           "housing support", "smaller charity", "tender", "police compact", "resettlement",
           "women", "risk", "evidence outcomes", "drugs alcohol", "train*", "court sentence",
           "budget cuts", "young adults", "referral", "restorative justice"]
# Quoted: exact words, FTS5 (porter) candidates filtered in Python for the words themselves.
EXACT_QUERIES = ['"funding"', '"payment by results"', '"local" commissioning', '"volunteers"', '"women"',
                 '"prime provider"', '"risk"', '"housing" support', '"court sentence"', '"tender"']


def sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 16))).capitalize() + "."


def build(path: Path, n_answers: int, seed: int = 7) -> Store:
    bank = load_bank(default_bank_path())
    store = Store(path)
    store.sync_bank(bank)
    rng = random.Random(seed)
    questions = [q.id for q in bank.questions if q.is_free_text][:10]
    n_people = n_answers // len(questions)
    fields = {f.id: f.options for f in bank.breakdown_fields}
    people, answers = [], []
    for i in range(n_people):
        rid = f"s{i:06d}"
        profile = {"org_name": f"Organisation {i}", **{k: rng.choice(v) for k, v in fields.items()}}
        people.append({"respondent": rid, "profile": profile,
                       "status": "submitted" if rng.random() < 0.8 else "draft",
                       "created_at": f"2010-09-{1 + i % 28:02d}T10:00:00Z"})
        for qid in questions:
            answers.append((rid, qid, " ".join(sentence(rng) for _ in range(rng.randint(1, 6)))))
    store.bulk_insert(bank.id, people, answers)
    themes = []
    for qid in questions:
        groups: dict[int, list[str]] = {}
        for p in people:
            groups.setdefault(rng.randrange(6), []).append(p["respondent"])
        for k, members in sorted(groups.items()):
            themes.append({"question_id": qid, "label": f"Theme {k + 1}", "size": len(members),
                           "share": len(members) / n_people, "terms": rng.sample(WORDS, 4),
                           "members": [{"respondent_id": r, "rank": j} for j, r in enumerate(members)]})
    store.save_run(bank.id, method="synthetic", version="0", params={}, summary={}, themes=themes)
    return store


async def open_overview(store: Store, bank) -> float:
    from consult.tui.browse import make_browse_app
    from consult.tui.browse.overview import OverviewScreen

    start = time.perf_counter()
    app = make_browse_app(store, bank, user="bench")
    async with app.run_test(size=(120, 40)) as pilot:
        while not (isinstance(app.screen, OverviewScreen) and app.screen.query("Bars")):
            await pilot.pause(0.005)
        elapsed = time.perf_counter() - start
    return elapsed


async def open_question(store: Store, bank) -> float:
    from consult.tui.browse import make_browse_app
    from consult.tui.browse.question import QuestionScreen

    app = make_browse_app(store, bank, user="bench")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        start = time.perf_counter()
        await pilot.press("q")
        while not (isinstance(app.screen, QuestionScreen) and app.screen.rows):
            await pilot.pause(0.005)
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=100_000)
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the database (prints its path)")
    args = parser.parse_args()
    bank = load_bank(default_bank_path())
    folder = Path(tempfile.mkdtemp(prefix="browse-bench-"))
    path = args.db or folder / "responses.db"
    if path.exists():
        store = Store(path)
        build_s = 0.0
    else:
        t = time.perf_counter()
        store = build(path, args.answers)
        build_s = time.perf_counter() - t
    n = store.scalar("SELECT count(*) FROM answers")
    qid = next(q.id for q in bank.questions if q.is_free_text)

    overview_s = min(asyncio.run(open_overview(Store(path), bank)) for _ in range(3))
    t = time.perf_counter()
    store.overview(bank.id, [f.id for f in bank.breakdown_fields])
    overview_sql = time.perf_counter() - t
    page_times = []
    for _ in range(5):
        t = time.perf_counter()
        store.answer_page(bank.id, qid, user="bench", limit=100, org_field="org_name")
        store.count_answers(bank.id, qid)
        page_times.append(time.perf_counter() - t)
    question_s = min(asyncio.run(open_question(Store(path), bank)) for _ in range(3))
    times, filtered = [], []
    for q in QUERIES:
        t = time.perf_counter()
        store.search_answers(bank.id, q, user="bench", limit=200, org_field="org_name")
        times.append(time.perf_counter() - t)
        t = time.perf_counter()
        store.search_answers(bank.id, q, user="bench", limit=200, org_field="org_name",
                             filters=Filters(profile={"region": "London"}, unread_by="bench"))
        filtered.append(time.perf_counter() - t)
    exact = []
    for q in EXACT_QUERIES:
        t = time.perf_counter()
        store.search_answers(bank.id, q, user="bench", limit=200, org_field="org_name")
        exact.append(time.perf_counter() - t)
    ms = lambda s: f"{s * 1000:.0f} ms"  # noqa: E731
    print(f"| answers in the database | {n:,} (built in {build_s:.1f} s) |")
    print(f"| overview open (headless, until mounted and filled) | {ms(overview_s)} (SQL alone {ms(overview_sql)}) |")
    print(f"| first page of a question's answers (100 rows + count) | {ms(statistics.median(page_times))} |")
    print(f"| By-question screen, key press to first page shown | {ms(question_s)} |")
    print(f"| search, median of {len(times)} queries (max) | {ms(statistics.median(times))} ({ms(max(times))}) |")
    print(f"| search + region + unread filters, median (max) | {ms(statistics.median(filtered))} ({ms(max(filtered))}) |")
    print(f"| exact (quoted) search, median of {len(exact)} queries (max) | {ms(statistics.median(exact))} "
          f"({ms(max(exact))}) |")
    if args.keep or args.db:
        print(f"database: {path}")


if __name__ == "__main__":
    main()

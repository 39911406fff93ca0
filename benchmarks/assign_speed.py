"""How long assigning new answers to a confirmed codebook takes, and how much memory it needs.

A question with a codebook of 30 confirmed themes (100 coded answers each) receives 10,000 new
answers: 9,500 on the codebook's topics, 500 off-topic. Measured twice:

- ``assign``: ``consult.assign.assign`` alone (fit the question's vector space on all 13,000
  answers, centroids, cosine, Other, proposals from the leftovers);
- ``run``: the real ``consult.pipeline.run_analysis`` of that question on a database (reads,
  assignment, codings written, the run's copy of the codebook written), which is what
  `consult analyse` does once staff have confirmed themes.

Time is the median of the runs; peak memory is Python's traced peak (numpy included) during one
call, and the process's peak RSS. Goal: under 2 s for the assignment. With ``--write`` the
figures go into the "Codebook assignment" section of ``benchmarks/README.md``.

    .venv/bin/python benchmarks/assign_speed.py
    .venv/bin/python benchmarks/assign_speed.py --new 2000 --runs 1
    .venv/bin/python benchmarks/assign_speed.py --write
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from consult.assign import CodebookSeed, assign  # noqa: E402
from consult.codebook import question_coding  # noqa: E402
from consult.pipeline import run_analysis  # noqa: E402
from consult.questions import default_bank_path, load_bank  # noqa: E402
from consult.store import Store  # noqa: E402

THEMES = 30
PER_THEME = 100
GOAL_S = 2.0
SYLLABLES = ["ba", "ko", "ri", "mel", "tan", "su", "dor", "vi", "lek", "pra", "zu", "nor", "hal", "ge", "fi", "wo"]
FILLER = ["we", "think", "the", "service", "in", "our", "area", "works", "when", "people", "are", "listened", "to", "and", "the", "money", "arrives", "on", "time", "for", "the", "work", "that", "matters", "most", "to", "the", "families", "we", "support", "every", "week"]


def vocabulary(rng: random.Random) -> list[list[str]]:
    """Six made-up words per theme, none shared: each theme has its own way of talking."""
    seen: set[str] = set()
    out = []
    for _ in range(THEMES):
        words = []
        while len(words) < 6:
            word = "".join(rng.choice(SYLLABLES) for _ in range(3))
            if word not in seen:
                seen.add(word)
                words.append(word)
        out.append(words)
    return out


def answer(rng: random.Random, words: list[str]) -> str:
    said = rng.sample(words, 3) + rng.sample(FILLER, 8)
    rng.shuffle(said)
    return " ".join(said)


def corpus(n_new: int, seed: int = 1):
    rng = random.Random(seed)
    vocab = vocabulary(rng)
    coded = [(k, answer(rng, vocab[k])) for k in range(THEMES) for _ in range(PER_THEME)]
    off = n_new // 20
    new = [answer(rng, vocab[rng.randrange(THEMES)]) for _ in range(n_new - off)]
    new += [" ".join(rng.sample(FILLER, 10)) for _ in range(off)]
    return vocab, coded, new


def peak_of(fn) -> tuple[float, float]:
    """(seconds, traced peak MiB) of one call."""
    tracemalloc.start()
    started = time.perf_counter()
    fn()
    took = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return took, peak / 2**20


def bench_assign(n_new: int, runs: int) -> dict:
    vocab, coded, new = corpus(n_new)
    texts = [t for _, t in coded] + new
    seeds = [CodebookSeed(k, " ".join(vocab[k][:2]), "", [i for i, (kk, _) in enumerate(coded) if kk == k])
             for k in range(THEMES)]
    todo = range(len(coded), len(texts))
    times = []
    result = None
    for _ in range(runs):
        started = time.perf_counter()
        result = assign(texts, seeds, todo)
        times.append(time.perf_counter() - started)
    _, peak = peak_of(lambda: assign(texts, seeds, todo))
    right = sum(1 for i, c in result.codings.items() if i - len(coded) < n_new - n_new // 20)
    return {"median": statistics.median(times), "peak": peak, "coded": len(result.codings),
            "other": len(result.other), "proposals": len(result.proposals), "on_topic_coded": right}


def bench_run(n_new: int, runs: int) -> dict:
    bank = load_bank(default_bank_path())
    question = next(q for q in bank.questions if q.is_free_text).id
    vocab, coded, new = corpus(n_new)
    times = []
    with tempfile.TemporaryDirectory() as folder:
        for number in range(runs):
            store = Store(Path(folder) / f"bench{number}.db")
            store.sync_bank(bank)
            store.load_responses(bank.id, [{"respondent": f"c{i:05d}", "answers": {question: t}}
                                           for i, (_, t) in enumerate(coded)])
            themes = [{"question_id": question, "kind": "theme", "label": " ".join(vocab[k][:2]),
                       "members": [{"respondent_id": f"c{i:05d}"} for i, (kk, _) in enumerate(coded) if kk == k]}
                      for k in range(THEMES)]
            store.save_run(bank.id, method="bench", version="0", params={}, summary={}, themes=themes)
            store.codebook_confirm([t.id for t in store.codebook(bank.id, question)], by="bench")
            store.load_responses(bank.id, [{"respondent": f"n{i:05d}", "answers": {question: t}}
                                           for i, t in enumerate(new)])
            started = time.perf_counter()
            run_analysis(store, bank, question_ids=[question])
            times.append(time.perf_counter() - started)
            coding = question_coding(store, bank.id, question)
            assert not coding.uncoded, "every new answer is coded"
            store.close()
    return {"median": statistics.median(times), "runs": runs}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--new", type=int, default=10_000, help="new answers to assign")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--write", action="store_true", help="record the figures in benchmarks/README.md")
    args = parser.parse_args()
    pure = bench_assign(args.new, args.runs)
    run = bench_run(args.new, args.runs)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows = [
        ("`consult.assign.assign`", f"{pure['median']:.2f} s", f"{pure['peak']:.0f} MiB traced"),
        ("`consult analyse` of the question (store, assign, write)", f"{run['median']:.2f} s",
         f"{rss:.0f} MiB peak RSS (whole benchmark)"),
    ]
    table = ["| step | median time | memory |", "| --- | --- | --- |"] + [f"| {a} | {b} | {c} |" for a, b, c in rows]
    verdict = "within" if pure["median"] < GOAL_S else "OVER"
    summary = (f"{args.new:,} new answers, codebook of {THEMES} confirmed themes ({PER_THEME} coded answers each); "
               f"{pure['coded']:,} coded to themes, {pure['other']:,} to Other, {pure['proposals']} new themes "
               f"proposed; {args.runs} runs; goal {GOAL_S:.0f} s: {verdict}.")
    print(summary)
    print("\n".join(table))
    if args.write:
        write_readme(summary, table)
    return 0


def write_readme(summary: str, table: list[str]) -> None:
    path = ROOT / "benchmarks" / "README.md"
    text = path.read_text(encoding="utf-8")
    machine = (f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, load average "
               f"{os.getloadavg()[0]:.1f} (a shared machine: idle, expect less), Python {platform.python_version()}, "
               f"{date.today()}")
    section = ("## Codebook assignment\n\n`benchmarks/assign_speed.py`: assigning new answers to a confirmed "
               f"codebook (the runs after staff confirm themes). {summary} Measured on {machine}.\n\n"
               + "\n".join(table) + "\n")
    if "## Codebook assignment" in text:
        text = re.sub(r"## Codebook assignment\n.*?(?=\n## |\Z)", section, text, flags=re.S)
    else:
        text = text.rstrip() + "\n\n" + section
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())

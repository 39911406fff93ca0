"""Analysis time and peak memory on synthetic answers: 10k, 100k and 1M answers to one question.

Usage: python benchmarks/speed.py [--sizes 10000,100000,1000000] [--out FILE.json]

Answers are generated deterministically from a vocabulary with 12 planted topics plus common
filler words, 6-30 words each. Each size runs in a fresh subprocess so peak RSS (ru_maxrss)
belongs to that run alone; the median of 3 runs is quoted (1 run for 1M).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

FILLER = [
    "we",
    "the",
    "our",
    "people",
    "need",
    "more",
    "for",
    "and",
    "it",
    "is",
    "a",
    "in",
    "to",
    "of",
    "that",
    "this",
    "would",
    "be",
    "should",
    "services",
    "support",
    "local",
    "work",
    "very",
    "about",
    "not",
    "with",
    "have",
    "are",
    "they",
    "their",
    "has",
    "been",
    "can",
    "think",
    "also",
]


def synthetic(n: int, topics: int = 12, seed: int = 0) -> list[str]:
    """n answers, each mostly words of one planted topic among filler words."""
    import numpy as np

    rng = np.random.default_rng(seed)
    vocab = [f"w{t}x{j}" for t in range(topics) for j in range(40)]
    lengths = rng.integers(6, 31, n)
    topic = rng.integers(0, topics, n)
    out = []
    for i in range(n):
        m = int(lengths[i])
        k = max(2, m // 3)
        words = [vocab[topic[i] * 40 + j] for j in rng.integers(0, 40, k)]
        words += [FILLER[j] for j in rng.integers(0, len(FILLER), m - k)]
        rng.shuffle(words)
        out.append(" ".join(words))
    return out


def one_run(n: int) -> dict:
    """Time analyse_texts on n synthetic answers (in this process) and report peak RSS."""
    import resource

    sys.path.insert(0, str(ROOT))
    from consult.analysis import analyse_texts

    texts = synthetic(n)
    t0 = time.perf_counter()
    qa = analyse_texts(texts, themes="auto", seed=0)
    secs = time.perf_counter() - t0
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "n": n,
        "seconds": round(secs, 2),
        "peak_rss_mb": round(rss_mb),
        "themes": len(qa.themes),
        "other": len(qa.other),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--out", type=Path)
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        print(json.dumps(one_run(args.one)))
        return 0
    rows = []
    for n in (int(s) for s in args.sizes.split(",")):
        runs = []
        for _ in range(1 if n >= 1_000_000 else 3):
            res = subprocess.run(
                [sys.executable, __file__, "--one", str(n)],
                capture_output=True,
                text=True,
                check=True,
            )
            runs.append(json.loads(res.stdout.strip().splitlines()[-1]))
            print(f"{n:>9,}: {runs[-1]}", file=sys.stderr)
        rows.append(
            {
                "n": n,
                "runs": len(runs),
                "median_seconds": statistics.median(r["seconds"] for r in runs),
                "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
                "themes": runs[0]["themes"],
            }
        )
    print("| answers | runs | median time (s) | peak RSS (MB) | themes |")
    print("|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['n']:,} | {r['runs']} | {r['median_seconds']:.1f} | {r['peak_rss_mb']:,} | "
            f"{r['themes']} |"
        )
    if args.out:
        args.out.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Where the assignment's thresholds sit in today's vector space: members, neighbours, strangers.

Usage: python benchmarks/assign_thresholds.py [--eval-dir ../shared/eval]

For each question of the demo (``consult demo``'s invented answers, 18 questions), the finder's
themes become a codebook as ``consult.assign`` sees it (centroids of the members pulled towards
the label). Then, in the question's own vector space:

- **members**: each member's cosine to its own theme's centroid computed without it (leave one
  out: how a new answer making that theme's point scores);
- **nearest other**: the same answer's cosine to the most similar other theme;
- **other question**: answers to a different demo question (same field, other subject), best
  cosine to any theme;
- **strangers**: 300 StackOverflow titles (another world entirely), best cosine to any theme.

A text that shares no word with the question's answers is a zero vector (cosine 0): Other.

``PRIMARY_MIN_SIMILARITY`` should sit below nearly every member and above nearly every stranger;
``SECONDARY_MIN_SIMILARITY`` above most members' nearest other theme.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from quality import DEFAULT_EVAL, load_tsv  # noqa: E402

from consult.analysis import Embedder, analyse_texts  # noqa: E402
from consult.assign import (  # noqa: E402
    PRIMARY_MIN_SIMILARITY,
    SECONDARY_MIN_SIMILARITY,
    CodebookSeed,
    centroids,
)
from consult.text import strip_contacts  # noqa: E402

DEMO = HERE.parent / "consult" / "data" / "demo_responses.json"


def demo_answers() -> dict[str, list[str]]:
    data = json.loads(DEMO.read_text(encoding="utf-8"))
    out: dict[str, list[str]] = {}
    for respondent in data["respondents"]:
        for qid, text in respondent.get("answers", {}).items():
            if isinstance(text, str) and len(text.split()) >= 3:
                out.setdefault(qid, []).append(strip_contacts(text))
    return {q: t for q, t in out.items() if len(t) >= 20}


def measure(eval_dir: Path) -> dict[str, np.ndarray]:
    strangers, _ = load_tsv(eval_dir / "stackoverflow.tsv")
    strangers = strangers[:300]
    answers = demo_answers()
    qids = sorted(answers)
    found = {"members": [], "nearest other": [], "other question": [], "strangers": []}
    for n, qid in enumerate(qids):
        texts = answers[qid]
        space = Embedder(seed=0).fit(texts)
        V = space.transform(texts)
        themes = analyse_texts(texts, themes="auto", seed=0, embedder=space).themes
        seeds = [CodebookSeed(k, t.label, t.description, list(t.members)) for k, t in enumerate(themes)]
        labels = space.transform([f"{s.label}. {s.description}" for s in seeds])
        C = centroids(V, labels, seeds)
        for k, s in enumerate(seeds):
            for i in s.members:
                rest = [CodebookSeed(s.id, s.label, s.description, [j for j in s.members if j != i])]
                own = centroids(V, labels[[k]], rest)[0]
                found["members"].append(float(V[i] @ own))
                others = [float(V[i] @ C[j]) for j in range(len(seeds)) if j != k]
                if others:
                    found["nearest other"].append(max(others))
        other_q = answers[qids[(n + 1) % len(qids)]]
        for block, name in ((other_q, "other question"), (strangers, "strangers")):
            W = space.transform(block)  # a text sharing no word with the answers: a zero row, 0
            found[name].extend((W @ C.T).max(axis=1).tolist())
    return {k: np.asarray(v) for k, v in found.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL)
    args = parser.parse_args()
    found = measure(args.eval_dir)
    print("| cosine to a theme | n | 5th | 10th | 25th | median | 75th | 90th | 95th |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, v in found.items():
        q = np.percentile(v, [5, 10, 25, 50, 75, 90, 95])
        print(f"| {name} | {len(v)} | " + " | ".join(f"{x:.2f}" for x in q) + " |")
    for name, t in (("primary", PRIMARY_MIN_SIMILARITY), ("secondary", SECONDARY_MIN_SIMILARITY)):
        print(f"{name} threshold {t}: " + ", ".join(
            f"{name_}: {np.mean(v >= t):.0%} at or above" for name_, v in found.items()))


if __name__ == "__main__":
    main()

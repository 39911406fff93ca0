"""Theme labels and descriptions against reference ones: consult.labels vs the labeller before it.

Usage: python benchmarks/labels.py [--eval-dir ../shared/eval/consultation] [--seed 0]
       [--out FILE.json] [--table]

Each JSON file of the consultation set is one question whose responses carry reference themes
(several per response). The responses are grouped two ways and each grouping is labelled:

- ``members``: every reference theme's member set (a response in each of its themes);
- ``first``: each response in its first theme only (a partition, as the analysis makes).

"None of the Above" / "No Reason Given" themes are left out. Scores per group, averaged:
token F1 and ROUGE-L F (longest common subsequence) of stemmed, stop-word-free tokens, label
against reference label and description against reference description, and the cosine of
all-MiniLM-L6-v2 sentence vectors when the ``semantic`` extra is installed (skipped otherwise).
Also: share of labels whose support is above half, label lengths in words, and how many labels
fell back to two terms. ``before`` is the labeller the analysis used until now (its labels and
its "Answers in this theme most often mention ..." descriptions), when it can still be imported.
Measured, never tuned to: the real check is human-written summaries of real answers.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from consult.labels import MIN_SUPPORT, label_groups  # noqa: E402
from consult.phrases import STOP, stem, words_of  # noqa: E402

# ../shared/eval/consultation beside the repository (or beside the folder of worktrees)
DEFAULT_EVAL = next((p / "shared" / "eval" / "consultation" for p in Path(__file__).resolve().parents
                     if (p / "shared" / "eval" / "consultation").is_dir()), Path("consultation"))
SKIP = {"none of the above", "no reason given"}


def tokens(text: str) -> list[str]:
    return [stem(w) for w in (t.lower() for t in words_of(text)) if w not in STOP]


def f1(a: str, b: str) -> float:
    x, y = Counter(tokens(a)), Counter(tokens(b))
    common = sum((x & y).values())
    if not common:
        return 0.0
    p, r = common / sum(x.values()), common / sum(y.values())
    return 2 * p * r / (p + r)


def rouge_l(a: str, b: str) -> float:
    x, y = tokens(a), tokens(b)
    if not x or not y:
        return 0.0
    prev = [0] * (len(y) + 1)
    for xi in x:
        cur = [0]
        for j, yj in enumerate(y):
            cur.append(prev[j] + 1 if xi == yj else max(prev[j + 1], cur[j]))
        prev = cur
    lcs = prev[-1]
    if not lcs:
        return 0.0
    p, r = lcs / len(x), lcs / len(y)
    return 2 * p * r / (p + r)


def load_embedder():
    try:
        from consult.semantic import available, load_model
    except ImportError:
        return None
    if not available():
        return None
    model = load_model()
    return lambda texts: np.asarray(model.encode(list(texts), normalize_embeddings=True))


def old_labeller():
    """The labeller consult.analysis used before consult.labels, or None once it is gone."""
    try:
        from consult.analysis.labels import _label, describe  # noqa: F401  (_label: the old one)
    except ImportError:
        return None
    from consult.pipeline import describe as word_list

    def run(texts, groups, seed):
        return [(label, word_list(terms)) for label, terms, *_ in describe(texts, groups, seed)]
    return run


def groupings(data: dict) -> dict[str, tuple[list[dict], list[list[int]]]]:
    themes = [t for t in data["themes"] if t["label"].strip().lower() not in SKIP]
    ids = [t["id"] for t in themes]
    members = [[i for i, r in enumerate(data["responses"]) if t in r["themes"]] for t in ids]
    first = [[i for i, r in enumerate(data["responses"]) if r["themes"] and r["themes"][0] == t]
             for t in ids]
    keep = lambda gs: [(t, g) for t, g in zip(themes, gs, strict=True) if len(g) >= 2]  # noqa: E731
    return {name: tuple(map(list, zip(*keep(gs), strict=True))) for name, gs in
            (("members", members), ("first", first))}


def score(rows: list[dict], embed) -> dict:
    out = {}
    for field, ref in (("label", "ref_label"), ("description", "ref_description"),
                       ("example", "ref_description")):
        have = [r for r in rows if field in r]
        if not have:
            continue
        out[f"{field}_f1"] = round(float(np.mean([f1(r[field], r[ref]) for r in have])), 3)
        out[f"{field}_rougeL"] = round(float(np.mean([rouge_l(r[field], r[ref]) for r in have])), 3)
        if embed is not None:
            a, b = embed([r[field] or "-" for r in have]), embed([r[ref] for r in have])
            out[f"{field}_cosine"] = round(float(np.mean(np.sum(a * b, axis=1))), 3)
    if rows and "support" in rows[0]:
        out["support_above_half"] = round(float(np.mean([r["support"] > MIN_SUPPORT for r in rows])), 3)
        out["fallback_terms"] = round(float(np.mean([r["basis"] == "terms" for r in rows])), 3)
        out["label_words"] = dict(sorted(Counter(len(r["label"].split()) for r in rows).items()))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--table", action="store_true", help="print every label beside its reference")
    args = ap.parse_args()
    embed = load_embedder()
    before = old_labeller()
    results: dict = {"semantic": embed is not None, "sets": {}}
    all_rows: dict[str, list[dict]] = {}
    for path in sorted(args.eval_dir.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        texts = [r["text"] for r in data["responses"]]
        for name, (themes, groups) in groupings(data).items():
            t0 = time.perf_counter()
            got = label_groups(texts, groups, seed=args.seed)
            took = time.perf_counter() - t0
            rows = [{"ref_label": t["label"], "ref_description": t["description"], "label": g.label,
                     "description": g.description, "example": g.example, "support": g.support,
                     "basis": g.basis, "size": len(m)}
                    for t, g, m in zip(themes, got, groups, strict=True)]
            key = f"{path.stem}/{name}"
            results["sets"][key] = {"groups": len(groups), "seconds": round(took, 3),
                                    "after": score(rows, embed)}
            all_rows.setdefault(f"after/{name}", []).extend(rows)
            if before is not None:
                old = [{"ref_label": t["label"], "ref_description": t["description"], "label": lab,
                        "description": desc} for t, (lab, desc) in
                       zip(themes, before(texts, groups, args.seed), strict=True)]
                results["sets"][key]["before"] = score(old, embed)
                all_rows.setdefault(f"before/{name}", []).extend(old)
                for r, o in zip(rows, old, strict=True):
                    r["before"] = o["label"]
            if args.table:
                print(f"\n### {key}\n\n| reference | consult.labels (support) | before |\n|---|---|---|")
                for r in rows:
                    print(f"| {r['ref_label']} | {r['label']} ({r['support']:.0%}{', terms' if r['basis'] == 'terms' else ''})"
                          f" | {r.get('before', '')} |")
    results["overall"] = {k: score(v, embed) for k, v in sorted(all_rows.items())}
    print(json.dumps(results["overall"], indent=1))
    if args.out:
        args.out.write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()

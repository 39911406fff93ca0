"""Several themes per answer: sample F1 against the consultation-shaped reference sets.

Usage: python benchmarks/multitheme.py [--eval-dir ../shared/eval/consultation] [--seed 0]
       [--out FILE.json]

Each file of ``consultation/`` is one question whose responses carry one or more reference
themes (i-dot-ai/themefinder's synthetic gambling sets). The analysis runs with ``"auto"``
and with the number of reference themes. Each fine theme found is mapped to the reference
theme most of its members carry (many-to-one, as a person would name a theme after what its
answers say); an answer's predicted set is the mapped themes of its primary theme, and with
``+secondary`` also of its secondary themes. Sample F1 is the mean over answers of
2|P & R| / (|P| + |R|), answers in "other" predicting the empty set (themefinder reports 0.76
for a language model on a real consultation). The reference "None of the above" (X) and "No
reason given" (Y) are left out of R; an answer with an empty R is scored only if P is empty.
Many-to-one mapping flatters many small themes, so the number of themes is shown beside it.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from consult.analysis import analyse_texts  # noqa: E402

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "consultation"
IGNORED = {"X", "Y"}


def load(path: Path) -> tuple[list[str], list[set[str]], int]:
    data = json.loads(path.read_text(encoding="utf-8"))
    texts = [r["text"] for r in data["responses"]]
    refs = [set(r.get("themes", [])) - IGNORED for r in data["responses"]]
    k = len({t["id"] for t in data["themes"]} - IGNORED)
    return texts, refs, k


def sample_f1(pred: list[set[str]], refs: list[set[str]]) -> float:
    total = 0.0
    for p, r in zip(pred, refs, strict=True):
        if not p and not r:
            total += 1.0
        elif p or r:
            total += 2 * len(p & r) / (len(p) + len(r))
    return total / len(refs) if refs else 0.0


def predicted_sets(qa, refs: list[set[str]], secondary: bool) -> list[set[str]]:
    mapped = {}
    for t in qa.themes:
        counts = Counter(x for i in t.members for x in refs[i])
        mapped[t.key] = counts.most_common(1)[0][0] if counts else None
    out: list[set[str]] = [set() for _ in refs]
    for t in qa.themes:
        for i in t.members + (t.secondary if secondary else []):
            if mapped[t.key] is not None:
                out[i].add(mapped[t.key])
    return out


def run(eval_dir: Path, seed: int) -> list[dict]:
    rows = []
    for path in sorted(eval_dir.glob("*.json")):
        texts, refs, k = load(path)
        for themes in ("auto", k):
            t0 = time.perf_counter()
            qa = analyse_texts(texts, themes=themes, seed=seed)
            secs = time.perf_counter() - t0
            for secondary in (False, True):
                pred = predicted_sets(qa, refs, secondary)
                rows.append({
                    "set": path.stem, "n": len(texts), "ref_themes": k,
                    "ref_per_answer": round(sum(map(len, refs)) / len(refs), 2),
                    "method": f"consult {'auto' if themes == 'auto' else 'true k'}"
                              + (" +secondary" if secondary else ""),
                    "themes": len(qa.themes), "broad": len(qa.broad), "other": len(qa.other),
                    "pred_per_answer": round(sum(map(len, pred)) / len(pred), 2),
                    "sample_f1": round(sample_f1(pred, refs), 3), "seconds": round(secs, 1),
                })
            print(f"{path.stem}: {themes} done in {secs:.1f}s", file=sys.stderr)
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval-dir", type=Path, default=DEFAULT)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    rows = run(args.eval_dir, args.seed)
    print("| set | n | ref themes | ref per answer | method | themes | broad | other "
          "| predicted per answer | sample F1 |")
    print("|---|---:|---:|---:|---|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['set']} | {r['n']:,} | {r['ref_themes']} | {r['ref_per_answer']} | {r['method']} "
              f"| {r['themes']} | {r['broad']} | {r['other']} | {r['pred_per_answer']} "
              f"| {r['sample_f1']:.3f} |")
    if args.out:
        args.out.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

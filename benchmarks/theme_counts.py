"""How many themes `auto` finds against the true number, at the sizes consultations have.

Usage: python benchmarks/theme_counts.py [--eval-dir ../shared/eval] [--sizes 150,500,3000]

Real questions hold about 150 answers (3-13 human themes) to a few thousand (dozens of codes);
the target is a fine theme count between half and twice the human count. Here random samples
of each labelled set (and of the two concatenated: 28 classes under a clear two-way top level)
are analysed with ``themes="auto"``, seed 0, and the count of fine themes is compared with the
number of classes in the sample.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from metrics import predicted_labels, scores  # noqa: E402
from quality import DEFAULT_EVAL, load_tsv  # noqa: E402

from consult.analysis import analyse_texts  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL)
    parser.add_argument("--sizes", default="150,500,3000")
    args = parser.parse_args()
    sets = {p.stem: load_tsv(p) for p in sorted(args.eval_dir.glob("*.tsv"))}
    if len(sets) > 1:
        sets["combined"] = ([t for texts, _ in sets.values() for t in texts],
                            [f"{name}:{label}" for name, (_, labels) in sets.items() for label in labels])
    print("| set | answers | classes | auto themes | ratio | broad | NMI |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for n in (int(x) for x in args.sizes.split(",")):
        for name, (texts, labels) in sets.items():
            idx = np.random.default_rng(n).choice(len(texts), min(n, len(texts)), replace=False)
            sample, truth = [texts[i] for i in idx], [labels[i] for i in idx]
            result = analyse_texts(sample, themes="auto", seed=0)
            k_true, k = len(set(truth)), len(result.themes)
            nmi = scores(truth, predicted_labels(result, len(sample)))["nmi"]
            print(f"| {name} | {len(sample):,} | {k_true} | {k} | {k / k_true:.2f}x | "
                  f"{len(result.broad or [])} | {nmi:.3f} |", flush=True)


if __name__ == "__main__":
    main()

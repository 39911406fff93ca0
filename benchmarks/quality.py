"""Theme quality against labelled short-text sets: consult.analysis vs a TF-IDF+LSA baseline.

Usage: python benchmarks/quality.py [--eval-dir ../shared/eval] [--seed 0] [--combined]
       [--semantic] [--out FILE.json]

Each TSV (`label<TAB>text`, with a header) is treated as the answers to one question and
analysed with the true number of classes and with ``themes="auto"``. Answers put in "other"
count as one more predicted cluster (-1), so leaving answers out is never free.
``--combined`` also scores all the sets concatenated as one question (labels prefixed by the
set's name): a hierarchy whose dominant coarse split is the set, a hard case for ``auto``.
``--semantic`` also runs the optional ``semantic`` embedding (needs ``consult[semantic]``), with
the true k and ``auto``; its times include encoding every answer, but not loading the model once
(reported on stderr).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import sys
import time
from pathlib import Path

from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from metrics import predicted_labels, scores  # noqa: E402

from consult.analysis import analyse_texts  # noqa: E402

DEFAULT_EVAL = Path(__file__).resolve().parents[1].parent / "shared" / "eval"


def load_tsv(path: Path) -> tuple[list[str], list[str]]:
    """(texts, labels) from a `label<TAB>text` file with a header line."""
    texts, labels = [], []
    with path.open(encoding="utf-8") as fh:
        next(fh)
        for line in fh:
            line = line.rstrip("\n")
            if not line:
                continue
            label, _, text = line.partition("\t")
            labels.append(label)
            texts.append(text)
    return texts, labels


def baseline(texts: list[str], k: int, seed: int) -> list[int]:
    """The plain method the issue compares against: TF-IDF, LSA(100), k-means on the true k."""
    X = TfidfVectorizer(stop_words="english", sublinear_tf=True, min_df=2).fit_transform(texts)
    Z = normalize(TruncatedSVD(100, random_state=seed).fit_transform(X))
    return KMeans(k, n_init=10, random_state=seed).fit_predict(Z).tolist()


def _sets(eval_dir: Path, combined: bool):
    loaded = [(path.stem, *load_tsv(path)) for path in sorted(eval_dir.glob("*.tsv"))]
    yield from loaded
    if combined and len(loaded) > 1:
        texts = [t for _, ts, _ in loaded for t in ts]
        labels = [f"{name}:{lab}" for name, _, ls in loaded for lab in ls]
        yield "+".join(name for name, _, _ in loaded), texts, labels


def run(eval_dir: Path, seed: int, combined: bool = False, semantic: bool = False) -> list[dict]:
    rows = []
    if semantic:
        from consult.semantic import SemanticEmbedder, load_model

        t0 = time.perf_counter()
        load_model()
        print(f"semantic model loaded in {time.perf_counter() - t0:.1f}s", file=sys.stderr)
    for stem, texts, labels in _sets(eval_dir, combined):
        k_true = len(set(labels))
        t0 = time.perf_counter()
        base = baseline(texts, k_true, seed)
        rows.append(
            _row(
                stem,
                "baseline tfidf+lsa100+kmeans",
                k_true,
                k_true,
                labels,
                base,
                time.perf_counter() - t0,
                len(texts),
            )
        )
        for themes in (k_true, "auto"):
            t0 = time.perf_counter()
            qa = analyse_texts(texts, themes=themes, seed=seed)
            secs = time.perf_counter() - t0
            pred = predicted_labels(qa, len(texts))
            name = "consult true k" if themes != "auto" else "consult auto"
            row = _row(stem, name, k_true, len(qa.themes), labels, pred, secs, len(texts))
            row["other"] = len(qa.other)
            row["non_answers"] = len(qa.non_answers)
            row["k_criterion"] = qa.k_criterion
            rows.append(row)
            print(f"{stem:16} {name:30} done in {secs:.1f}s", file=sys.stderr)
        if not semantic:
            continue
        for themes in (k_true, "auto"):
            embedder = SemanticEmbedder(seed=seed)  # fresh: no vectors remembered from the last run
            t0 = time.perf_counter()
            qa = analyse_texts(texts, themes=themes, seed=seed, embedder=embedder)
            secs = time.perf_counter() - t0
            pred = predicted_labels(qa, len(texts))
            name = "semantic true k" if themes != "auto" else "semantic auto"
            row = _row(stem, name, k_true, len(qa.themes), labels, pred, secs, len(texts))
            row["other"] = len(qa.other)
            row["non_answers"] = len(qa.non_answers)
            row["k_criterion"] = qa.k_criterion
            rows.append(row)
            print(f"{stem:16} {name:30} done in {secs:.1f}s", file=sys.stderr)
    return rows


def _row(dataset, method, k_true, k, labels, pred, secs, n) -> dict:
    return {
        "dataset": dataset,
        "n": n,
        "method": method,
        "k_true": k_true,
        "themes": k,
        **{m: round(v, 4) for m, v in scores(labels, pred).items()},
        "seconds": round(secs, 2),
    }


def markdown(rows: list[dict], per_20k: bool = False) -> str:
    out = [
        "| set | n | method | true k | themes | NMI | ARI | ACC | other | time (s) |"
        + (" s per 20k |" if per_20k else ""),
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|" + ("---:|" if per_20k else ""),
    ]
    for r in rows:
        out.append(
            f"| {r['dataset']} | {r['n']:,} | {r['method']} | {r['k_true']} | {r['themes']} | "
            f"{r['nmi']:.3f} | {r['ari']:.3f} | {r['acc']:.3f} | {r.get('other', '-')} | "
            f"{r['seconds']:.1f} |"
            + (f" {r['seconds'] * 20_000 / max(r['n'], 1):.1f} |" if per_20k else "")
        )
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--combined", action="store_true", help="also score all sets as one")
    ap.add_argument("--semantic", action="store_true",
                    help="also run the optional semantic embedding (needs consult[semantic])")
    ap.add_argument("--out", type=Path, help="also write the rows as JSON here")
    args = ap.parse_args(argv)
    if args.semantic:
        from consult.semantic import SemanticUnavailable, check_available

        try:
            check_available()
        except SemanticUnavailable as exc:
            print(f"quality.py: {exc}", file=sys.stderr)
            return 2
    rows = run(args.eval_dir, args.seed, args.combined, args.semantic)
    print(markdown(rows, per_20k=args.semantic))
    if args.out:
        meta = {
            "date": dt.date.today().isoformat(),
            "python": platform.python_version(),
            "machine": platform.machine(),
            "seed": args.seed,
            "semantic": args.semantic,
            "rows": rows,
        }
        args.out.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

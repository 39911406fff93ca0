"""Theme quality through the real commands: `consult import`, then `consult analyse --json`.

Usage: python benchmarks/quality_db.py [--eval-dir ../shared/eval] [--out FILE.json]

Each labelled set (`label<TAB>text`) becomes the answers of many invented respondents to one
question of the bundled bank; the analysis runs with `--themes auto` and with the true number
of classes, and its JSON assignments are scored against the labels (NMI, ARI, accuracy), beside
the plain TF-IDF + LSA(100) + k-means baseline on the same texts. This is the path a user's data
takes, so it also checks that import and storage lose nothing.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from metrics import scores  # noqa: E402
from quality import DEFAULT_EVAL, baseline, load_tsv  # noqa: E402

QUESTION = "contribute.localism-in-practice"
CONSULT = [sys.executable, "-m", "consult"]


def consult(*args: str) -> float:
    start = time.perf_counter()
    subprocess.run([*CONSULT, *args], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def run(eval_dir: Path, seed: int) -> list[dict]:
    rows = []
    for path in sorted(eval_dir.glob("*.tsv")):
        texts, labels = load_tsv(path)
        k = len(set(labels))
        with tempfile.TemporaryDirectory() as tmp:
            db, src = Path(tmp) / "bench.db", Path(tmp) / "answers.csv"
            with src.open("w", newline="", encoding="utf-8") as fh:
                writer = csv.writer(fh)
                writer.writerow(["respondent", "question", "answer"])
                writer.writerows((f"{path.stem}-{i:06d}", QUESTION, t) for i, t in enumerate(texts))
            import_s = consult("import", str(src), "--db", str(db))
            for themes in ("auto", str(k)):
                out = Path(tmp) / f"themes-{themes}.json"
                seconds = consult("analyse", "--db", str(db), "--question", QUESTION, "--themes", themes,
                                  "--seed", str(seed), "--json", str(out), "--quiet")
                by_respondent = {r["respondent"]: r["theme"] for r in json.loads(out.read_text())}
                predicted = [by_respondent.get(f"{path.stem}-{i:06d}", -2) for i in range(len(texts))]
                missing = sum(1 for p in predicted if p == -2)
                rows.append({"set": path.stem, "n": len(texts), "method": f"consult analyse --themes {themes}",
                             "true_k": k, "themes": len(set(predicted)), "missing": missing,
                             "import_s": round(import_s, 1), "seconds": round(seconds, 1),
                             **scores(labels, predicted)})
        start = time.perf_counter()
        base = baseline(texts, k, seed)
        rows.append({"set": path.stem, "n": len(texts), "method": "baseline tfidf+lsa100+kmeans",
                     "true_k": k, "themes": k, "missing": 0, "import_s": None,
                     "seconds": round(time.perf_counter() - start, 1), **scores(labels, base)})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    rows = run(args.eval_dir, args.seed)
    print("| set | n | method | true k | themes | NMI | ARI | ACC | analyse (s) | import (s) |")
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['set']} | {r['n']:,} | {r['method']} | {r['true_k']} | {r['themes']} | {r['nmi']:.3f} |"
              f" {r['ari']:.3f} | {r['acc']:.3f} | {r['seconds']} | {r['import_s'] or '-'} |")
    if args.out:
        args.out.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()

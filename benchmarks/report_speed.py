"""How long `consult report` takes on a large consultation, in each format, and its peak memory.

Builds a synthetic database of N respondents answering every question of the bundled bank (through
``Store.load_responses``) and analyses it once (timed on its own), then times the real command for
HTML, Markdown, Word and PDF, each from a fresh copy of the analysed database, reading the child
process's peak resident memory from ``wait4``. Prints the medians and, with ``--write``, records
them in the "Report" section of ``benchmarks/README.md``.

    .venv/bin/python benchmarks/report_speed.py                # 1,000 respondents, 3 runs
    .venv/bin/python benchmarks/report_speed.py --write        # ... and update the README
    .venv/bin/python benchmarks/report_speed.py --respondents 200 --runs 1
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from consult.questions import default_bank_path, load_bank  # noqa: E402
from consult.store import Store  # noqa: E402

STANCES = [
    "Partnership with larger providers worked when the prime shared risk and paid on time",
    "Payment by results would push small charities out because we cannot carry the cash flow",
    "Local commissioning keeps services close to families and the people who know the area",
    "We need funded capacity building, training in bidding and help to measure outcomes",
    "The police and probation rarely involve us early enough; a local compact should fix that",
    "Women offenders and BME communities are overlooked by large generic contracts",
    "Infrastructure bodies such as the CVS could broker consortia if they were properly funded",
    "Volunteers and mentors are our strength but cost money to recruit, train and supervise",
]
FILLER = ["in", "our", "experience", "across", "the", "county", "the", "main", "issue", "is", "that", "contracts", "change", "every", "year", "and", "trustees", "worry", "about", "liability", "while", "staff", "try", "to", "keep", "services", "running", "for", "clients", "who", "need", "housing,", "employment", "support", "and", "someone", "who", "will", "listen"]


def synthetic_records(bank, n: int, seed: int = 1) -> list[dict]:
    rng = random.Random(seed)
    fields = {f.id: f for f in bank.profile}
    records = []
    for i in range(n):
        profile = {"org_name": f"Synthetic Organisation {i}"}
        for fid in ("org_type", "org_size", "region"):
            if fid in fields:
                profile[fid] = rng.choice(fields[fid].options)
        if "areas" in fields:
            profile["areas"] = rng.sample(list(fields["areas"].options), rng.randint(1, 3))
        answers = {}
        for q in bank.questions:
            if rng.random() < 0.08:
                continue  # some questions left unanswered
            if rng.random() < 0.04:
                answers[q.id] = rng.choice(["n/a", "No comment", "See above"])
                continue
            stance = STANCES[(hash(q.id) % 3 + rng.randint(0, 4)) % len(STANCES)]
            words = rng.sample(FILLER, rng.randint(8, 30))
            extra = f" Ring 0117 496 {rng.randint(1000, 9999)}." if rng.random() < 0.02 else ""
            answers[q.id] = f"{stance}. {' '.join(words).capitalize()}.{extra}"
        records.append({
            "respondent": f"syn{i:05d}", "status": "submitted" if rng.random() < 0.95 else "draft",
            "profile": profile,
            "consent": {"quote": rng.random() < 0.7, "name": rng.random() < 0.3, "contact": False},
            "answers": answers,
        })
    return records


def build_db(path: Path, respondents: int) -> None:
    bank = load_bank(default_bank_path())
    store = Store(path)
    store.sync_bank(bank)
    store.load_responses(bank.id, synthetic_records(bank, respondents))
    store.close()


FORMATS = (("html", "html"), ("markdown", "md"), ("docx", "docx"), ("pdf", "pdf"))


def _copy(base: Path, work: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        src, dst = Path(str(base) + suffix), Path(str(work) + suffix)
        if src.exists():
            shutil.copy(src, dst)
        elif dst.exists():
            dst.unlink()


def run_timed(cmd: list[str]) -> tuple[float, float]:
    """Seconds and peak resident memory (MB) of one command."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env={**os.environ, "CONSULT_BANK": str(default_bank_path())})
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"{' '.join(cmd)} failed with status {status}")
    return seconds, usage.ru_maxrss / 1024


def consult() -> str:
    path = ROOT / ".venv" / "bin" / "consult"
    return str(path) if path.exists() else "consult"


def write_readme(rows: list[tuple[str, list[float], float]], analysis: float, respondents: int,
                 questions: int, answers: int, command: str) -> None:
    readme = ROOT / "benchmarks" / "README.md"
    text = readme.read_text(encoding="utf-8") if readme.exists() else "# Benchmarks\n"
    cpu = platform.processor() or platform.machine()
    table = "".join(f"| {fmt} | {', '.join(f'{x:.1f}' for x in runs)} | {statistics.median(runs):.1f} | "
                    f"{mem:.0f} | under 60 s |\n" for fmt, runs, mem in rows)
    section = (
        "## Report\n\n"
        f"`consult report` on {respondents:,} synthetic respondents x {questions} questions "
        f"({answers:,} answers), each format from a fresh copy of a database analysed once "
        f"(`consult analyse`: {analysis:.1f} s, not included below). Peak memory is the report "
        f"process's maximum resident set.\n\n"
        f"Measured {date.today().isoformat()}.\n\n"
        "| Format | Runs (s) | Median (s) | Peak memory (MB) | Target |\n| --- | --- | ---: | ---: | --- |\n"
        + table +
        f"\nMachine: {platform.system()} {cpu}, {os.cpu_count()} CPUs (shared with other work), "
        f"Python {platform.python_version()}.\nCommand: `{command}`\n"
    )
    pattern = re.compile(r"^## Report\n.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)
    text = pattern.sub(section + "\n", text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section
    readme.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--write", action="store_true", help="record the figures in benchmarks/README.md")
    args = parser.parse_args()
    bank = load_bank(default_bank_path())
    with tempfile.TemporaryDirectory() as tmp:
        base, work = Path(tmp) / "base.db", Path(tmp) / "work.db"
        start = time.perf_counter()
        build_db(base, args.respondents)
        store = Store(base)
        answers = sum(len(store.answers_to(q.id)) for q in bank.questions)
        store.close()
        print(f"built {args.respondents:,} respondents, {answers:,} answers in {time.perf_counter() - start:.1f} s")
        analysis, _ = run_timed([consult(), "analyse", "--db", str(base)])
        print(f"analysis: {analysis:.1f} s")
        rows = []
        for fmt, ext in FORMATS:
            runs, peak = [], 0.0
            for _ in range(args.runs):
                _copy(base, work)
                out = Path(tmp) / f"report.{ext}"
                out.unlink(missing_ok=True)
                seconds, mem = run_timed([consult(), "report", "--db", str(work), "--out", str(out), "--quiet"])
                runs.append(seconds)
                peak = max(peak, mem)
            rows.append((fmt, runs, peak))
            print(f"{fmt}: {', '.join(f'{x:.1f}' for x in runs)} s, median {statistics.median(runs):.1f} s, "
                  f"peak {peak:.0f} MB")
    if args.write:
        command = "python benchmarks/report_speed.py --write" + (
            f" --respondents {args.respondents}" if args.respondents != 1000 else "") + (
            f" --runs {args.runs}" if args.runs != 3 else "")
        write_readme(rows, analysis, args.respondents, len(bank.questions), answers, command)
        print("recorded in benchmarks/README.md")


if __name__ == "__main__":
    main()

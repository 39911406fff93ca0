"""How long `consult report` takes on a large consultation, analysis included.

Builds a synthetic database of N respondents answering every question of the bundled bank (through
``Store.load_responses``), then times the real command end to end, from a fresh copy of that
database each time so that every run includes the analysis. Prints the median of the runs and, with
``--write``, records it in the "Report" section of ``benchmarks/README.md``.

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


def time_report(base: Path, work: Path, out: Path) -> float:
    for suffix in ("", "-wal", "-shm"):
        src = Path(str(base) + suffix)
        dst = Path(str(work) + suffix)
        if src.exists():
            shutil.copy(src, dst)
        elif dst.exists():
            dst.unlink()
    consult = ROOT / ".venv" / "bin" / "consult"
    cmd = [str(consult) if consult.exists() else "consult", "report", "--db", str(work), "--out", str(out),
           "--quiet"]
    start = time.perf_counter()
    subprocess.run(cmd, check=True, env={**os.environ, "CONSULT_BANK": str(default_bank_path())})
    return time.perf_counter() - start


def write_readme(figures: list[float], respondents: int, questions: int, answers: int, command: str) -> None:
    readme = ROOT / "benchmarks" / "README.md"
    text = readme.read_text(encoding="utf-8") if readme.exists() else "# Benchmarks\n"
    cpu = platform.processor() or platform.machine()
    section = (
        "## Report\n\n"
        f"`consult report` end to end (a fresh database each run, so the analysis is included), "
        f"{respondents:,} synthetic respondents x {questions} questions ({answers:,} answers), "
        f"HTML output.\n\n"
        f"| Measured | Runs (s) | Median (s) | Target |\n| --- | --- | ---: | --- |\n"
        f"| {date.today().isoformat()} | {', '.join(f'{x:.1f}' for x in figures)} | "
        f"{statistics.median(figures):.1f} | under 60 s |\n\n"
        f"Machine: {platform.system()} {cpu}, {os.cpu_count()} CPUs, Python {platform.python_version()}.\n"
        f"Command: `{command}`\n"
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
        figures = []
        for i in range(args.runs):
            seconds = time_report(base, work, Path(tmp) / "report.html")
            figures.append(seconds)
            print(f"run {i + 1}: {seconds:.2f} s")
        print(f"median: {statistics.median(figures):.2f} s (target: under 60 s)")
    if args.write:
        command = "python benchmarks/report_speed.py --write" + (
            f" --respondents {args.respondents}" if args.respondents != 1000 else "")
        write_readme(figures, args.respondents, len(bank.questions), answers, command)
        print("recorded in benchmarks/README.md")


if __name__ == "__main__":
    main()

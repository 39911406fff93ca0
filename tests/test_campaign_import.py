"""Campaign: a member keeps saving while a large `consult import` runs in another process.

The figure for 100,000 rows is measured by ``benchmarks/import_latency.py`` (see
docs/reliability.md); the suite runs a smaller import so that it takes seconds.
"""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from consult.store import Store

# The promise (issue #11): no member save waits more than 1 s while an import runs.
MEMBER_SAVE_TARGET_S = 1.0
# Asserted with slack for a 2-core machine shared with other work: twice the target.
MEMBER_SAVE_BOUND_S = 2 * MEMBER_SAVE_TARGET_S
CAMPAIGN_ROWS = 12_000
Q = "police.engagement"
WORDS = ["the", "police", "court", "probation", "victims", "offenders", "services", "local", "justice", "training", "funding", "need", "more", "staff", "and", "better", "work", "with", "partners", "across", "areas"]


def write_import(path: Path, rows: int, questions: list[str]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["respondent", "question", "answer", "status"])
        for i in range(rows):
            words = " ".join(WORDS[(i * 7 + k) % len(WORDS)] for k in range(40))
            out.writerow([f"imp{i // len(questions)}", questions[i % len(questions)], words, "submitted"])


def start_import(db: Path, src: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "consult", "import", str(src), "--db", str(db)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_until_staging(store: Store, proc: subprocess.Popen, deadline_s: float = 60) -> None:
    end = time.monotonic() + deadline_s
    while store.scalar("SELECT count(*) FROM imports") == 0:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < end, "the import never started staging"
        time.sleep(0.005)


def free_text_questions(bank) -> list[str]:
    return [q.id for q in bank.questions if q.is_free_text][:5]


@pytest.mark.slow
def test_member_saves_stay_quick_while_a_large_import_runs(tmp_path, bank):
    db, src = tmp_path / "r.db", tmp_path / "big.csv"
    write_import(src, CAMPAIGN_ROWS, free_text_questions(bank))
    store = Store(db)
    store.sync_bank(bank)
    member, _ = store.new_respondent(bank.id)
    proc = start_import(db, src)
    wait_until_staging(store, proc)
    waits, n = [], 0
    while proc.poll() is None:
        n += 1
        started = time.monotonic()
        store.save_answer(member.id, Q, f"typing, version {n}")
        waits.append(time.monotonic() - started)
    out, err = proc.communicate()
    assert proc.returncode == 0, err
    assert len(waits) >= 20, "the import ended before the member could save during it"
    assert max(waits) < MEMBER_SAVE_BOUND_S, f"slowest save {max(waits):.2f} s"
    assert store.answers(member.id) == {Q: f"typing, version {n}"}
    assert store.scalar("SELECT count(*) FROM answers WHERE respondent_id LIKE 'imp%'") == CAMPAIGN_ROWS


@pytest.mark.slow
def test_an_import_killed_mid_way_is_wholly_absent(tmp_path, bank):
    db, src = tmp_path / "r.db", tmp_path / "big.csv"
    write_import(src, CAMPAIGN_ROWS, free_text_questions(bank))
    store = Store(db)
    store.sync_bank(bank)
    store.load_responses(bank.id, [{"respondent": "before", "answers": {Q: "already here"}}])
    for round_ in range(3):
        proc = start_import(db, src)
        wait_until_staging(store, proc)
        # let it stage a little more each round, then kill it without warning
        end = time.monotonic() + 0.3 * (round_ + 1)
        while time.monotonic() < end and proc.poll() is None:
            time.sleep(0.01)
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate()
        assert store.scalar("SELECT count(*) FROM respondents WHERE consultation_id = ?", (bank.id,)) == 1
        reopened = Store(db)  # the next open removes what the killed import staged
        assert reopened.scalar("SELECT count(*) FROM respondents") == 1
        assert reopened.scalar("SELECT count(*) FROM answers") == 1
        assert reopened.scalar("SELECT count(*) FROM answer_revisions") == 1
        assert reopened.scalar("PRAGMA integrity_check") == "ok"
        reopened.close()

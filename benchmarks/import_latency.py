"""A member saving while a large `consult import` runs: how long does the slowest save wait?

    .venv/bin/python benchmarks/import_latency.py [ROWS]    (default 100,000 rows)

Writes a CSV of ROWS answers (40 words each, 5 per respondent), starts `consult import` in a
subprocess, and saves one answer after another in this process until the import ends. Prints
the import's wall time and the save latencies. The suite runs the same campaign smaller
(tests/test_campaign_import.py).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from consult.questions import default_bank_path, load_bank  # noqa: E402
from consult.store import Store  # noqa: E402
from tests.test_campaign_import import (  # noqa: E402
    Q,
    free_text_questions,
    start_import,
    wait_until_staging,
    write_import,
)


def main(rows: int) -> None:
    bank = load_bank(default_bank_path())
    with tempfile.TemporaryDirectory() as folder:
        db, src = Path(folder) / "r.db", Path(folder) / "big.csv"
        write_import(src, rows, free_text_questions(bank))
        store = Store(db)
        store.sync_bank(bank)
        member, _ = store.new_respondent(bank.id)
        began = time.monotonic()
        proc = start_import(db, src)
        wait_until_staging(store, proc, deadline_s=600)
        waits = []
        while proc.poll() is None:
            started = time.monotonic()
            store.save_answer(member.id, Q, f"typing, version {len(waits)}")
            waits.append(time.monotonic() - started)
        _, err = proc.communicate()
        took = time.monotonic() - began
        assert proc.returncode == 0, err
        waits.sort()
        print(f"rows {rows:,}: import {took:.1f} s; {len(waits):,} saves during it; "
              f"median {statistics.median(waits) * 1000:.1f} ms, "
              f"p99 {waits[int(len(waits) * 0.99)] * 1000:.0f} ms, max {waits[-1] * 1000:.0f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)

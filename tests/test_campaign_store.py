"""Campaigns against the store: many writers, kill -9 at random moments, a full disk.

Each takes a few seconds; figures from longer runs are in docs/reliability.md.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from consult.store import Store, StoreError

Q = "police.engagement"
WRITERS = 20
SAVES_PER_WRITER = 25
READERS = 3
KILL_ROUNDS = 10
SEED = 11


def _writer(path: str, rid: str, saves: int, failures) -> None:
    store = Store(path)
    for i in range(saves):
        try:
            store.save_answer(rid, Q, f"{rid} version {i}")
            store.save_position(rid, f"question:{Q}:{i}")
        except Exception as exc:  # any failure is the finding
            failures.put(f"{rid}: {exc!r}")


def _reader(path: str, bank_id: str, stop, failures) -> None:
    store = Store(path)
    while not stop.is_set():
        try:
            store.answers_to(Q, consultation_id=bank_id)
            store.respondents(bank_id)
        except Exception as exc:
            failures.put(f"reader: {exc!r}")


@pytest.mark.slow
def test_twenty_writers_and_readers_on_one_database(tmp_path, bank):
    path = str(tmp_path / "r.db")
    store = Store(path)
    store.sync_bank(bank)
    ids = [store.new_respondent(bank.id)[0].id for _ in range(WRITERS)]
    failures, stop = multiprocessing.Queue(), multiprocessing.Event()
    readers = [multiprocessing.Process(target=_reader, args=(path, bank.id, stop, failures))
               for _ in range(READERS)]
    writers = [multiprocessing.Process(target=_writer, args=(path, rid, SAVES_PER_WRITER, failures))
               for rid in ids]
    for p in readers + writers:
        p.start()
    for p in writers:
        p.join(180)
    stop.set()
    for p in readers:
        p.join(30)
    found = []
    while not failures.empty():
        found.append(failures.get())
    assert found == []
    assert all(p.exitcode == 0 for p in writers + readers)
    for rid in ids:
        assert store.answers(rid) == {Q: f"{rid} version {SAVES_PER_WRITER - 1}"}
        assert len(store.revisions(rid, Q)) == SAVES_PER_WRITER
    assert store.scalar("PRAGMA integrity_check") == "ok"


SAVER = """
import sys
from consult.store import Store
store = Store(sys.argv[1])
rid = sys.argv[2]
i = int(sys.argv[3])
while True:
    text = f"round answer {i} " + "x" * (i % 500)
    store.save_answer(rid, "police.engagement", text)
    print(i, flush=True)  # acknowledged: save_answer has returned
    i += 1
"""


@pytest.mark.slow
def test_kill_9_at_random_moments_loses_no_returned_save(tmp_path, bank):
    path = tmp_path / "r.db"
    store = Store(path)
    store.sync_bank(bank)
    rid = store.new_respondent(bank.id)[0].id
    store.close()
    rng = random.Random(SEED)
    acknowledged: list[int] = []
    next_i = 0
    for _ in range(KILL_ROUNDS):
        proc = subprocess.Popen([sys.executable, "-c", SAVER, str(path), rid, str(next_i)],
                                stdout=subprocess.PIPE, text=True)
        first = proc.stdout.readline()  # it is saving: now kill it at a random moment
        assert first.strip(), "the saver never saved"
        acknowledged.append(int(first))
        deadline = time.monotonic() + rng.uniform(0.01, 0.3)
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if line.strip():
                acknowledged.append(int(line))
        os.kill(proc.pid, signal.SIGKILL)
        for line in proc.stdout:  # printed before the kill landed
            if line.strip():
                acknowledged.append(int(line))
        proc.wait()
        after = Store(path)
        assert after.scalar("PRAGMA integrity_check") == "ok"
        kept = set(after.revisions(rid, Q))
        missing = [i for i in acknowledged if f"round answer {i} " + "x" * (i % 500) not in kept]
        assert missing == []
        next_i = acknowledged[-1] + 1000  # a fresh range each round
        after.close()
    assert len(acknowledged) >= KILL_ROUNDS


# ---------------------------------------------------------------------- disk full
@contextlib.contextmanager
def small_disk(where: Path, size_kb: int):
    """A tmpfs of ``size_kb`` mounted at ``where`` (root only, as CI runs)."""
    where.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root (CI runs as root)")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(where)],
                          capture_output=True, text=True)
    if done.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def _consult(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "consult", *args], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "CONSULT_DB": ""})


@pytest.mark.slow
def test_a_full_disk_is_one_line_and_loses_nothing(tmp_path, bank):
    with small_disk(tmp_path / "disk", 1024) as disk:
        db = disk / "r.db"
        store = Store(db)
        store.sync_bank(bank)
        member, _ = store.new_respondent(bank.id)
        store.save_answer(member.id, Q, "Saved before the disk filled")
        big = tmp_path / "big.csv"
        with big.open("w") as f:
            f.write("respondent,question,answer\n")
            for i in range(3000):
                f.write(f"imp{i},{Q},{'a long answer that fills the disk ' * 20}\n")
        done = _consult("import", str(big), "--db", str(db))
        assert done.returncode == 2, done.stderr
        assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
        assert "full" in done.stderr
        after = Store(db)
        assert after.scalar("PRAGMA integrity_check") == "ok"
        assert [r.id for r in after.respondents(bank.id)] == [member.id]
        assert after.answers(member.id) == {Q: "Saved before the disk filled"}
        # fill what is left, then ask for an export onto the full disk: no 0-byte file
        filler = disk / "filler"
        with contextlib.suppress(OSError), filler.open("wb") as f:
            while True:
                f.write(b"\0" * 65536)
        done = _consult("export", "--db", str(db), "--out", str(disk / "out.csv"))
        assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
        assert not (disk / "out.csv").exists()
        assert not [p for p in disk.iterdir() if p.name.startswith(".out.csv")]
        # and a member's save on the full disk is refused with a retryable error, not lost silently
        try:
            after.save_answer(member.id, Q, "Typed while the disk was full")
        except StoreError as exc:
            assert exc.retryable and "full" in str(exc)
        else:
            assert after.answers(member.id)[Q] == "Typed while the disk was full"
        after.close()
        store.close()

"""`consult serve` under load: concurrent browser sessions, save latency and memory per session.

    .venv/bin/python benchmarks/serve_sessions.py [--levels 5,10,20,30,40] [--chars 60]

Starts the real `consult serve` on loopback, then for each level N opens N sessions at once as a
browser does (textual-serve's websocket: terminal bytes out, ``["stdin", ...]`` in). Each session
resumes its own response with its code (opening at a free-text question), then all N members
type an answer at the same time, a few characters every 0.2 s, like people typing. We time each
answer from its last keystroke until the database holds it in full (a poll of the SQLite file,
every 20 ms), and sum the resident memory of the server's session processes near the end.
Prints a Markdown table for the "Serve" section of benchmarks/README.md; a level passes when
the slowest answer (and the 95th percentile) is saved within ``TARGET_S``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from consult.questions import bank_folder, load_bank  # noqa: E402
from consult.store import Store  # noqa: E402

BANK = bank_folder() / "example-payment-by-results.toml"
QUESTION = "experience.measurement"
# The brief's target: an answer typed in the browser is in the database within one second.
TARGET_S = 1.0
# A typist: this many characters per message, one message every TYPE_INTERVAL_S.
CHUNK = 3
TYPE_INTERVAL_S = 0.2
# Starting N Python processes at once on 2 shared cores takes a while; beyond this, a failure.
READY_TIMEOUT_S = 240
SAVE_TIMEOUT_S = 30
# A code sent before a session's app listened is sent again after this long.
RESEND_S = 15


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        try:
            children = Path(f"/proc/{p}/task/{p}/children").read_text().split()
        except OSError:
            continue
        for c in map(int, children):
            out.append(c)
            todo.append(c)
    return out


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class Session:
    """One browser tab, as textual-serve's page speaks to the server."""

    def __init__(self, http: aiohttp.ClientSession, url: str, code: str, text: str):
        self.http, self.url, self.code, self.text = http, url, code, text
        self.received = 0
        self.ws: aiohttp.ClientWebSocketResponse | None = None

    async def open(self) -> None:
        self.ws = await self.http.ws_connect(f"{self.url}ws?width=100&height=30", max_msg_size=0)
        asyncio.get_running_loop().create_task(self._drain())

    async def _drain(self) -> None:
        async for message in self.ws:
            if message.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT):
                self.received += len(message.data)

    async def send(self, data: str) -> None:
        await self.ws.send_str(json.dumps(["stdin", data]))

    async def type(self) -> float:
        """Type the answer like a person; the time of the last keystroke."""
        for i in range(0, len(self.text), CHUNK):
            await self.send(self.text[i:i + CHUNK])
            await asyncio.sleep(TYPE_INTERVAL_S)
        return time.monotonic() - TYPE_INTERVAL_S


def _prepare(db: Path, n: int, offset: int) -> list[tuple[str, str]]:
    """``n`` responses waiting at the free-text question: ``(respondent id, code)``."""
    bank = load_bank(BANK)
    # Written with a clock in 2010: the app's first write on resuming shows in updated_at.
    store = Store(db, clock=lambda: datetime(2010, 9, 1, tzinfo=UTC))
    store.sync_bank(bank)
    out = []
    for i in range(n):
        digits = f"{offset + i:04d}".translate(str.maketrans("0123456789", "ABCDEFGHJK"))
        code = f"QQ{digits[:2]}-{digits[2:]}ZZ"
        respondent, code = store.new_respondent(bank.id, code=code)
        store.save_position(respondent.id, f"question:{QUESTION}")
        out.append((respondent.id, code))
    store.close()
    return out


def _positions(db: Path, ids: list[str]) -> dict[str, str]:
    store = Store(db)
    try:
        return {rid: store.respondent(rid).updated_at for rid in ids}
    finally:
        store.close()


def _answers(db: Path, ids: list[str]) -> dict[str, str]:
    store = Store(db)
    try:
        return {rid: store.answers(rid).get(QUESTION, "") for rid in ids}
    finally:
        store.close()


async def _level(url: str, db: Path, server_pid: int, n: int, offset: int, chars: int) -> dict:
    people = _prepare(db, n, offset)
    ids = [rid for rid, _ in people]
    before = _positions(db, ids)
    texts = {rid: (f"Member {offset + i} would count the small steps. " * 10)[:chars]
             for i, (rid, _) in enumerate(people)}
    async with aiohttp.ClientSession() as http:
        sessions = [Session(http, url, code, texts[rid]) for rid, code in people]
        started = time.monotonic()
        await asyncio.gather(*(s.open() for s in sessions))
        # Each app has drawn its welcome screen once it has sent a screenful.
        while any(s.received < 2000 for s in sessions):
            if time.monotonic() - started > READY_TIMEOUT_S:
                raise RuntimeError(f"{n} sessions: not all apps started within {READY_TIMEOUT_S} s")
            await asyncio.sleep(0.1)
        ready_s = time.monotonic() - started
        sent: dict[str, float] = {}
        while True:  # every response open at its question (the app records where it is)
            now = _positions(db, ids)
            if all(now[rid] != before[rid] for rid in ids):
                break
            for rid, s in zip(ids, sessions, strict=True):
                # Ctrl+L, Ctrl+U (clear the field), the code, Enter; again if an app was not yet
                # listening when it arrived
                if now[rid] == before[rid] and time.monotonic() - sent.get(rid, 0) > RESEND_S:
                    await s.send("\x0c\x15" + s.code + "\r")
                    sent[rid] = time.monotonic()
            if time.monotonic() - started > READY_TIMEOUT_S:
                raise RuntimeError(f"{n} sessions: not all resumed within {READY_TIMEOUT_S} s")
            await asyncio.sleep(0.1)
        resumed_s = time.monotonic() - started
        last_keys = dict(zip(ids, await asyncio.gather(*(s.type() for s in sessions)), strict=True))
        saved: dict[str, float] = {}
        while len(saved) < n:
            answers = _answers(db, ids)
            moment = time.monotonic()
            for rid in ids:
                if rid not in saved and answers[rid] == texts[rid]:
                    saved[rid] = moment - last_keys[rid]
            if moment - max(last_keys.values()) > SAVE_TIMEOUT_S:
                break
            await asyncio.sleep(0.02)
        children = _descendants(server_pid)
        memory = sum(_rss_mb(p) for p in children)
        for s in sessions:
            await s.ws.close()
    latencies = sorted(saved.values())
    lost = n - len(latencies)
    p95 = latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))] if latencies else float("inf")
    return {"n": n, "ready_s": ready_s, "resumed_s": resumed_s, "median": statistics.median(latencies) if latencies else float("inf"),
            "p95": p95, "max": latencies[-1] if latencies else float("inf"), "lost": lost,
            "memory_mb": memory, "per_session_mb": memory / n, "server_mb": _rss_mb(server_pid),
            "load": os.getloadavg()[0],
            "ok": lost == 0 and p95 <= TARGET_S and latencies[-1] <= TARGET_S}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", default="5,10,20,30,40", help="comma-separated session counts")
    parser.add_argument("--chars", type=int, default=60, help="characters each member types")
    parser.add_argument("--keep-going", action="store_true", help="go on past a level that fails")
    args = parser.parse_args()
    levels = [int(x) for x in args.levels.split(",")]
    folder = Path(tempfile.mkdtemp(prefix="consult-serve-bench-"))
    db = folder / "serve.db"
    Store(db).sync_bank(load_bank(BANK))
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "consult", "serve", "--db", str(db), "--bank", str(BANK),
                               "--port", str(port), "--max-sessions", str(max(levels))],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    rows = []
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        offset = 0
        for n in levels:
            try:
                row = asyncio.run(_level(url, db, server.pid, n, offset, args.chars))
            except RuntimeError as exc:  # sessions that never became ready: a failed level
                print(f"| {n} | {exc} |", flush=True)
                break
            offset += n
            rows.append(row)
            print(f"{n} sessions: {row}", file=sys.stderr, flush=True)
            # wait for the sessions' processes to end before the next level
            deadline = time.monotonic() + 60
            while _descendants(server.pid) and time.monotonic() < deadline:
                time.sleep(0.2)
            if not row["ok"] and not args.keep_going:
                break
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    print(f"\n`consult serve`, {os.cpu_count()} cores, {args.chars} characters typed per member "
          f"({CHUNK} every {TYPE_INTERVAL_S} s), all members typing at once:\n")
    print("| sessions | all started | all resumed | save latency median / p95 / max | lost | "
          "memory of sessions | per session | load (1 min) | within 1 s |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for r in rows:
        print(f"| {r['n']} | {r['ready_s']:.1f} s | {r['resumed_s']:.1f} s | {r['median']:.2f} / "
              f"{r['p95']:.2f} / {r['max']:.2f} s | {r['lost']} | {r['memory_mb']:.0f} MB | "
              f"{r['per_session_mb']:.0f} MB | {r['load']:.1f} | {'yes' if r['ok'] else 'no'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

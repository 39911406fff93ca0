"""A real `consult answer` in a terminal, killed with SIGKILL a moment after typing."""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import struct
import sys
import termios
import threading
import time
from pathlib import Path

import pytest

from .helpers import bank, new_store

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")


def _command(db: Path) -> list[str]:
    script = shutil.which("consult", path=str(Path(sys.executable).parent))
    if script:
        return [script, "answer", "--db", str(db)]
    return [sys.executable, "-c", "from consult.cli import main; main()", "answer", "--db", str(db)]


def _poll(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def test_sigkill_after_typing_keeps_the_autosaved_answer(tmp_path):
    db = tmp_path / "responses.db"
    the_bank = bank()
    store = new_store(db, the_bank)  # create it first so the test can watch it
    argv = _command(db)
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"}
    env.pop("TEXTUAL", None)

    pid, master = os.forkpty()
    if pid == 0:  # the child: a terminal of 80x24, then the real command
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        os.chdir(tmp_path)
        os.execve(argv[0], argv, env)

    screen = bytearray()

    def drain() -> None:  # keep reading so the app never blocks writing to the terminal
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:
                return
            if not data:
                return
            screen.extend(data)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        _poll(lambda: b"Start a new response" in screen, 20, "the welcome screen")
        os.write(master, b"\r")  # Enter on "Start a new response"
        _poll(lambda: len(store.respondents(the_bank.id)) == 1, 10, "a new response")
        [respondent] = store.respondents(the_bank.id)
        os.write(master, b"\x1b[6~")  # PageDown: profile -> first section
        _poll(lambda: store.respondent(respondent.id).position == "section:localism", 10,
              "the first section")
        time.sleep(0.3)
        os.write(master, b"Kill me")
        time.sleep(1.5)
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    finally:
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(master)

    fresh = new_store(db, the_bank)
    assert fresh.answers(respondent.id) == {"localism.prime-sub-contracting": "Kill me"}

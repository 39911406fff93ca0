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
from contextlib import contextmanager
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


class Terminal:
    """A real command in an 80x24 pty: what it drew so far, keys to send, its exit status."""

    def __init__(self, pid: int, master: int) -> None:
        self.pid, self.master = pid, master
        self.screen = bytearray()
        self.status: int | None = None
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    def _drain(self) -> None:  # keep reading so the app never blocks writing to the terminal
        while True:
            try:
                data = os.read(self.master, 65536)
            except OSError:
                return
            if not data:
                return
            self.screen.extend(data)

    def write(self, data: bytes) -> None:
        os.write(self.master, data)

    def wait(self, timeout: float) -> int:
        """The exit status once the command has ended by itself (fails after ``timeout``)."""
        def ended() -> bool:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = os.waitstatus_to_exitcode(status)
            return pid != 0

        _poll(ended, timeout, "the command to end")
        self._reader.join(timeout)  # everything it printed on the way out
        return self.status


@contextmanager
def run_in_pty(argv: list[str], cwd: Path):
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"}
    env.pop("TEXTUAL", None)
    pid, master = os.forkpty()
    if pid == 0:  # the child: a terminal of 80x24, then the real command
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        os.chdir(cwd)
        os.execve(argv[0], argv, env)
    term = Terminal(pid, master)
    try:
        yield term
    finally:
        if term.status is None:
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
        os.close(master)


def test_sigkill_after_typing_keeps_the_autosaved_answer(tmp_path):
    db = tmp_path / "responses.db"
    the_bank = bank()
    store = new_store(db, the_bank)  # create it first so the test can watch it
    with run_in_pty(_command(db), tmp_path) as term:
        _poll(lambda: b"Start a new response" in term.screen, 20, "the welcome screen")
        term.write(b"\r")  # Enter on "Start a new response"
        _poll(lambda: len(store.respondents(the_bank.id)) == 1, 10, "a new response")
        [respondent] = store.respondents(the_bank.id)
        term.write(b"\x1b[6~")  # PageDown: profile -> first section
        _poll(lambda: store.respondent(respondent.id).position == "section:localism", 10,
              "the first section")
        term.write(b"Kill me")
        # Killed as soon as the autosave has written it (within about a second of typing).
        _poll(lambda: store.answers(respondent.id), 10, "the autosave")
        os.kill(term.pid, signal.SIGKILL)
        _, status = os.waitpid(term.pid, 0)
        term.status = -9
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL

    fresh = new_store(db, the_bank)
    assert fresh.answers(respondent.id) == {"localism.prime-sub-contracting": "Kill me"}

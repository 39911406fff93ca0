"""`consult serve` for real: the server on loopback, headless chromium answering through it, the
answer found in the database. A screenshot of the browser is kept in tests/artefacts/."""

from __future__ import annotations

import os
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import pytest

from consult.questions import bank_folder, load_bank
from consult.serve import is_loopback, served_command
from consult.store import Store
from tests.cdp import Browser, find_chromium, wait_for
from tests.conftest import FixedClock

EXAMPLE = bank_folder() / "example-payment-by-results.toml"
ARTEFACTS = Path(__file__).parent / "artefacts"
CODE = "KX7P-3QMD"
ANSWER = "Counted in the browser: steps [b]taken[/b]"
# Starting the server, chromium and one Python process per tab on a loaded 2-core machine.
SERVE_TIMEOUT_S = 90
# Ctrl+O is pressed again if the first press came before the app listened: not more often than this.
PRESS_AGAIN_S = 5
# Drawn once the welcome screen (and so its keys) is up in a tab.
WELCOME = "Resume with a code"

needs_chromium = pytest.mark.skipif(find_chromium() is None and not os.environ.get("CI"),
                                    reason="chromium is not installed (CI installs it)")


def test_the_served_command_is_fixed_and_answers_only(tmp_path):
    bank = load_bank(EXAMPLE)
    args = shlex.split(served_command(tmp_path / "x.db", bank))
    assert args[:4] == [sys.executable, "-m", "consult", "answer"]
    assert args[4:] == ["--db", str((tmp_path / "x.db").resolve()), "--bank", str(EXAMPLE.resolve())]
    tricky = tmp_path / "it's a; rm -rf ~"
    assert shlex.split(served_command(tricky / "r.db", bank))[5] == str((tricky / "r.db").resolve())
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.10")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    """`consult serve` on a free loopback port, with one response waiting to be resumed."""
    db = tmp_path / "served.db"
    bank = load_bank(EXAMPLE)
    # Written with a clock in 2010, so that any write by the served app shows in updated_at.
    store = Store(db, clock=FixedClock(datetime(2010, 9, 1, tzinfo=UTC)))
    store.sync_bank(bank)
    waiting, _ = store.new_respondent(bank.id, code=CODE)
    store.save_position(waiting.id, "question:experience.measurement")
    store.close()
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "consult", "serve", "--db", str(db), "--bank", str(EXAMPLE),
                             "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)  # its own group: the sessions' processes end with it
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_for(lambda: urllib.request.urlopen(url, timeout=5).status == 200, "consult serve to answer",
                 SERVE_TIMEOUT_S)
        yield url, db, waiting.id
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def _respondents(db: Path) -> dict[str, tuple[str, dict[str, str]]]:
    store = Store(db)
    try:
        return {r.id: (r.updated_at, store.answers(r.id)) for r in store.respondents(load_bank(EXAMPLE).id)}
    finally:
        store.close()


@needs_chromium
@pytest.mark.slow
def test_members_answer_in_a_browser_each_tab_its_own_session(server):
    url, db, waiting = server
    page = urllib.request.urlopen(url, timeout=10).read().decode()
    assert "googleapis" not in page and "https://" not in page    # nothing fetched from elsewhere
    ARTEFACTS.mkdir(exist_ok=True)
    browser = Browser()
    try:
        # Tab 1: a new member starts a response; it is a new respondent of its own.
        first = browser.new_page()
        first.open(url)
        wait_for(lambda: WELCOME in first.terminal_text(), "the welcome screen in tab 1", SERVE_TIMEOUT_S)

        first.focus_terminal()
        pressed = [0.0]

        def started() -> bool:
            if len(_respondents(db)) > 1:
                return True
            if time.monotonic() - pressed[0] > PRESS_AGAIN_S:  # Start, again only if nothing happened
                first.press("o", ctrl=True)
                pressed[0] = time.monotonic()
            return False

        wait_for(started, "Ctrl+O in tab 1 to start a new response", SERVE_TIMEOUT_S)

        # Tab 2, at the same time: another member resumes with their code and answers.
        second = browser.new_page()
        second.open(url)
        # Keys sent before the welcome screen is up would be lost: wait until it is drawn.
        wait_for(lambda: WELCOME in second.terminal_text(), "the welcome screen in tab 2", SERVE_TIMEOUT_S)
        before = _respondents(db)[waiting][0]
        second.focus_terminal()
        second.press("l", ctrl=True)
        second.type(CODE)
        second.press("Enter")
        wait_for(lambda: _respondents(db)[waiting][0] != before,
                 "the resumed response to open at its question", SERVE_TIMEOUT_S)
        second.type(ANSWER)
        wait_for(lambda: _respondents(db)[waiting][1].get("experience.measurement") == ANSWER,
                 "the answer typed in the browser to be saved", SERVE_TIMEOUT_S)
        second.screenshot(ARTEFACTS / "serve-answer.png")
    finally:
        browser.close()
    everyone = _respondents(db)
    assert len(everyone) == 2                                   # one respondent per session
    new = next(rid for rid in everyone if rid != waiting)
    assert everyone[new][1] == {}                               # nothing of the other member's
    assert (ARTEFACTS / "serve-answer.png").stat().st_size > 10_000


async def test_served_save_copy_is_downloaded_never_written_on_the_server(tmp_path, monkeypatch):
    """In a browser the receipt's path would name a file on the server: the copy is sent to the
    browser instead, and nothing is written there."""
    from textual.app import App
    from textual.widgets import Input

    from consult.tui.answer.review import ReviewScreen
    from consult.tui.answer.section import SectionScreen
    from consult.tui.answer.submit import ConfirmSubmitScreen, ReceiptScreen
    from tests.tui_answer.helpers import SIZE, make_app, start_response, type_text
    from tests.tui_answer.helpers import wait_for as app_wait

    delivered = []
    monkeypatch.setattr(App, "is_web", property(lambda self: True))
    monkeypatch.setattr(App, "deliver_text", lambda self, f, **kw: delivered.append((f.read(), kw)))
    app = make_app(tmp_path / "r.db")
    async with app.run_test(size=SIZE) as pilot:
        await start_response(pilot)
        await type_text(pilot, "Ace")
        await pilot.press("pagedown")
        await app_wait(pilot, lambda: isinstance(app.screen, SectionScreen))
        await pilot.press("ctrl+r")
        await app_wait(pilot, lambda: isinstance(app.screen, ReviewScreen))
        await pilot.press("ctrl+t")
        await app_wait(pilot, lambda: isinstance(app.screen, ConfirmSubmitScreen))
        await pilot.press("enter")
        await app_wait(pilot, lambda: isinstance(app.screen, ReceiptScreen))
        field = app.screen.query_one("#export-path", Input)
        target = tmp_path / "on-the-server.md"
        field.value = str(target)
        field.focus()
        await pilot.press("enter")
        await app_wait(pilot, lambda: bool(delivered))
    assert not target.exists()
    text, options = delivered[0]
    assert "Name of your organisation: Ace" in text
    assert options["save_filename"] == "on-the-server.md" and options["mime_type"] == "text/markdown"

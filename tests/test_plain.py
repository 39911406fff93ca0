"""`consult answer --plain`, driven through standard input as a screen-reader user would type."""

from __future__ import annotations

import io
import os
import re
import shlex
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rich.console import Console

from consult.plain import run_plain
from consult.questions import bank_folder, load_bank
from consult.store import Store

EXAMPLE = bank_folder() / "example-payment-by-results.toml"
CODE = "KX7P-3QMD"
HOSTILE = "We count [bold]steps[/bold] [@click=app.quit]x[/] \x1b]0;pwned\x07 taken"
# Bounded waits on the real process: generous for a loaded 2-core machine, never a fixed sleep.
PROCESS_TIMEOUT_S = 60


@pytest.fixture
def example():
    return load_bank(EXAMPLE)


def _session(store: Store, bank, lines: list[str]) -> str:
    out = io.StringIO()
    console = Console(file=out, markup=False, highlight=False, emoji=False, width=80)
    status = run_plain(store, bank, stdin=io.StringIO("".join(f"{line}\n" for line in lines)),
                       console=console, code_factory=lambda: CODE)
    assert status == 0
    return out.getvalue()


PROFILE = ["Acme Trust", "2", "1 3", "", "yes", "no", "yes"]


def test_a_whole_response_by_typing_lines(tmp_path, example):
    store = Store(tmp_path / "r.db")
    store.sync_bank(example)
    out = _session(store, example, ["n", *PROFILE,
                                    ":skip",                  # Q1 is required: skipped for now
                                    "1, 3",                   # Q2 multi
                                    HOSTILE, "second line", "",   # Q3 text, two lines
                                    "9", "4",                 # Q4 scale: 9 refused, then 4
                                    "2", "",                  # Q5; Q6 left empty
                                    ":review", ":submit",     # at Q7: review, then submit
                                    "2"])                     # asked the missing Q1
    respondent = store.respondents(example.id)[0]
    assert respondent.submitted
    assert respondent.profile == {"org_name": "Acme Trust", "org_size": "£100,000 to £1 million",
                                  "areas": ["Accommodation", "Women"]}
    assert respondent.consent == {"quote": True, "name": False, "contact": True}
    assert store.answers(respondent.id) == {
        "experience.contracts": "Yes, as a sub-contractor",
        "experience.outcomes": "Reduced reoffending\nEmployment or training",
        "experience.measurement": HOSTILE + "\nsecond line",      # stored exactly as typed
        "risk.cash-flow": "4", "risk.support": "Yes, with changes"}
    # Welcome, privacy, commands, each section's context; the code at the start and the end.
    assert "How your answers are kept" in out and ":review" in out and ":back" in out
    assert example.sections[1].context.split()[0] in out
    assert out.count(CODE) >= 2 and out.rstrip().endswith("confirm any change.")
    assert "Not submitted yet: these are required." in out and "Please type a whole number from 1 to 5" in out
    # Respondent text shown as typed characters, never as markup, and no escape sequence.
    assert "[bold]steps[/bold]" in out and "\x1b" not in out and "\x07" not in out


def test_quit_and_resume_with_the_code(tmp_path, example):
    store = Store(tmp_path / "r.db")
    store.sync_bank(example)
    out = _session(store, example, ["n", *PROFILE, "1", ":quit"])
    assert "Everything you typed is saved." in out and f"Your resume code is {CODE}" in out[-200:]
    rid = store.respondents(example.id)[0].id
    assert store.answers(rid) == {"experience.contracts": "Yes, as the main provider"}

    out = _session(store, example, ["NOPE-NOPE", CODE.lower(),    # a wrong code, then the right one
                                    ":back", "", "",              # back to Q1; Enter keeps Q1, Q2
                                    "Outcomes over two years", "", ":review", ":quit"])
    assert "No response has that code" in out and "Welcome back" in out
    assert "[x] Yes, as the main provider" in out                  # the choice so far, as text
    answers = store.answers(rid)
    assert answers["experience.contracts"] == "Yes, as the main provider"
    assert answers["experience.measurement"] == "Outcomes over two years"
    assert "Question 3. How could" in out and "  Outcomes over two years" in out   # the review
    assert store.respondent(rid).status == "draft"


def test_end_of_input_leaves_with_everything_saved(tmp_path, example):
    store = Store(tmp_path / "r.db")
    store.sync_bank(example)
    out = _session(store, example, ["n", *PROFILE, "3", "", "Half an", "answer"])  # ends mid-answer
    rid = store.respondents(example.id)[0].id
    assert store.answers(rid) == {"experience.contracts": "No, but we have bid for one",
                                  "experience.measurement": "Half an\nanswer"}
    assert CODE in out[-200:]


def _wait_for(predicate, what: str):
    deadline = time.monotonic() + PROCESS_TIMEOUT_S
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def test_the_real_command_through_a_pipe_saves_each_answer_as_it_is_entered(tmp_path):
    db = tmp_path / "pipe.db"
    env = {**os.environ, "TERM": "dumb", "CONSULT_DB": str(db)}
    proc = subprocess.Popen([sys.executable, "-m", "consult", "answer", "--plain", "--bank", str(EXAMPLE)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)
    try:
        proc.stdin.write("\n".join(["n", *PROFILE, "4"]) + "\n")
        proc.stdin.flush()

        def saved() -> bool:
            if not db.exists():
                return False
            store = Store(db)
            try:
                rows = store.respondents("example-payment-by-results")
                return bool(rows) and store.answers(rows[0].id).get("experience.contracts") == "No"
            finally:
                store.close()

        _wait_for(saved, "the first answer to be saved while the command waits for the next")
        assert proc.poll() is None                       # still running: saved before the end
        out, err = proc.communicate(":quit\n", timeout=PROCESS_TIMEOUT_S)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "Your resume code is" in out and "\x1b[" not in out
    assert Path(db).exists()
    # The way back names the bank it was started with (the database came from CONSULT_DB).
    again = re.search(r"To come back, run (.+?) and type the code", " ".join(out.split())).group(1)
    assert shlex.split(again) == ["consult", "answer", "--plain", "--db", str(db), "--bank", str(EXAMPLE)]

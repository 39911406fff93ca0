"""Shared helpers for the answering app's tests."""

from __future__ import annotations

import asyncio
import itertools
import time
from datetime import datetime
from pathlib import Path

from consult.questions import Bank, default_bank_path, load_bank
from consult.store import Store
from consult.tui.answer.app import AnswerApp, make_answer_app
from consult.tui.answer.profile import ProfileScreen
from consult.tui.answer.section import SectionScreen
from consult.tui.answer.welcome import WelcomeScreen
from tests.screen import screen_text, toasts

FIXED_TIME = datetime(2025, 3, 14, 14, 32, 5)
CODES = ("KX7P-3QMD", "HT4W-9RZB", "MN8C-2VJE", "QW3E-RT5Y")


def bank() -> Bank:
    return load_bank(default_bank_path())


def new_store(path: Path, the_bank: Bank | None = None) -> Store:
    store = Store(path)
    store.sync_bank(the_bank or bank())
    return store


def make_app(db: Path, *, codes=CODES) -> AnswerApp:
    """The app as the CLI builds it, on ``db``, with a fixed clock and known codes."""
    the_bank = bank()
    counter = itertools.cycle(codes)
    return make_answer_app(new_store(db, the_bank), the_bank, clock=lambda: FIXED_TIME,
                           code_factory=lambda: next(counter))


def screen_raw(app) -> str:
    """Every character drawn on the current screen, controls included (none should be)."""
    return screen_text(app)


async def wait_for(pilot, condition, timeout: float = 5.0) -> None:
    """Poll ``condition`` while the app runs; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout}s")
        await pilot.pause(0.05)


async def type_text(pilot, text: str) -> None:
    """Type ``text`` key by key (spaces and punctuation included)."""
    names = {" ": "space", "\n": "enter", ".": "full_stop", ",": "comma", "-": "minus",
             "@": "at"}
    await pilot.press(*[names.get(ch, ch) for ch in text])


SIZE = (80, 24)


async def start_response(pilot) -> None:
    """Welcome → Start (Enter on the focused button) → profile."""
    assert isinstance(pilot.app.screen, WelcomeScreen)
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ProfileScreen))


async def open_first_section(pilot) -> None:
    """Start a response and move from the profile to the first section of questions."""
    await start_response(pilot)
    await pilot.press("pagedown")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, SectionScreen))


async def open_first_question(pilot) -> None:
    """Start a response, open the first section (at its context), Tab to the first editor."""
    from textual.widgets import TextArea

    await open_first_section(pilot)
    await pilot.press("tab")
    await wait_for(pilot, lambda: isinstance(pilot.app.focused, TextArea))


__all__ = ["asyncio", "screen_text", "toasts"]

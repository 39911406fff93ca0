"""Snapshots of the answering app at 80x24 (fixed clock, known codes, no blinking, no animation).

Regenerate only after looking at the report: ``pytest tests/tui_answer/test_snapshots.py
--snapshot-update``.
"""

from __future__ import annotations

from consult.tui.answer.review import ReviewScreen
from consult.tui.answer.section import SectionScreen

from .helpers import make_app, type_text, wait_for

SIZE = (80, 24)


async def _to_section(pilot) -> None:
    await pilot.press("enter")  # Start a new response
    await pilot.press("pagedown")  # profile -> first section
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, SectionScreen))
    await type_text(pilot, "Six of us.")
    pilot.app.screen.flush_answers()
    pilot.app.clear_notifications()
    await pilot.pause()


async def _to_review(pilot) -> None:
    await _to_section(pilot)
    await pilot.press("ctrl+r")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ReviewScreen))
    await pilot.pause()


def test_welcome_screen(snap_compare, tmp_path):
    assert snap_compare(make_app(tmp_path / "r.db"), terminal_size=SIZE)


def test_section_screen(snap_compare, tmp_path):
    assert snap_compare(make_app(tmp_path / "r.db"), terminal_size=SIZE, run_before=_to_section)


def test_review_screen(snap_compare, tmp_path):
    assert snap_compare(make_app(tmp_path / "r.db"), terminal_size=SIZE, run_before=_to_review)

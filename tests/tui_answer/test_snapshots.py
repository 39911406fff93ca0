"""Snapshots of the answering app at 80x24 (fixed clock, known codes, no blinking, no animation).

Regenerate only after looking at the report: ``pytest tests/tui_answer/test_snapshots.py
--snapshot-update``.
"""

from __future__ import annotations

from consult.tui.answer.review import ReviewScreen
from consult.tui.answer.section import SectionScreen

from .helpers import make_app, type_text, wait_for
from .test_choices import mixed_app

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


async def _to_mixed_choice(pilot) -> None:
    """The mixed bank's first section: a text answer, then a choice picked (the second option)."""
    await pilot.press("enter")  # Start a new response
    await pilot.press("pagedown")  # profile -> first section
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, SectionScreen))
    await type_text(pilot, "More money")
    await pilot.press("tab", "down", "enter")  # Q2: "No"
    await wait_for(pilot, lambda: pilot.app.answers.get("views.support") == "No")
    pilot.app.clear_notifications()
    await pilot.pause()


async def _to_mixed_multi_scale(pilot) -> None:
    """The mixed bank's second section: two of three options ticked, 4 on the scale."""
    await _to_mixed_choice(pilot)
    await pilot.press("pagedown")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, SectionScreen)
                   and pilot.app.screen.section.id == "detail")
    await pilot.press("tab", "space", "down", "down", "enter")  # Housing, Mentoring
    await pilot.press("tab", "right", "right", "right", "space")  # 4
    await wait_for(pilot, lambda: pilot.app.answers.get("detail.confidence") == "4")
    pilot.app.clear_notifications()
    await pilot.pause()


def test_mixed_choice_section(snap_compare, tmp_path):
    assert snap_compare(mixed_app(tmp_path / "r.db"), terminal_size=SIZE,
                        run_before=_to_mixed_choice)


def test_mixed_multi_and_scale_section(snap_compare, tmp_path):
    assert snap_compare(mixed_app(tmp_path / "r.db"), terminal_size=SIZE,
                        run_before=_to_mixed_multi_scale)

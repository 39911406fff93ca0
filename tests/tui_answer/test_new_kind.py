"""A new question kind is one class in consult/kinds.py: the answering app needs no change."""

from __future__ import annotations

from consult.kinds import KINDS, ScaleKind
from consult.questions import load_bank
from consult.store import Store
from consult.tui.answer.app import make_answer_app
from consult.tui.answer.review import ReviewScreen
from consult.tui.answer.section import SectionScreen

from .helpers import FIXED_TIME, SIZE, screen_text, wait_for
from .test_choices import MIXED, review_line


class StarsKind(ScaleKind):
    """A made-up kind for this test: a scale read as stars."""

    name = "stars"

    def pick_title(self, q) -> str:
        return f"how many stars, {q.scale_min} to {q.scale_max}"

    def in_words(self, q, values: list[str]) -> str:
        return f"{'★' * int(values[0])} ({values[0]} of {q.scale_max})" if values else ""


async def test_a_kind_added_in_kinds_is_asked_and_reviewed_by_the_app(tmp_path, monkeypatch):
    monkeypatch.setitem(KINDS, "stars", StarsKind())
    path = tmp_path / "stars.toml"
    path.write_text(MIXED.read_text().replace('kind = "scale"', 'kind = "stars"'))
    bank = load_bank(path)
    store = Store(tmp_path / "r.db")
    store.sync_bank(bank)
    app = make_answer_app(store, bank, clock=lambda: FIXED_TIME)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")  # start a response
        await pilot.press("pagedown", "pagedown")  # profile -> first section -> the second
        await wait_for(pilot, lambda: isinstance(app.screen, SectionScreen) and app.screen.section.id == "detail")
        await pilot.press("tab", "tab", "right", "right", "right", "space")  # the fourth number
        await wait_for(pilot, lambda: app.answers.get("detail.confidence") == "4")
        assert "Q4: how many stars, 1 to 5" in screen_text(app)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        assert review_line(app, "detail.confidence").endswith("★★★★ (4 of 5)")

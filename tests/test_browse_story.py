"""The curation story in the browser, by keys: rename, merge, add, move, split and delete (each
asking first where it says so), then three runs with new answers imported between them; every
decision holds after each run, and Ctrl+Z takes each step back exactly."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from textual.widgets import DataTable

from consult.cli import cli
from consult.codebook import question_coding
from consult.pipeline import run_analysis
from consult.questions import default_bank_path, load_bank
from consult.store import Store
from consult.tui.browse import make_browse_app
from consult.tui.browse.dialogs import ConfirmModal, InputModal, PickModal
from consult.tui.browse.themes import ThemesScreen
from tests.test_browse import wait_for

Q = "delivery.payment-by-results"
CID = "localising-justice"
USER = "clinks-staff"
pytestmark = pytest.mark.slow


@pytest.fixture
def demo(tmp_path):
    db = tmp_path / "demo.db"
    for args in (["demo"], ["analyse", "--question", Q, "-q"]):
        result = CliRunner().invoke(cli, [args[0], "--db", str(db), *args[1:]])
        assert result.exit_code == 0, result.output
    return Store(db)


def state(store) -> tuple:
    coding = question_coding(store, CID, Q)
    return (tuple((t.id, t.label, t.status, t.parent_id, t.respondents, t.primary) for t in coding.themes),
            coding.other, coding.non_answers)


async def highlight(pilot, screen: ThemesScreen, label: str) -> None:
    screen.query_one("#themes-table", DataTable).focus()
    index = next(i for i, e in enumerate(screen.entries) if e.label == label)
    await pilot.press("home", *["down"] * index)
    assert screen.entry().label == label


async def dialog(pilot, kind) -> None:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, kind))


async def back(pilot, screen) -> None:
    await wait_for(pilot, lambda: pilot.app.screen is screen)


async def curate(pilot, screen: ThemesScreen, store) -> list[tuple[str, tuple]]:
    """The story's steps by keys; returns (step, state before it)."""
    steps = []
    labels = {e.label for e in screen.entries}
    assert {"Cash flow", "Distance travelled", "Providers to cherry-pick", "Results in principle"} <= labels

    steps.append(("rename", state(store)))
    await highlight(pilot, screen, "Providers to cherry-pick")
    await pilot.press("r")
    await dialog(pilot, InputModal)
    await pilot.press(*"Cherry-picking", "enter")
    await back(pilot, screen)

    steps.append(("merge", state(store)))
    await highlight(pilot, screen, "Distance travelled")
    await pilot.press("m")
    await dialog(pilot, PickModal)
    await pilot.press(*"cash", "enter")
    await dialog(pilot, ConfirmModal)
    assert "The merged theme keeps ‘Cash flow’" in pilot.app.screen.message.plain
    await pilot.press("y")
    await back(pilot, screen)

    steps.append(("add", state(store)))
    await pilot.press("a")
    await dialog(pilot, InputModal)
    await pilot.press(*"Peterborough", "enter")
    await back(pilot, screen)

    steps.append(("move", state(store)))
    await highlight(pilot, screen, "Results in principle")
    await pilot.press("tab")
    await pilot.press("v")
    await dialog(pilot, PickModal)
    await pilot.press(*"peter", "enter")
    await back(pilot, screen)

    steps.append(("split", state(store)))
    await highlight(pilot, screen, "Cash flow")
    await pilot.press("tab", "space", "space", "s")
    await dialog(pilot, InputModal)
    await pilot.press(*"Late payment", "enter")
    await dialog(pilot, ConfirmModal)
    await pilot.press("y")
    await back(pilot, screen)

    steps.append(("delete", state(store)))
    await highlight(pilot, screen, "Results in principle")
    await pilot.press("delete")
    await dialog(pilot, ConfirmModal)
    assert "with no other theme go to Other" in pilot.app.screen.message.plain
    await pilot.press("enter")
    await back(pilot, screen)
    return steps


async def open_story(store):
    bank = load_bank(default_bank_path())
    app = make_browse_app(store, bank, user=USER)
    return app, bank


async def test_browse_curation_holds_through_runs_and_imports(demo):
    app, bank = await open_story(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        app.goto("themes", question_id=Q)
        await wait_for(pilot, lambda: isinstance(app.screen, ThemesScreen) and app.screen.entries)
        screen = app.screen
        await curate(pilot, screen, demo)
        curated = {t.label: t for t in question_coding(demo, CID, Q).themes}
        assert {"Cherry-picking", "Cash flow", "Peterborough", "Late payment"} <= set(curated)
        assert not {"Providers to cherry-pick", "Distance travelled", "Results in principle"} & set(curated)
        assert all(t.status == "confirmed" for t in curated.values())
        for n in range(3):
            demo.load_responses(CID, [
                {"respondent": f"late-{n}-a", "status": "submitted",
                 "answers": {Q: "The cash-flow risk will favour large organisations with deep reserves."}},
                {"respondent": f"late-{n}-b", "status": "submitted",
                 "answers": {Q: "Zebra crossings outside the village school need repainting."}}])
            run_analysis(demo, bank, question_ids=[Q])
            screen.refresh_data()
            await pilot.pause()
            now = {t.label: t for t in question_coding(demo, CID, Q).themes}
            assert set(now) == set(curated), f"run {n + 2}"
            for label, theme in curated.items():
                assert (now[label].id, now[label].status, now[label].parent_id) == (
                    theme.id, theme.status, theme.parent_id)
                assert set(theme.respondents) <= set(now[label].respondents), f"{label}, run {n + 2}"
            assert [e.label for e in screen.entries if e.theme] == [t.label for t in
                                                                     question_coding(demo, CID, Q).themes]


async def test_browse_undo_takes_each_step_back(demo):
    app, _ = await open_story(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        app.goto("themes", question_id=Q)
        await wait_for(pilot, lambda: isinstance(app.screen, ThemesScreen) and app.screen.entries)
        screen = app.screen
        steps = await curate(pilot, screen, demo)
        for name, before in reversed(steps):
            await pilot.press("ctrl+z")
            await pilot.pause()
            assert state(demo) == before, f"undo of {name}"
        await pilot.press("h")
        await wait_for(pilot, lambda: app.screen is not screen)
        shown = str(app.screen.query_one("#history-lines").query_one("Static").content)
        assert shown.count("(undone by clinks-staff)") == len(steps)

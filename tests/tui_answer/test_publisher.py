"""The app names whoever publishes the consultation, as its bank says, never a name of its own."""

from __future__ import annotations

from consult.questions import bank_folder, load_bank
from consult.store import Store
from consult.tui.answer.app import make_answer_app
from consult.tui.answer.profile import ProfileScreen
from consult.tui.answer.review import ReviewScreen
from consult.tui.answer.section import SectionScreen
from consult.tui.answer.submit import ConfirmSubmitScreen

from .helpers import FIXED_TIME, screen_text, type_text, wait_for
from .test_required import dialog, flat

PUBLISHER = "Anytown Voluntary Action"
WIDE = (200, 50)  # each sentence on one line of the screen, beside the sections list


def other_bank(tmp_path, publisher: str):
    """The bundled example bank, published by someone else (or, with "", by no one named)."""
    text = (bank_folder() / "example-payment-by-results.toml").read_text()
    assert 'publisher = "Clinks"' in text
    path = tmp_path / "other.toml"
    path.write_text(text.replace('publisher = "Clinks"', f'publisher = "{publisher}"'))
    return load_bank(path)


async def test_every_screen_names_the_banks_publisher(tmp_path):
    bank = other_bank(tmp_path, PUBLISHER)
    store = Store(tmp_path / "r.db")
    store.sync_bank(bank)
    respondent, code = store.new_respondent(bank.id, code="HT4W-9RZB")
    store.save_profile(respondent.id, {"org_name": "Ace"})
    store.save_answer(respondent.id, "experience.contracts", "No")
    store.submit(respondent.id)
    store.save_position(respondent.id, "section:experience")
    app = make_answer_app(store, bank, clock=lambda: FIXED_TIME)
    seen = []
    async with app.run_test(size=WIDE) as pilot:
        seen.append(screen_text(app))
        await pilot.press("tab")
        await type_text(pilot, code)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SectionScreen))
        seen.append(screen_text(app))
        assert f"until then {PUBLISHER} will use the response as you" in screen_text(app)
        await pilot.press("ctrl+p")
        await type_text(pilot, "profile")
        await wait_for(pilot, lambda: f"what {PUBLISHER} may do with your response" in flat(app))
        seen.append(screen_text(app))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ProfileScreen))
        await wait_for(pilot, lambda: f"What {PUBLISHER} may do with your response" in screen_text(app))
        seen.append(screen_text(app))
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        seen.append(screen_text(app))
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmSubmitScreen))
        assert f"Submit your response to {PUBLISHER}?" in dialog(app)
        assert f"Submitting again sends your changes: {PUBLISHER} will use this version instead." in dialog(app)
        seen.append(screen_text(app))
    assert not [text for text in seen if "Clinks" in text]


async def test_a_bank_naming_no_publisher_says_the_organisers(tmp_path):
    bank = other_bank(tmp_path, "")
    store = Store(tmp_path / "r.db")
    store.sync_bank(bank)
    app = make_answer_app(store, bank, clock=lambda: FIXED_TIME)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("enter")  # start a response: the profile and consent
        await wait_for(pilot, lambda: isinstance(app.screen, ProfileScreen))
        await wait_for(pilot, lambda: "What the organisers may do with your response" in screen_text(app))
        assert "Clinks" not in screen_text(app)

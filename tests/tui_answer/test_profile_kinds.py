"""The profile form asks for each field by its kind (text, e-mail, choice, multi), not its id."""

from __future__ import annotations

from textual.widgets import Input

from consult.questions import bank_folder, load_bank
from consult.store import Store
from consult.tui.answer.app import make_answer_app
from consult.tui.answer.profile import ProfileScreen

from .helpers import FIXED_TIME, SIZE, screen_text, type_text, wait_for

WARNING = "That does not look like an email address"
HEARD = '''[[profile]]
id = "heard_by_email"
text = "How did you hear of this survey?"

'''


def bank_with_renamed_fields(tmp_path):
    """The example bank with its e-mail field's id not ending in "email", and a text field's that
    does."""
    text = (bank_folder() / "example-payment-by-results.toml").read_text()
    text = text.replace('id = "contact_email"', 'id = "reach_us"')
    text = text.replace("[[profile]]\nid = \"reach_us\"", HEARD + "[[profile]]\nid = \"reach_us\"")
    path = tmp_path / "renamed.toml"
    path.write_text(text)
    return load_bank(path)


async def test_email_is_checked_by_its_kind_and_text_is_not(tmp_path):
    bank = bank_with_renamed_fields(tmp_path)
    store = Store(tmp_path / "r.db")
    store.sync_bank(bank)
    app = make_answer_app(store, bank, clock=lambda: FIXED_TIME)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ProfileScreen))
        app.screen.query_one("#profile-heard_by_email", Input).focus()
        await type_text(pilot, "a friend")
        await wait_for(pilot, lambda: app.store.respondent(app.respondent.id).profile.get("heard_by_email"))
        assert WARNING not in screen_text(app)
        app.screen.query_one("#profile-reach_us", Input).focus()
        await type_text(pilot, "nobody")
        await wait_for(pilot, lambda: WARNING in screen_text(app))
    assert store.respondent(app.respondent.id).profile == {"heard_by_email": "a friend", "reach_us": "nobody"}

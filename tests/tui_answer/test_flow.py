"""The answering app driven as a member drives it: keys in, database out."""

from __future__ import annotations

import time

from textual.message import Message
from textual.widgets import Input, OptionList, TextArea

from consult.tui.answer.review import ReviewScreen
from consult.tui.answer.section import SectionScreen
from consult.tui.answer.submit import ReceiptScreen
from consult.tui.answer.welcome import WRONG_CODE, WelcomeScreen
from consult.tui.answer.widgets import AnswerBox, SafeTextArea

from .helpers import (
    CODES,
    SIZE,
    bank,
    make_app,
    new_store,
    open_first_section,
    screen_text,
    start_response,
    type_text,
    wait_for,
)


async def test_whole_consultation_by_keyboard(tmp_path):
    db = tmp_path / "r.db"
    the_bank = bank()
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await start_response(pilot)
        assert CODES[0] in screen_text(app)  # the code is shown as soon as the response exists
        # Profile: organisation name, three choices, one area of work, contact, consent.
        await type_text(pilot, "Ace")
        for _ in range(3):  # org_type, org_size, region: open, first option, choose
            await pilot.press("tab", "enter", "down", "enter")
        await pilot.press("tab", "down", "space")  # areas: the second option
        await pilot.press("tab")
        await type_text(pilot, "Jo")
        await pilot.press("tab")
        await type_text(pilot, "j@a.uk")
        await pilot.press("tab", "space", "tab", "tab", "space")  # consent: quote yes, name no, contact yes
        await pilot.press("tab", "enter")  # Continue to the questions
        await wait_for(pilot, lambda: isinstance(app.screen, SectionScreen))

        expected: dict[str, str] = {}
        for s_index, section in enumerate(the_bank.sections):
            assert isinstance(app.screen, SectionScreen) and app.screen.section.id == section.id
            for q_index, question in enumerate(section.questions):
                if q_index == 0:  # a section opens at its context: Tab to the first question
                    await pilot.press("tab")
                assert isinstance(app.focused, SafeTextArea)
                answer = f"{s_index}{q_index}"
                if q_index == 0 and s_index == 0:
                    long = "A long answer. " * 200  # long text: loaded, not typed
                    app.focused.load_text(long)
                    answer = long
                else:
                    await type_text(pilot, answer)
                expected[question.id] = answer
                if q_index < len(section.questions) - 1:
                    await pilot.press("tab")
            await pilot.press("pagedown")
            await pilot.pause()
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        assert "18 of 18 questions answered" in screen_text(app)
        await pilot.press("ctrl+t")  # submit → confirmation
        await pilot.pause()
        await pilot.press("enter")  # the focused "Submit" button
        await wait_for(pilot, lambda: isinstance(app.screen, ReceiptScreen))
        assert CODES[0] in screen_text(app)

    store = new_store(db)
    [respondent] = store.respondents(the_bank.id)
    assert respondent.status == "submitted"
    assert store.answers(respondent.id) == expected
    assert respondent.profile == {
        "org_name": "Ace",
        "org_type": the_bank.profile[1].options[0],
        "org_size": the_bank.profile[2].options[0],
        "region": the_bank.profile[3].options[0],
        "areas": [the_bank.profile[4].options[1]],
        "contact_name": "Jo",
        "contact_email": "j@a.uk",
    }
    assert respondent.consent == {"quote": True, "name": False, "contact": True}
    assert store.respondent_by_code(the_bank.id, CODES[0]).id == respondent.id


async def test_ctrl_q_right_after_typing_keeps_the_answer(tmp_path):
    db = tmp_path / "r.db"
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_first_section(pilot)
        await type_text(pilot, "typed then quit")
        await pilot.press("ctrl+q")  # well inside the debounce
    store = new_store(db)
    [respondent] = store.respondents(bank().id)
    assert store.answers(respondent.id) == {"localism.prime-sub-contracting": "typed then quit"}


class SaveTimeline:
    """When the app processed each edit of an answer (the answer box's ``TextArea.Changed``) and
    when it reported each save (``AnswerBox.Saved``, posted once the store has the text), as
    seen through ``run_test(message_hook=...)``: measured in the app, so that a busy test machine
    delivering keys late does not count against the autosave."""

    def __init__(self) -> None:
        self._edits: dict[int, tuple[float, Message]] = {}
        self._saves: dict[int, tuple[float, Message]] = {}

    def hook(self, message: Message) -> None:
        now = time.monotonic()
        if isinstance(message, TextArea.Changed):
            self._edits[id(message)] = (now, message)  # its last stop: the box, which saves
        elif isinstance(message, AnswerBox.Saved):
            self._saves.setdefault(id(message), (now, message))

    @property
    def edits(self) -> list[float]:
        return sorted(t for t, _ in self._edits.values())

    @property
    def saves(self) -> list[float]:
        return sorted(t for t, _ in self._saves.values())


# The promise to members: what they type is saved within about a second (fixed here, not read
# from the app, so that the test fails if the app's timers drift from it). The app saves half a
# second after the last key, or a second after the first unsaved key while typing goes on; a
# timer may fire up to this much late on a busy machine.
PROMISE_SECONDS = 1.0
TIMER_SLACK_SECONDS = 0.5


async def test_autosave_within_a_second_while_typing_goes_on(tmp_path):
    db = tmp_path / "r.db"
    app = make_app(db)
    timeline = SaveTimeline()
    question = "localism.prime-sub-contracting"
    async with app.run_test(size=SIZE, message_hook=timeline.hook) as pilot:
        await open_first_section(pilot)
        store = new_store(db)
        rid = app.respondent.id
        # A pause in typing: saved about half a second after the last key.
        await type_text(pilot, "abc")
        shown = screen_text(app)
        if not timeline.saves:  # (read within half a second of the last key, as on any machine
            assert "Saving…" in shown  # not starved of CPU for that long)
        await wait_for(pilot, lambda: store.answers(rid).get(question) == "abc", timeout=10)
        saved = timeline.saves[-1]  # (on a starved machine a gap between keys may save "a" first)
        assert saved - timeline.edits[-1] <= PROMISE_SECONDS  # half a second, and slack
        before = len(timeline.saves)
        await wait_for(pilot, lambda: "Saved ✓ 14:32:05" in screen_text(app), timeout=10)
        # Typing on without a pause: saved while it goes on, within about a second of the first
        # unsaved key. Keys are pressed one by one as fast as the app takes them (about 60 ms
        # each) until a save comes, then a few more.
        for _ in range(60):
            await pilot.press("d")
            if len(timeline.saves) > before:
                break
        else:
            raise AssertionError("60 keys typed without a pause and nothing saved meanwhile")
        await type_text(pilot, "ddd")
        first_unsaved = min(t for t in timeline.edits if t > saved)
        assert timeline.saves[before] - first_unsaved <= PROMISE_SECONDS + TIMER_SLACK_SECONDS
        typed = app.focused.text
        await wait_for(pilot, lambda: store.answers(rid).get(question) == typed, timeout=10)
        revisions = store.revisions(rid, question)
        mid_typing = revisions[revisions.index("abc") + 1]
        assert mid_typing.startswith("abcd") and len(mid_typing) < len(typed)


async def test_resume_returns_to_the_same_question(tmp_path):
    db = tmp_path / "r.db"
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await start_response(pilot)
        await pilot.press("pagedown", "pagedown")  # profile → section 1 → section 2 (police)
        await wait_for(pilot, lambda: isinstance(app.screen, SectionScreen)
                       and app.screen.section.id == "police")
        await type_text(pilot, "first")
        await pilot.press("tab")
        await type_text(pilot, "second")
        await pilot.press("ctrl+q")

    app = make_app(db, codes=("ZZZZ-ZZZZ",))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab")  # from Start to the code field
        assert isinstance(app.focused, Input)
        await type_text(pilot, "kx7p 3qmd")  # lower case, a space instead of the dash
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SectionScreen))
        assert app.screen.section.id == "police"
        assert isinstance(app.focused, SafeTextArea)
        box = next(a for a in app.focused.ancestors if isinstance(a, AnswerBox))
        assert box.question.id == "police.engagement"
        assert app.focused.text == "second"
        text = screen_text(app)
        assert "KX7P-3QMD" in text  # the code is in the title bar
        assert "second" in text
        boxes = {b.question.id: b.text for b in app.screen.query(AnswerBox)}
        assert boxes == {"police.compact-principles": "first", "police.engagement": "second"}


async def test_wrong_code_shows_a_message_and_nobody_s_answers(tmp_path):
    db = tmp_path / "r.db"
    the_bank = bank()
    store = new_store(db, the_bank)
    other, code = store.new_respondent(the_bank.id)
    store.save_answer(other.id, "localism.prime-sub-contracting", "Someone else's secret answer")
    store.save_position(other.id, "question:localism.prime-sub-contracting")
    wrong = "HT4W-9RZB" if code != "HT4W-9RZB" else "MN8C-2VJE"

    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab")
        await type_text(pilot, wrong)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
        text = screen_text(app)
        assert WRONG_CODE in text
        assert "secret" not in text
        assert app.respondent is None and app.answers == {}
        # A near miss (one character changed) does not open it either.
        field = app.screen.query_one("#code", Input)
        field.value = code[:-1] + ("A" if code[-1] != "A" else "B")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen) and app.respondent is None
        # The right code does.
        field.value = code
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SectionScreen))
        assert "secret answer" in screen_text(app)


async def test_review_jumps_to_an_unanswered_question_with_focus_in_its_editor(tmp_path):
    db = tmp_path / "r.db"
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_first_section(pilot)
        await type_text(pilot, "only Q1")
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        text = screen_text(app)
        assert "only Q1" in text and "Not answered" in text
        review = app.screen.query_one("#review-list", OptionList)
        # The first unanswered question is highlighted; move down to Q4 (police) and open it.
        assert review.get_option_at_index(review.highlighted).id == "question:localism.upscaled-or-local"
        await pilot.press("down", "down")  # headers and separators are skipped
        assert review.get_option_at_index(review.highlighted).id == "question:police.engagement"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SectionScreen))
        assert app.screen.section.id == "police"
        assert isinstance(app.focused, SafeTextArea)
        assert app.focused.id == "editor-police-engagement"
        await type_text(pilot, "now Q4")
        await pilot.press("ctrl+q")
    store = new_store(db)
    [respondent] = store.respondents(bank().id)
    assert store.answers(respondent.id) == {"localism.prime-sub-contracting": "only Q1",
                                            "police.engagement": "now Q4"}
    assert respondent.position == "question:police.engagement"

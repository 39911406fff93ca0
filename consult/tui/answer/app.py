"""The answering app: `consult answer`.

``make_answer_app(store, bank)`` builds it for the CLI and for the tests. The app holds the
session (which response, its resume code, the answers as last saved); each screen lives in its
own module with its ``.tcss`` beside it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from textual.app import App
from textual.binding import Binding

from consult.questions import Bank, Section
from consult.store import Respondent, Store, normalise_code
from consult.text import clean
from consult.tui.answer.commands import AnswerCommands

HERE = Path(__file__).parent

# How long a missing item's description may be in the confirmation and the review header.
MISSING_LABEL_CHARS = 52


def filled(value) -> bool:
    """True if a profile value counts as given: text with something in it, a non-empty list."""
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, (list, tuple, set, dict)):
        return bool(value)
    return value is not None


def short(text: str, limit: int = MISSING_LABEL_CHARS) -> str:
    flat = " ".join(clean(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def submitted_words(stamp: str | None) -> str:
    """A stored ``submitted_at`` (UTC, ISO) in words, in local time: "14 March 2025 at 14:32"."""
    if not stamp:
        return "an earlier date"
    try:
        moment = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        return clean(stamp)
    local = moment.astimezone()
    return f"{local.day} {local:%B %Y} at {local:%H:%M}"


class AnswerApp(App):
    """Members answer one consultation, section by section, with every keystroke kept."""

    CSS_PATH = [HERE / name for name in (
        "app.tcss", "welcome.tcss", "profile.tcss", "section.tcss", "review.tcss",
        "submit.tcss", "help.tcss")]
    COMMANDS = {AnswerCommands}
    COMMAND_PALETTE_DISPLAY = "Commands"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", tooltip="Save everything and leave; come back with your code",
                priority=True, id="quit"),
        Binding("f1", "help", "Help", tooltip="Show every key", id="help"),
    ]

    def __init__(self, store: Store, bank: Bank, *, clock: Callable[[], datetime] | None = None,
                 code_factory: Callable[[], str] | None = None) -> None:
        super().__init__()
        self.store = store
        self.bank = bank
        self.clock = clock or datetime.now
        self.code_factory = code_factory
        self.animation_level = "none"
        self.title = bank.title
        self.respondent: Respondent | None = None
        self.code: str | None = None
        self.new_response = False
        self.answers: dict[str, str] = {}
        self.last_saved: datetime | None = None
        self.numbers = {q.id: i for i, q in enumerate(bank.questions, start=1)}

    # ------------------------------------------------------------------ start-up
    def on_mount(self) -> None:
        from consult.tui.answer.welcome import WelcomeScreen

        self.push_screen(WelcomeScreen())

    # ------------------------------------------------------------------ session
    @property
    def started(self) -> bool:
        return self.respondent is not None

    def start_new(self) -> None:
        """Create a draft response, remember its code for this session, go to the profile."""
        respondent, code = self._new_respondent()
        self.respondent, self.code, self.new_response = respondent, code, True
        self.answers = {}
        self.sub_title = f"Resume code {code}"
        # No toast: the code is in the profile screen's banner and in the header throughout, and
        # a toast would sit over the footer (and later the receipt's Save-copy field).
        self.go_profile()

    def _new_respondent(self) -> tuple[Respondent, str]:
        code = self.code_factory() if self.code_factory else None
        return self.store.new_respondent(self.bank.id, code=code)

    def resume(self, code: str) -> bool:
        """Open the response this code belongs to, where the member left it; False if none."""
        respondent = self.store.respondent_by_code(self.bank.id, code)
        if respondent is None:
            return False
        clean_code = normalise_code(code)
        self.respondent = respondent
        self.code = f"{clean_code[:4]}-{clean_code[4:]}"
        self.new_response = False
        self.answers = self.store.answers(respondent.id)
        self.sub_title = f"Resume code {self.code}"
        self.open_position(respondent.position)
        if respondent.submitted:
            self.notify(self.submitted_notice(), title="Welcome back", timeout=10)
        return True

    def submitted_notice(self) -> str:
        """What editing a submitted response does (it is the same response, changed in place)."""
        when = submitted_words(self.respondent.submitted_at if self.respondent else None)
        return (f"This response was submitted on {when}. Changes you make are saved to it as you "
                "type; submit again to confirm them and update the submission time.")

    def missing_required(self) -> list[tuple[str, str]]:
        """Required profile fields and questions still empty, in the order the member meets
        them: ``(position, description)``, where position is what :meth:`open_position` takes.
        (The bank format has no required consent items.)"""
        if self.respondent is None:
            return []
        profile = self.refresh_respondent().profile
        missing = [(f"profile:{f.id}", f"{short(f.text)} (profile)")
                   for f in self.bank.profile if f.required and not filled(profile.get(f.id))]
        missing += [(f"question:{q.id}", f"Q{self.numbers[q.id]}. {short(q.text)}")
                    for q in self.bank.questions
                    if q.required and not self.answers.get(q.id, "").strip()]
        return missing

    def refresh_respondent(self) -> Respondent:
        assert self.respondent is not None
        self.respondent = self.store.respondent(self.respondent.id)
        return self.respondent

    def save_answer(self, question_id: str, text: str) -> bool:
        assert self.respondent is not None
        changed = self.store.save_answer(self.respondent.id, question_id, text)
        self.answers[question_id] = text
        self.last_saved = self.clock()
        return changed

    def save_position(self, position: str) -> None:
        if self.respondent is not None:
            self.store.save_position(self.respondent.id, position)

    def saved_time(self) -> str:
        return (self.last_saved or self.clock()).strftime("%H:%M:%S")

    def answered(self, section: Section) -> int:
        return sum(1 for q in section.questions if self.answers.get(q.id, "").strip())

    def flush(self) -> None:
        """Save every editor that has unsaved text, on every screen."""
        for screen in self.screen_stack:
            flush = getattr(screen, "flush_answers", None)
            if flush is not None:
                flush()

    # ------------------------------------------------------------------ navigation
    def open_position(self, position: str | None) -> None:
        kind, _, value = (position or "").partition(":")
        if kind == "question" and self.bank.has_question(value):
            self.go_section(self.bank.question(value).section_id, value)
        elif kind == "section" and any(s.id == value for s in self.bank.sections):
            self.go_section(value)
        elif kind == "review":
            self.go_review()
        elif kind == "profile" or not self.bank.sections:
            self.go_profile(focus_field=value or None)
        else:
            self.go_section(self.bank.sections[0].id)

    def _switch(self, screen) -> None:
        self.flush()
        if len(self.screen_stack) > 1 and getattr(self.screen, "is_modal", False):
            self.pop_screen()
        self.switch_screen(screen)

    def go_profile(self, focus_field: str | None = None) -> None:
        from consult.tui.answer.profile import ProfileScreen

        if self.started:
            self.save_position("profile")
            self._switch(ProfileScreen(focus_field=focus_field))

    def go_section(self, section_id: str, question_id: str | None = None) -> None:
        from consult.tui.answer.section import SectionScreen

        if self.started:
            self._switch(SectionScreen(self.bank.section(section_id), focus_question=question_id))

    def go_next_section(self, section_id: str | None, step: int = 1) -> None:
        ids = [s.id for s in self.bank.sections]
        if section_id is None:
            index = 0 if step > 0 else len(ids) - 1
        else:
            index = ids.index(section_id) + step
        if index < 0:
            self.go_profile()
        elif index >= len(ids):
            self.go_review()
        else:
            self.go_section(ids[index])

    def go_review(self, highlight: str | None = None) -> None:
        from consult.tui.answer.review import ReviewScreen

        if self.started:
            self.save_position("review")
            self._switch(ReviewScreen(highlight=highlight))

    def go_submit(self) -> None:
        from consult.tui.answer.submit import ConfirmSubmitScreen

        if not self.started:
            return
        self.flush()

        def done(choice: str | None) -> None:
            if choice == "submit":
                self.submit()
            elif choice == "missing":
                self.go_first_missing()

        self.push_screen(ConfirmSubmitScreen(self.missing_required()), done)

    def go_first_missing(self) -> None:
        """Open the first required item still empty, with the focus in it."""
        missing = self.missing_required()
        if missing:
            self.open_position(missing[0][0])

    def submit(self) -> bool:
        """Submit, unless something required is still empty; True if it was submitted."""
        from consult.tui.answer.submit import ReceiptScreen

        assert self.respondent is not None
        self.flush()
        if self.missing_required():
            self.bell()
            return False
        self.store.submit(self.respondent.id)
        self.save_position("review")
        self.refresh_respondent()
        self._switch(ReceiptScreen())
        return True

    # ------------------------------------------------------------------ actions
    def action_help(self) -> None:
        from consult.tui.answer.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_review(self) -> None:
        self.go_review()

    def action_submit(self) -> None:
        self.go_submit()

    async def action_quit(self) -> None:
        """Quit, but first save every editor: nothing typed is lost."""
        self.flush()
        self.exit()


def make_answer_app(store: Store, bank: Bank, *, clock: Callable[[], datetime] | None = None,
                    code_factory: Callable[[], str] | None = None) -> AnswerApp:
    """The answering app over one store and bank (used by ``consult answer`` and the tests)."""
    return AnswerApp(store, bank, clock=clock, code_factory=code_factory)

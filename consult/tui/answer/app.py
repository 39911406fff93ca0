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
from consult.store import Respondent, Store, format_code
from consult.text import clean
from consult.tui.answer.commands import AnswerCommands
from consult.tui.answer.keeping import KeepingMixin
from consult.tui.answer.saving import (
    MEMBER_WAIT_MS,
    WRITE_ERRORS,
    PendingWrites,
    problem_words,
)

HERE = Path(__file__).parent


def amending_notice(bank: Bank) -> str:
    """Said wherever a member changes a submitted response (issue #12)."""
    return ("You are changing a submitted response. Your changes are kept as a draft until you "
            f"submit again; until then {bank.organiser} will use the response as you submitted it.")


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


class AnswerApp(KeepingMixin, App):
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
        self.pending = PendingWrites(store.path, clock=self.clock)
        self._retry_timer = None
        # Printed on the terminal once the app has gone (see :meth:`farewell`).
        self.farewell_lines: list[str] = []
        self.come_back_command = "consult answer"
        store.set_busy_timeout(MEMBER_WAIT_MS)

    # ------------------------------------------------------------------ start-up
    def on_mount(self) -> None:
        from consult.tui.answer.welcome import WelcomeScreen

        self.push_screen(WelcomeScreen())

    # ------------------------------------------------------------------ session
    @property
    def started(self) -> bool:
        return self.respondent is not None

    def start_new(self) -> str | None:
        """Create a draft response, remember its code for this session, go to the profile.
        Returns what went wrong, in words, if the database would not take a new response."""
        try:
            respondent, code = self._new_respondent()
        except WRITE_ERRORS as exc:
            return f"Could not start a response: {problem_words(exc)}. Try again in a moment."
        self.respondent, self.code, self.new_response = respondent, code, True
        self.answers = {}
        self.sub_title = f"Resume code {code}"
        # No toast: the code is in the profile screen's banner and in the header throughout, and
        # a toast would sit over the footer (and later the receipt's Save-copy field).
        self.go_profile()
        return None

    def _new_respondent(self) -> tuple[Respondent, str]:
        code = self.code_factory() if self.code_factory else None
        return self.store.new_respondent(self.bank.id, code=code)

    def resume(self, code: str) -> bool:
        """Open the response this code belongs to, where the member left it; False if none."""
        try:
            respondent = self.store.respondent_by_code(self.bank.id, code)
        except WRITE_ERRORS as exc:
            self.notify(f"Could not open a response: {problem_words(exc)}. Try again in a "
                        "moment.", severity="error", markup=False, timeout=10)
            return True  # not a wrong code: do not say so
        if respondent is None:
            return False
        self.respondent = respondent
        self.code = format_code(code)
        self.new_response = False
        self.answers = self.store.answers(respondent.id)
        self.sub_title = f"Resume code {self.code}"
        self.open_position(respondent.position)
        if respondent.submitted:
            self.notify(self.submitted_notice(), title="Welcome back", timeout=10)
        return True

    def submitted_notice(self) -> str:
        """What editing a submitted response does: the store keeps the submitted version for
        analysis, browse and the report until the member submits again (contract 4)."""
        when = submitted_words(self.respondent.submitted_at if self.respondent else None)
        return f"This response was submitted on {when}. {amending_notice(self.bank)}"

    @property
    def amending(self) -> bool:
        """A submitted response that the member is changing (or has changed) since."""
        return self.respondent is not None and self.respondent.submitted

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
        """The response as stored, with any profile or consent change the database has not
        taken yet (so that no screen shows, and then saves, the older values)."""
        assert self.respondent is not None
        try:
            fresh = self.store.respondent(self.respondent.id)
        except WRITE_ERRORS:
            fresh = None
        respondent = fresh or self.respondent
        for key, attribute in ((("profile",), "profile"), (("consent",), "consent")):
            kept = self.pending.items.get(key)
            if kept is not None:
                setattr(respondent, attribute, kept[1][1])
        self.respondent = respondent
        return respondent

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
        if self.pending:
            self.call_after_refresh(self.show_save_problem)

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
        if self.pending and not self.retry_saves():
            self.bell()
            return False
        try:
            self.store.submit(self.respondent.id)
        except WRITE_ERRORS as exc:
            self.bell()
            self.notify(f"Not submitted: {problem_words(exc)}. Your answers are kept; try "
                        "again in a moment.", title="Not submitted", severity="error",
                        markup=False, timeout=10)
            return False
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
        """Quit, but first save every editor: nothing typed is lost. If the database still
        refuses some of it, the recovery copy holds it, the terminal says where, and the exit
        status is 1."""
        self.flush()
        if self.pending and not self.retry_saves():
            self.pending.save_recovery(self.recovery_document())
            self.farewell_lines = self._not_saved_farewell()
            self.exit(return_code=1)
            return
        self.farewell_lines = self._farewell()
        self.exit()


def make_answer_app(store: Store, bank: Bank, *, clock: Callable[[], datetime] | None = None,
                    code_factory: Callable[[], str] | None = None) -> AnswerApp:
    """The answering app over one store and bank (used by ``consult answer`` and the tests)."""
    return AnswerApp(store, bank, clock=clock, code_factory=code_factory)

"""`consult browse`: the staff workbench for reading and curating responses.

Screens: overview, by question, by respondent, search, themes, help. Each lives in its own
module with a ``.tcss`` beside it, scoped under the screen's type. The app is read-only until a
member of staff takes a curation action (opening an answer records a read mark, by user).
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from rich.text import Text
from textual.app import App
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

from consult.questions import Bank
from consult.store import Store
from consult.text import clean, one_line
from consult.tui.browse.dialogs import KeyHold

HERE = Path(__file__).parent


def default_user() -> str:
    try:
        return os.environ.get("USER") or getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name is not worth a crash
        return "staff"


class BrowseCommands(Provider):
    """Command palette: every screen, every question's pages, and the current screen's actions."""

    def _commands(self) -> list[tuple[str, Callable, str]]:
        app: BrowseApp = self.app  # type: ignore[assignment]
        out: list[tuple[str, Callable, str]] = [
            ("Go to overview", partial(app.goto, "overview"), "Counts, breakdowns and the last analysis"),
            ("Go to answers by question", partial(app.goto, "question"), "Read a question's answers"),
            ("Go to respondents", partial(app.goto, "respondent"), "One response at a time"),
            ("Go to themes", partial(app.goto, "themes"), "Curate the latest analysis"),
            ("Search answers", partial(app.goto, "search"), "Full-text search with filters"),
            ("Help: keys", app.action_help, "Every key on every screen"),
        ]
        for n, q in enumerate(app.bank.questions, start=1):
            if not q.is_free_text:
                continue
            text = one_line(q.text, 70)
            out.append((f"Answers to Q{n}: {text}", partial(app.goto, "question", question_id=q.id),
                        q.id))
            out.append((f"Themes of Q{n}: {text}", partial(app.goto, "themes", question_id=q.id), q.id))
        screen = self.screen
        for binding in getattr(screen, "BINDINGS", []):
            if isinstance(binding, Binding) and binding.description:
                name = f"{getattr(screen, 'TITLE_TEXT', screen.__class__.__name__)}: {binding.description}"
                out.append((name, partial(self._run, screen, binding.action),
                            binding.tooltip or f"key: {binding.key}"))
        return out

    async def _run(self, screen, action: str) -> None:
        await screen.run_action(action)

    async def discover(self) -> Hits:
        for name, callback, help_text in self._commands():
            yield DiscoveryHit(Text(name), callback, text=name, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, text=name, help=help_text)


class BrowseApp(KeyHold, App):
    """The browser. Build it with :func:`make_browse_app`. Dialogs open through ``open_dialog``
    (from :class:`KeyHold`), so that they own the keyboard from the first key."""

    TITLE = "consult browse"
    CSS_PATH = ["browse.tcss", "overview.tcss", "question.tcss", "respondent.tcss", "search.tcss",
                "themes.tcss", "help.tcss"]
    COMMANDS = App.COMMANDS | {BrowseCommands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]
    ENABLE_COMMAND_PALETTE = True

    BINDINGS = [
        Binding("slash", "search", "Search", tooltip="Full-text search over every answer", id="search"),
        Binding("f1", "help", "Help", tooltip="Every key on every screen", id="help"),
        Binding("escape", "back", "Back", show=False, id="back"),
        Binding("o", "goto('overview')", "Overview", show=False, id="overview"),
        Binding("q", "goto('question')", "By question", show=False, id="by-question"),
        Binding("p", "goto('respondent')", "By respondent", show=False, id="by-respondent"),
        Binding("t", "goto('themes')", "Themes", show=False, id="themes"),
    ]

    def __init__(self, store: Store, bank: Bank, *, user: str, clock: Callable[[], datetime] | None = None):
        super().__init__()
        self.store = store
        self.bank = bank
        self.user = user
        self.clock = clock or (lambda: datetime.now(UTC))
        org = bank.profile_role("organisation")
        self.org_field = org.id if org else None
        self.animation_level = "none" if clock is not None else self.animation_level
        self.title = bank.title
        self.sub_title = f"browse · {user}"

    # ------------------------------------------------------------------ helpers
    @property
    def free_questions(self):
        return [q for q in self.bank.questions if q.is_free_text]

    def question_number(self, question_id: str) -> int:
        return next(n for n, q in enumerate(self.bank.questions, start=1) if q.id == question_id)

    def question_label(self, question_id: str, width: int = 200) -> str:
        q = self.bank.question(question_id)
        return f"Q{self.question_number(question_id)}. {one_line(q.text, width)}"

    def run_id(self) -> int | None:
        run = self.store.latest_run(self.bank.id)
        return run.id if run else None

    # ------------------------------------------------------------------ navigation
    def on_mount(self) -> None:
        from consult.tui.browse.overview import OverviewScreen

        self.push_screen(OverviewScreen())

    def make_screen(self, name: str, **kwargs):
        from consult.tui.browse.overview import OverviewScreen
        from consult.tui.browse.question import QuestionScreen
        from consult.tui.browse.respondent import RespondentScreen
        from consult.tui.browse.search import SearchScreen
        from consult.tui.browse.themes import ThemesScreen

        screens = {"overview": OverviewScreen, "question": QuestionScreen, "respondent": RespondentScreen,
                   "search": SearchScreen, "themes": ThemesScreen}
        return screens[name](**kwargs)

    def goto(self, name: str, **kwargs) -> None:
        """Show a top-level screen; the overview stays underneath so Esc comes back to it."""
        if kwargs.get("question_id") is None:
            kwargs.pop("question_id", None)
            current = getattr(self.screen, "question_id", None)
            if current and name in ("question", "themes"):
                kwargs["question_id"] = current
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if name == "overview":
            if hasattr(self.screen, "refresh_data"):
                self.screen.refresh_data()
            return
        self.push_screen(self.make_screen(name, **kwargs))

    def push_detail(self, name: str, **kwargs) -> None:
        """Open a screen on top of the current one (Esc returns here)."""
        self.push_screen(self.make_screen(name, **kwargs))

    def action_goto(self, name: str) -> None:
        self.goto(name)

    def action_search(self) -> None:
        from consult.tui.browse.search import SearchScreen

        if isinstance(self.screen, SearchScreen):
            self.screen.focus_query()
            return
        self.push_screen(self.make_screen("search"))

    def action_back(self) -> None:
        if len(self.screen_stack) > 2:
            self.pop_screen()
            if hasattr(self.screen, "refresh_data"):
                self.screen.refresh_data()
        else:
            self.notify("This is the first screen. Ctrl+Q quits.", timeout=3)

    def action_help(self) -> None:
        from consult.tui.browse.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    # ------------------------------------------------------------------ messages
    def say(self, message: str, *, error: bool = False) -> None:
        """notify() parses markup; everything shown through it goes through Text-safe escaping."""
        self.notify(clean(message), severity="error" if error else "information", markup=False,
                    timeout=4)

    def relative(self, stamp: str | None) -> str:
        """A stored time as people read it, with how long ago: ``14 Oct 2010 14:09 UTC (2 days ago)``.

        Times the app wrote end in ``Z`` (UTC); imported ones may carry no zone, and are shown as
        they are (without "UTC"), counted from now as if UTC.
        """
        if not stamp:
            return "never"
        moment = parse_time(stamp)
        if moment is None:
            return stamp
        when = human_time(moment)
        aware = moment.tzinfo is not None
        moment = moment.astimezone(UTC) if aware else moment.replace(tzinfo=UTC)
        seconds = (self.clock() - moment).total_seconds()
        if seconds < 0:
            return when
        for size, unit in ((365 * 86400, "year"), (86400, "day"), (3600, "hour"), (60, "minute")):
            if seconds >= size:
                n = int(seconds // size)
                return f"{when} ({n} {unit}{'s' if n != 1 else ''} ago)"
        return f"{when} (just now)"

    def short_date(self, stamp: str | None) -> str:
        """A stored time for a narrow column: ``14 Oct 2010 14:09``."""
        moment = parse_time(stamp) if stamp else None
        if moment is None:
            return stamp or ""
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC)
        return moment.strftime("%d %b %Y %H:%M")

    # ------------------------------------------------------------------ command palette
    def get_system_commands(self, screen):
        """Textual's own commands, less "Theme" (colour themes), which beside our "Themes" (of the
        answers) only confuses."""
        for command in super().get_system_commands(screen):
            if command.title != "Theme":
                yield command


def parse_time(stamp: str) -> datetime | None:
    """An ISO 8601 time as stored (``2010-10-14T14:09:00Z``, or imported without a zone)."""
    try:
        return datetime.fromisoformat(stamp.strip())
    except ValueError:
        return None


def human_time(moment: datetime) -> str:
    """``14 Oct 2010 14:09 UTC`` for a time with a zone (shown in UTC), without "UTC" otherwise."""
    if moment.tzinfo is None:
        return moment.strftime("%d %b %Y %H:%M")
    return moment.astimezone(UTC).strftime("%d %b %Y %H:%M UTC")

def make_browse_app(store: Store, bank: Bank, *, user: str | None = None,
                    clock: Callable[[], datetime] | None = None) -> BrowseApp:
    """The browser on an open store; ``clock`` fixes "now" (tests, snapshots)."""
    return BrowseApp(store, bank, user=user or default_user(), clock=clock)

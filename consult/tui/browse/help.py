"""F1: every key on every screen, the current screen's first."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

# One paragraph a line: the Static wraps them to the width of the box.
NOTES = "\n".join([
    "Keyboard first; the mouse works too (click a row to preview it, click again to open it).",
    "Ctrl+P opens the command palette: every screen, every question, every action.",
    "Opening an answer (Enter) marks it read for you. Nothing else writes to the database unless you "
    "take a curation action; every curation is logged with your name and the time.",
    "In a list, Home and End go to the first and the last row (End loads every row that is left).",
    "Ctrl+Q quits.",
])


def _key(binding: Binding) -> str:
    names = {"slash": "/", "escape": "Esc", "enter": "Enter", "space": "Space", "right_square_bracket": "]",
             "left_square_bracket": "[", "tab": "Tab", "down": "↓", "home": "Home", "end": "End",
             "delete": "Delete"}
    key = binding.key.split(",")[0]
    if key in names:
        return names[key]
    if key.startswith("ctrl+"):
        return "Ctrl+" + key[5:]
    if key[:1] == "f" and key[1:].isdigit():
        return key.upper()
    return key


def _table(title: str, bindings) -> Table:
    table = Table(title=Text(title, style="bold"), title_justify="left", show_header=False, box=None,
                  padding=(0, 2, 0, 0))
    table.add_column(style="bold cyan", no_wrap=True)
    table.add_column()
    for b in bindings:
        if isinstance(b, Binding) and b.description:
            table.add_row(Text(_key(b)), Text(b.tooltip or b.description))
    return table


class HelpScreen(ModalScreen):
    BINDINGS = [Binding("escape,f1,q", "close", "Close")]

    def __init__(self, under: Screen):
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        from consult.tui.browse.app import BrowseApp
        from consult.tui.browse.overview import OverviewScreen
        from consult.tui.browse.question import QuestionScreen
        from consult.tui.browse.respondent import RespondentScreen
        from consult.tui.browse.search import SearchScreen
        from consult.tui.browse.themes import ThemesScreen

        screens = [OverviewScreen, QuestionScreen, RespondentScreen, SearchScreen, ThemesScreen]
        screens.sort(key=lambda s: not isinstance(self.under, s))
        with VerticalScroll():
            yield Static(Text("Keys", style="bold reverse"))
            for screen in screens:
                yield Static(_table(getattr(screen, "TITLE_TEXT", screen.__name__), screen.BINDINGS))
            yield Static(_table("Everywhere", BrowseApp.BINDINGS))
            yield Static(Text("\n" + NOTES))

    def action_close(self) -> None:
        self.dismiss()

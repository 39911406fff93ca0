"""F1: every key of the screen underneath, and the app-wide ones."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Static

GENERAL = [
    ("Tab / Shift+Tab", "Move between fields, buttons and lists"),
    ("Enter", "Press a button, choose a list entry"),
    ("Ctrl+Q", "Save everything and quit; come back with your code"),
    ("Ctrl+P", "Commands: go to a section, review, submit, quit"),
    ("F1", "This help"),
]
EDITING = [
    ("PgDn / PgUp", "Next / previous section (answers saved first)"),
    ("Ctrl+R", "Review every answer"),
    ("Tab / Enter", "From a section's context to its first question"),
    ("Ctrl+S", "Save now (answers also save within a second)"),
    ("Ctrl+A", "Select all of an answer"),
    ("Ctrl+A, Delete", "Clear an answer (Ctrl+Z brings it back)"),
    ("Home / End", "Start / end of the line"),
    ("Ctrl+Z / Y", "Undo / redo in an answer"),
    ("Ctrl+C / X / V", "Copy / cut / paste in an answer"),
    ("Arrows", "Move through the options of a question"),
    ("Enter / Space", "Choose the highlighted option (saved at once)"),
    ("Delete", "Clear your choice for a question"),
]
REVIEW = [
    ("Up / Down", "Move through the questions"),
    ("Enter", "Edit the highlighted question"),
    ("Ctrl+T", "Submit your response (asks first)"),
    ("Escape", "Back to the questions"),
]
RECEIPT = [
    ("Ctrl+N", "Copy your resume code to the clipboard"),
    ("Ctrl+F", "Save a copy of your response to a new file"),
    ("Ctrl+R", "Review and change your answers"),
]


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,f1,q", "close", "Close", tooltip="Close the help", id="close-help"),
    ]

    def __init__(self, under: Screen) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(Content.styled("Keys", "bold $accent"))
            yield Static(self._table("Everywhere", GENERAL))
            yield Static(self._table("Answering a section", EDITING))
            yield Static(self._table("Review", REVIEW))
            yield Static(self._table("After submitting", RECEIPT))
            yield Static(Content("Everything you type is saved as you go. The resume code in "
                                 "the title bar brings you back to exactly where you were."))
        yield Footer()

    def on_mount(self) -> None:
        # The box takes the focus, so that Down, PgDn and End read the rest of it.
        self.query_one("#help-box", VerticalScroll).focus()

    @staticmethod
    def _table(title: str, rows: list[tuple[str, str]]) -> Content:
        parts: list = [(title, "bold"), "\n"]
        for key, what in rows:
            parts += [(f"  {key:<17}", "$accent"), what, "\n"]
        return Content.assemble(*parts)

    def action_close(self) -> None:
        self.dismiss()

"""Welcome: what the consultation is, the privacy notice, start or resume."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Static

from consult.tui.answer.widgets import safe

WRONG_CODE = "No response matches that code. Check it and try again."


class WelcomeScreen(Screen):
    BINDINGS = [
        Binding("ctrl+o", "start", "Start", tooltip="Start a new response", id="start"),
        Binding("ctrl+l", "focus_code", "Resume", tooltip="Type your resume code", id="resume"),
    ]

    def compose(self) -> ComposeResult:
        bank = self.app.bank
        yield Header()
        with VerticalScroll(id="welcome-text", can_focus=True):
            yield Static(safe(bank.title), classes="title")
            if bank.subtitle:
                yield Static(safe(bank.subtitle), classes="subtitle")
            byline = " · ".join(x for x in (bank.publisher, bank.date, bank.series) if x)
            if byline:
                yield Static(safe(byline), classes="byline")
            if bank.introduction:
                yield Static(safe(_paragraphs(bank.introduction)), classes="introduction")
            if bank.privacy:
                yield Static(Content.styled("Privacy", "bold"), classes="heading")
                yield Static(safe(_paragraphs(bank.privacy)), classes="privacy")
        with Vertical(id="welcome-actions"):
            with Horizontal(id="start-row"):
                yield Button("Start a new response", id="start", variant="primary")
            with Horizontal(id="resume-row"):
                yield Input(placeholder="Resume code, e.g. KX7P-3QMD", id="code", max_length=20)
                yield Button("Resume with a code", id="resume")
            yield Static("", id="code-message")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#code", Input).cursor_blink = not self.app.is_headless
        self.query_one("#start", Button).focus()

    @on(Button.Pressed, "#start")
    def action_start(self) -> None:
        self.app.start_new()

    def action_focus_code(self) -> None:
        self.query_one("#code", Input).focus()

    @on(Button.Pressed, "#resume")
    @on(Input.Submitted, "#code")
    def resume(self) -> None:
        field = self.query_one("#code", Input)
        message = self.query_one("#code-message", Static)
        if not field.value.strip():
            message.update(Content("Type the resume code you were given, e.g. KX7P-3QMD."))
            field.focus()
            return
        if not self.app.resume(field.value):
            message.update(Content.styled(WRONG_CODE, "bold $error"))
            message.add_class("-error")
            field.focus()


def _paragraphs(text: str) -> str:
    """TOML continuation lines are already joined; keep blank lines between paragraphs."""
    return "\n\n".join(p.strip() for p in text.split("\n\n") if p.strip())

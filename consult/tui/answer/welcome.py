"""Welcome: what the consultation is, the privacy notice, start or resume."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Static

from consult.tui.answer.widgets import safe

WRONG_CODE = "No response matches that code. Check it and try again."
CODE_IN_BOX = ("There is a code in the box: press Enter to resume with it. To start a new "
               "response instead, clear the box first.")


class WelcomeScreen(Screen):
    BINDINGS = [
        Binding("ctrl+o", "start", "Start", tooltip="Start a new response", id="start"),
        Binding("ctrl+l", "focus_code", "Resume", tooltip="Type your resume code", id="resume"),
        # The text above scrolls whatever has the focus (nothing else here uses these keys).
        Binding("down", "scroll_text('down')", "Read on", tooltip="Scroll the text down",
                id="read-on"),
        Binding("up", "scroll_text('up')", "Back up", show=False),
        Binding("pagedown", "scroll_text('page_down')", "Page down", show=False),
        Binding("pageup", "scroll_text('page_up')", "Page up", show=False),
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
        yield Static("", id="more-hint")
        with Vertical(id="welcome-actions"):
            with Horizontal(id="start-row"):
                yield Button("Start a new response", id="start", variant="primary")
            with Horizontal(id="resume-row"):
                # No select-all on focus: a letter typed elsewhere on this screen is put in the
                # box and focuses it (see on_key), and the next letters must add to it.
                yield Input(placeholder="Resume code, e.g. KX7P3-QMDRT", id="code", max_length=20,
                            select_on_focus=False)
                yield Button("Resume with a code", id="resume")
            yield Static("", id="code-message")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#code", Input).cursor_blink = not self.app.is_headless
        self.query_one("#start", Button).focus()
        self.call_after_refresh(self._more_hint)

    def action_scroll_text(self, how: str) -> None:
        text = self.query_one("#welcome-text", VerticalScroll)
        getattr(text, f"scroll_{how}")(animate=False)
        self.call_after_refresh(self._more_hint)

    def on_resize(self) -> None:
        self.call_after_refresh(self._more_hint)

    def _more_hint(self) -> None:
        """Say when the text goes on below the visible part, and how to read it."""
        text = self.query_one("#welcome-text", VerticalScroll)
        more = text.max_scroll_y > 0 and text.scroll_y < text.max_scroll_y
        self.query_one("#more-hint", Static).update(
            Content("↓ More below: press the Down arrow or PgDn to read on.") if more else Content(""))

    @property
    def code_field(self) -> Input:
        return self.query_one("#code", Input)

    def has_code(self) -> bool:
        return bool(self.code_field.value.strip())

    def on_key(self, event: events.Key) -> None:
        """A returning member may just type their code, wherever the focus is: a letter or digit
        goes into the code box. Enter or Space on "Start a new response" starts one only while
        the box is empty; with a code in it, Enter resumes and Space goes into the box.

        Keys reach this handler (bubbling up from the focused widget) before any binding is
        checked, so stopping one here also stops the Start button's own Enter binding.
        """
        field = self.code_field
        focused = self.app.focused
        if focused is field:
            return
        start = self.query_one("#start", Button)
        character = event.character or ""
        if event.is_printable and character.isalnum():
            self._stop(event)
            self._type_into_code(character)
        elif focused is start and event.key in ("enter", "space"):
            self._stop(event)
            if not self.has_code():
                self._start()
            elif event.key == "enter":
                self.resume()
            else:
                self._type_into_code(" ")

    def on_paste(self, event: events.Paste) -> None:
        """Pasting a code while the focus is elsewhere on this screen pastes it into the box."""
        field = self.code_field
        if self.app.focused is not field and event.text.strip():
            event.stop()
            self._type_into_code(event.text.splitlines()[0].strip())

    @staticmethod
    def _stop(event: events.Key) -> None:
        event.stop()
        event.prevent_default()

    def _type_into_code(self, text: str) -> None:
        field = self.code_field
        field.cursor_position = len(field.value)
        field.insert_text_at_cursor(text)
        field.focus()

    @on(Button.Pressed, "#start")
    def start_pressed(self) -> None:
        """The Start button clicked (its keys are handled in :meth:`on_key`)."""
        self._start()

    def _start(self) -> None:
        problem = self.app.start_new()
        if problem:
            self.app.bell()
            self.query_one("#code-message", Static).update(Content.styled(problem, "bold $error"))

    def action_start(self) -> None:
        """Ctrl+O: start a new response, but not while a code is waiting in the box."""
        if self.has_code():
            message = self.query_one("#code-message", Static)
            message.update(Content.styled(CODE_IN_BOX, "bold $warning"))
            self.code_field.focus()
            self.app.bell()
            return
        self._start()

    def action_focus_code(self) -> None:
        self.query_one("#code", Input).focus()

    @on(Button.Pressed, "#resume")
    @on(Input.Submitted, "#code")
    def resume(self) -> None:
        field = self.query_one("#code", Input)
        message = self.query_one("#code-message", Static)
        if not field.value.strip():
            message.update(Content("Type the resume code you were given, e.g. KX7P3-QMDRT."))
            field.focus()
            return
        if not self.app.resume(field.value):
            message.update(Content.styled(WRONG_CODE, "bold $error"))
            message.add_class("-error")
            field.focus()


def _paragraphs(text: str) -> str:
    """TOML continuation lines are already joined; keep blank lines between paragraphs."""
    return "\n\n".join(p.strip() for p in text.split("\n\n") if p.strip())

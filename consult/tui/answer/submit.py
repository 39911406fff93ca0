"""Submitting: a confirmation, then the receipt with the resume code and a Markdown copy."""

from __future__ import annotations

import io
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Footer, Header, Input, Static

from consult.text import clean
from consult.tui.answer.app import submitted_words
from consult.tui.answer.export import (
    default_export_name,
    free_name,
    refusal,
    response_markdown,
    write_new,
)

# At most this many missing items are listed in the confirmation; the rest are counted.
MISSING_SHOWN = 5


class ConfirmSubmitScreen(ModalScreen[str | None]):
    """Confirm submitting; or, while something required is empty, say what and offer to go there.

    Dismisses with ``"submit"``, ``"missing"`` (go to the first missing item) or ``None``.
    """

    BINDINGS = [
        Binding("escape", "cancel", "Not yet", tooltip="Go back without submitting", id="cancel"),
        Binding("ctrl+t", "confirm", "Submit", tooltip="Submit your response", id="confirm"),
    ]

    def __init__(self, missing: list[tuple[str, str]] | None = None) -> None:
        super().__init__()
        self.missing = list(missing or [])

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog"):
            if self.missing:
                yield from self._compose_missing()
            else:
                yield from self._compose_confirm()
        yield Footer()

    def _compose_missing(self) -> ComposeResult:
        shown = self.missing[:MISSING_SHOWN]
        lines = ["These are required and still empty:"]
        lines += [f"• {label}" for _, label in shown]
        if len(self.missing) > len(shown):
            lines.append(f"• and {len(self.missing) - len(shown)} more")
        lines.append("")
        lines.append("Enter: go to the first one and fill it in.")
        yield Static(Content.styled("You cannot submit yet", "bold $error"), id="confirm-title")
        yield Static(Content("\n".join(lines)), id="confirm-text")
        with Horizontal(id="confirm-buttons"):
            yield Button("Go to the first one", id="go-missing", variant="primary")
            yield Button("Not yet", id="cancel")

    def _compose_confirm(self) -> ComposeResult:
        app = self.app
        questions = app.bank.questions
        unanswered = [q for q in questions if not app.answers.get(q.id, "").strip()]
        lines = [f"You have answered {len(questions) - len(unanswered)} of {len(questions)} questions."]
        if app.respondent.submitted:
            lines.append(f"This response was submitted before, on "
                         f"{submitted_words(app.respondent.submitted_at)}. Submitting again "
                         f"sends your changes: {app.bank.organiser} will use this version instead.")
        lines.append("You can still reopen it with your resume code and change it later.")
        yield Static(Content.styled(f"Submit your response to {app.bank.organiser}?", "bold"),
                     id="confirm-title")
        yield Static(Content("\n".join(lines)), id="confirm-text")
        with Horizontal(id="confirm-buttons"):
            yield Button("Submit", id="confirm", variant="primary")
            yield Button("Not yet", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#go-missing" if self.missing else "#confirm", Button).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # While something required is empty, Ctrl+T (again) does not submit, and the footer
        # does not offer it.
        return not (action == "confirm" and self.missing)

    @on(Button.Pressed, "#confirm")
    def action_confirm(self) -> None:
        if self.missing:
            self.app.bell()
            return
        self.dismiss("submit")

    @on(Button.Pressed, "#go-missing")
    def go_missing(self) -> None:
        self.dismiss("missing")

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class ReceiptScreen(Screen):
    BINDINGS = [
        Binding("ctrl+n", "copy_code", "Copy code", tooltip="Copy the resume code to the clipboard",
                id="copy"),
        Binding("ctrl+f", "save_copy", "Save copy", tooltip="Save your response to a new file",
                id="save-copy"),
        Binding("ctrl+r", "app.review", "Review", tooltip="See every answer; change any of them",
                id="amend"),
    ]

    def compose(self) -> ComposeResult:
        app = self.app
        code = app.code or ""
        yield Header()
        with VerticalScroll(id="receipt"):
            yield Static(Content.styled("Thank you: your response has been submitted.", "bold"),
                         id="thanks")
            yield Static(Content("Your resume code is below. Keep it, and keep it private: it is "
                                 "the only way back to your response. We keep only a scrambled "
                                 "version of it, so we cannot tell you it if you lose it."))
            yield Static(Content(code), id="receipt-code")
            yield Static(Content("With it you can reopen this response, change it and submit "
                                 "it again."), classes="note")
            with Horizontal(classes="row"):
                yield Button("Copy code", id="copy")
                yield Button("Amend my answers", id="amend")
                yield Button("Quit", id="quit", variant="error")
            yield Static("", id="copy-message")
            yield Static(Content("Save a copy of your whole response (Markdown):"),
                         classes="note")
            with Horizontal(classes="row"):
                yield Input(free_name(Path.cwd(), default_export_name(code)), id="export-path")
                yield Button("Save copy", id="save-copy", variant="primary")
            yield Static("", id="export-message")
        yield Footer()

    def on_mount(self) -> None:
        # No toast on this screen: one would sit over the Save-copy field. What this screen has
        # to say it says in place (see #copy-message and #export-message).
        self.app.clear_notifications()
        self.query_one("#export-path", Input).cursor_blink = not self.app.is_headless
        self.query_one("#copy", Button).focus()

    def flush_answers(self) -> None:
        """Nothing to save here."""

    @on(Button.Pressed, "#copy")
    def action_copy_code(self) -> None:
        if self.app.code:
            self.app.copy_to_clipboard(self.app.code)
            self.query_one("#copy-message", Static).update(Content.assemble(
                ("Copied ✓ ", "$success"), "to the clipboard (if your terminal allows it)."))

    @on(Button.Pressed, "#amend")
    def amend(self) -> None:
        self.app.go_review()

    @on(Button.Pressed, "#quit")
    async def quit(self) -> None:
        await self.app.action_quit()

    @on(Button.Pressed, "#save-copy")
    @on(Input.Submitted, "#export-path")
    def action_save_copy(self) -> None:
        """Save the Markdown copy to a new file; never over an existing file or a database."""
        app = self.app
        message = self.query_one("#export-message", Static)
        raw = self.query_one("#export-path", Input).value.strip()
        if not raw:
            message.update(Content.styled("Type a file name first.", "$warning"))
            return
        if app.is_web:
            # `consult serve`: a path typed in a browser names a file on the server. Never write
            # there; the browser downloads the copy instead.
            text = response_markdown(app.bank, app.refresh_respondent(),
                                     app.store.answers(app.respondent.id), app.code)
            name = Path(raw).name if Path(raw).name.endswith(".md") else "my-response.md"
            app.deliver_text(io.StringIO(text), save_filename=name, mime_type="text/markdown")
            message.update(Content.assemble(("Sent ✓ ", "$success"), "your browser downloads ",
                                            clean(name)))
            return
        target = Path(raw).expanduser()
        why_not = refusal(target, app.store.path)
        if why_not:
            self.app.bell()
            message.update(Content.styled(f"Not saved: {clean(why_not)}", "bold $warning"))
            return
        text = response_markdown(app.bank, app.refresh_respondent(),
                                 app.store.answers(app.respondent.id), app.code)
        try:
            written = write_new(target, text)
        except FileExistsError:
            message.update(Content.styled(f"Not saved: {clean(target.name)} already exists: "
                                          "type a new file name.", "bold $warning"))
            return
        except OSError as exc:
            message.update(Content.styled(f"Could not save: {clean(exc.strerror or str(exc))}",
                                          "bold $error"))
            return
        message.update(Content.assemble(("Saved ✓ ", "$success"), clean(str(written)),
                                        " (only you can read it)"))

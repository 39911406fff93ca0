"""Profile and consent: who is answering and what the bank's publisher may do with the response.

Every change is saved at once (the profile is small and each save is well under a millisecond).
"""

from __future__ import annotations

import re

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Footer, Header, Input, Select, SelectionList, Static
from textual.widgets.selection_list import Selection

from consult.kinds import profile_kind
from consult.questions import ProfileField
from consult.text import clean
from consult.tui.answer.ticks import TickBox, TickList
from consult.tui.answer.widgets import css_id, safe

# Loose on purpose: one @, something either side, a dot in the domain.
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class ProfileScreen(Screen):
    BINDINGS = [
        Binding("pagedown", "next", "Questions", tooltip="Go to the first section", priority=True,
                id="next"),
        Binding("ctrl+r", "app.review", "Review", tooltip="See every answer", id="review"),
    ]

    def __init__(self, *, focus_field: str | None = None) -> None:
        super().__init__()
        self.focus_field = focus_field

    def compose(self) -> ComposeResult:
        app = self.app
        respondent = app.refresh_respondent()
        profile, consent = respondent.profile, respondent.consent
        yield Header()
        with VerticalScroll(id="profile-form"):
            if app.new_response and app.code:
                yield Static(Content.assemble(
                    "Your resume code is ", (app.code, "bold"),
                    ". Write it down now: you need it to come back to this response."),
                    id="code-banner")
            yield Static(Content.styled("About your organisation", "bold"), classes="heading")
            for f in app.bank.profile:
                yield from self._field(f, profile.get(f.id))
            if app.bank.consent:
                yield Static(Content.styled(f"What {app.bank.organiser} may do with your response", "bold"),
                             classes="heading")
                for item in app.bank.consent:
                    # The text above, not as the label: a Checkbox label does not wrap at 80 columns.
                    yield Static(safe(item.text), classes="consent-text")
                    yield TickBox(bool(consent.get(item.id, False)),
                                  id=f"consent-{css_id(item.id)}", classes="consent")
            yield Button("Continue to the questions", id="continue", variant="primary")
        yield Footer()

    def _field(self, f: ProfileField, value) -> ComposeResult:
        label = Content(clean(f.text)) + (Content.styled(" (required)", "italic") if f.required else "")
        yield Static(label, classes="field-label")
        wid = f"profile-{css_id(f.id)}"
        kind = profile_kind(f)
        if kind.typed:
            yield Input(value=value if isinstance(value, str) else "", id=wid, placeholder=kind.placeholder,
                        classes="profile-input profile-email" if kind.email else "profile-input")
            if kind.email:
                yield Static("", id=f"{wid}-message", classes="field-message")
        elif kind.one_value:
            yield Select([(Content(clean(o)), o) for o in f.options], prompt="Choose one",
                         value=value if value in f.options else Select.NULL, id=wid)
        else:
            chosen = set(value or []) if isinstance(value, list) else set()
            yield TickList(*[Selection(Content(clean(o)), o, o in chosen) for o in f.options],
                           id=wid, classes="profile-multi")

    def on_mount(self) -> None:
        for field in self.query(Input):
            field.cursor_blink = not self.app.is_headless
        target = None
        if self.focus_field and any(f.id == self.focus_field for f in self.app.bank.profile):
            target = self.query_one(f"#profile-{css_id(self.focus_field)}")
        if target is None:
            self.query(Input).first().focus()
            return
        # Sent here to fill in a field (a required one left empty): focus it, in view.
        target.focus(scroll_visible=False)
        self.call_after_refresh(target.scroll_visible, animate=False)

    # ------------------------------------------------------------------ saving
    def _collect_profile(self) -> dict:
        out: dict = {}
        for f in self.app.bank.profile:
            wid = f"#profile-{css_id(f.id)}"
            kind = profile_kind(f)
            if kind.typed:
                value = self.query_one(wid, Input).value
                if value.strip():
                    out[f.id] = value
            elif kind.one_value:
                value = self.query_one(wid, Select).value
                if value is not Select.NULL and value is not None:
                    out[f.id] = value
            else:
                chosen = self.query_one(wid, SelectionList).selected
                if chosen:
                    out[f.id] = [o for o in f.options if o in chosen]
        return out

    def _save_profile(self) -> None:
        self.app.save_profile(self._collect_profile())

    @on(Input.Changed, ".profile-input")
    def input_changed(self, event: Input.Changed) -> None:
        self._save_profile()
        if event.input.has_class("profile-email"):  # by the field's kind, whatever its id
            self._check_email(event.input)

    def _check_email(self, field: Input) -> None:
        value = field.value.strip()
        message = self.query_one(f"#{field.id}-message", Static)
        if value and not EMAIL.match(value):
            message.update(Content.styled("That does not look like an email address (it is "
                                          "saved anyway).", "$warning"))
        else:
            message.update("")

    @on(Select.Changed)
    @on(SelectionList.SelectedChanged)
    def choice_changed(self) -> None:
        self._save_profile()

    @on(Checkbox.Changed, ".consent")
    def consent_changed(self) -> None:
        consent = {item.id: self.query_one(f"#consent-{css_id(item.id)}", Checkbox).value
                   for item in self.app.bank.consent}
        self.app.save_consent(consent)

    def flush_answers(self) -> None:
        """Everything here is saved as it changes; nothing waits."""

    # ------------------------------------------------------------------ moving on
    @on(Button.Pressed, "#continue")
    def action_next(self) -> None:
        self.app.go_next_section(None)

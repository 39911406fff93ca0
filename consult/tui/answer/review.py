"""Review: every question by section with its answer; Enter jumps back to edit it."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from consult.kinds import kind_of
from consult.questions import Question
from consult.text import clean
from consult.tui.answer.app import filled, short

# Profile values and chosen options are short; beyond this they are cut (answers never are).
PREVIEW_CHARS = 220
# At most this many missing required items are named in the header; the rest are counted.
MISSING_SHOWN = 5


def answer_preview(text: str) -> str:
    flat = " ".join(clean(text).split())
    return flat if len(flat) <= PREVIEW_CHARS else flat[: PREVIEW_CHARS - 1].rstrip() + "…"


def full_answer(text: str) -> Content:
    """A free-text answer in full, as written (its own line breaks kept, blank lines squeezed),
    indented under its question; the list wraps it at word boundaries."""
    lines = [" ".join(line.split()) for line in clean(text).strip().splitlines()]
    kept: list[str] = []
    for line in lines:
        if line or (kept and kept[-1]):
            kept.append(line)
    return Content("\n    ".join(kept))


def chosen_preview(q: Question, text: str) -> str:
    """A choice, multi or scale answer in words: the option(s) chosen, or the number."""
    chosen = [" ".join(clean(c).split()) for c in q.answer_values(text)]
    return answer_preview(kind_of(q).in_words(q, chosen))


class ReviewScreen(Screen):
    BINDINGS = [
        Binding("enter", "edit", "Edit", tooltip="Go back to the highlighted question", id="edit"),
        Binding("ctrl+t", "app.submit", "Submit", tooltip="Send your response (you confirm first)",
                id="submit"),
        Binding("escape", "back", "Back", tooltip="Back to the questions", id="back"),
    ]

    def __init__(self, *, highlight: str | None = None) -> None:
        super().__init__()
        self.highlight = highlight

    def compose(self) -> ComposeResult:
        app = self.app
        total = len(app.bank.questions)
        answered = sum(1 for q in app.bank.questions if app.answers.get(q.id, "").strip())
        summary = Content(f"{answered} of {total} questions answered. Enter: edit the "
                          "highlighted one.")
        missing = app.missing_required()
        if missing:
            labels = [label for _, label in missing[:MISSING_SHOWN]]
            if len(missing) > MISSING_SHOWN:
                labels.append(f"and {len(missing) - MISSING_SHOWN} more")
            summary += Content.assemble(
                "\n", ("Required before you can submit: ", "bold $error"), "; ".join(labels) + ".")
        if app.respondent is not None and app.respondent.submitted:
            summary += Content("\n" + app.submitted_notice())
        yield Header()
        yield Static(summary, id="review-summary")
        yield OptionList(*self._options(), id="review-list")
        with Horizontal(id="review-buttons"):
            yield Button("Back to the questions", id="back")
            yield Button("Submit response", id="submit", variant="primary")
        yield Footer()

    def _options(self) -> list[Option | None]:
        app = self.app
        options: list[Option | None] = [Option(self._profile_prompt(), id="profile")]
        for number, section in enumerate(app.bank.sections, start=1):
            options.append(None)
            options.append(Option(Content.styled(f"{number}. {clean(section.title)}", "bold $accent"),
                                  id=f"section:{section.id}", disabled=True))
            for q in section.questions:
                text = app.answers.get(q.id, "")
                head = Content.assemble((f"Q{app.numbers[q.id]}. ", "bold"), clean(q.text))
                if text.strip():
                    body = full_answer(text) if q.is_free_text else Content(chosen_preview(q, text))
                elif q.required:
                    body = Content.styled("⚠ Not answered (required)", "bold $error")
                else:
                    body = Content.styled("⚠ Not answered", "$warning")
                options.append(Option(Content.assemble(head, "\n    ", body), id=f"question:{q.id}"))
        return options

    def _profile_prompt(self) -> Content:
        """Every profile answer given, and each consent item with the member's Yes or No, so
        that they see what they consent to before they submit. (It is their own response, so
        the personal fields are shown too.)"""
        app = self.app
        respondent = app.refresh_respondent()
        profile = respondent.profile if respondent else {}
        consent = respondent.consent if respondent else {}
        lines: list[Content] = []
        for f in app.bank.profile:
            value = profile.get(f.id)
            if filled(value):
                shown = "; ".join(str(v) for v in value) if isinstance(value, list) else str(value)
                label = " ".join(clean(f.text).split())
                label = label if label.endswith(("?", ":")) else label + ":"
                lines.append(Content.assemble((label, "bold"), " ", answer_preview(shown)))
            elif f.role == "organisation":
                lines.append(Content.styled("⚠ Organisation not given (required)", "bold $error")
                             if f.required else
                             Content.styled("Organisation not given", "$warning"))
            elif f.required:
                lines.append(Content.styled(f"⚠ {short(f.text)}: not given (required)",
                                            "bold $error"))
        if not lines:
            lines.append(Content.styled("No profile answers given", "$warning"))
        if app.bank.consent:
            lines.append(Content.styled("Consent:", "bold"))
            for item in app.bank.consent:
                given = bool(consent.get(item.id, False))
                lines.append(Content.assemble(
                    ("Yes" if given else "No ", "bold $success" if given else "bold"),
                    "  ", " ".join(clean(item.text).split())))
        prompt = Content.styled("Profile and consent", "bold")
        for line in lines:
            prompt += Content("\n    ") + line
        return prompt

    def on_mount(self) -> None:
        review = self.query_one("#review-list", OptionList)
        target = f"question:{self.highlight}" if self.highlight else None
        if target is None:
            first_missing = next((q for q in self.app.bank.questions
                                  if not self.app.answers.get(q.id, "").strip()), None)
            target = f"question:{first_missing.id}" if first_missing else "profile"
        review.highlighted = review.get_option_index(target)
        review.focus()

    def flush_answers(self) -> None:
        """Nothing to save here."""

    @on(OptionList.OptionSelected, "#review-list")
    def selected(self, event: OptionList.OptionSelected) -> None:
        self._open(event.option.id)

    def action_edit(self) -> None:
        review = self.query_one("#review-list", OptionList)
        if review.highlighted is not None:
            self._open(review.get_option_at_index(review.highlighted).id)

    def _open(self, target: str | None) -> None:
        kind, _, value = (target or "").partition(":")
        if kind == "question":
            self.app.go_section(self.app.bank.question(value).section_id, value)
        elif kind == "profile":
            self.app.go_profile()

    @on(Button.Pressed, "#submit")
    def submit(self) -> None:
        self.app.go_submit()

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        self.app.open_position(None if not self.app.bank.sections
                               else f"section:{self.app.bank.sections[-1].id}")

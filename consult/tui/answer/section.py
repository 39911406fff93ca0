"""A section of the paper: its context, then each key question with an editor (or options to
pick) that saves as the member goes."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.events import DescendantFocus
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from consult.questions import Section
from consult.text import clean
from consult.tui.answer.widgets import (
    QuestionBox,
    SaveIndicator,
    css_id,
    make_answer_box,
    safe,
)

SIDEBAR_TITLE_WIDTH = 14


def nav_options(app, current: str) -> list[Option]:
    """Sidebar entries: profile, each section with answered/total, review."""
    options = [Option(Content("Profile & consent"), id="profile")]
    for number, section in enumerate(app.bank.sections, start=1):
        options.append(Option(section_prompt(app, number, section), id=f"section:{section.id}"))
    options.append(Option(Content("Review & submit"), id="review"))
    return options


def section_prompt(app, number: int, section: Section) -> Content:
    title = " ".join(clean(section.title).split())
    if len(title) > SIDEBAR_TITLE_WIDTH:
        title = title[: SIDEBAR_TITLE_WIDTH - 1].rstrip() + "…"
    done, total = app.answered(section), len(section.questions)
    progress = Content.styled(f"{done}/{total}", "$success" if done == total else "$text-muted")
    return Content.assemble(f"{number}. {title}".ljust(SIDEBAR_TITLE_WIDTH + 4), progress)


class SectionScreen(Screen):
    BINDINGS = [
        Binding("pagedown", "next_section", "Next section", tooltip="Save and go to the next section",
                priority=True, id="next-section"),
        Binding("pageup", "previous_section", "Previous", tooltip="Save and go back a section",
                priority=True, id="previous-section"),
        Binding("ctrl+r", "app.review", "Review", tooltip="See every answer before submitting",
                id="review"),
        Binding("ctrl+s", "save", "Save", tooltip="Save now (it also saves by itself)", show=False,
                id="save"),
    ]

    def __init__(self, section: Section, *, focus_question: str | None = None) -> None:
        super().__init__()
        self.section = section
        self.focus_question = focus_question

    def compose(self) -> ComposeResult:
        app = self.app
        sections = app.bank.sections
        number = sections.index(self.section) + 1
        yield Header()
        with Horizontal(id="layout"):
            nav = OptionList(*nav_options(app, self.section.id), id="nav")
            nav.border_title = "Sections"
            yield nav
            with Vertical(id="main"):
                with Horizontal(id="status"):
                    yield Static(Content(f"Section {number} of {len(sections)}"), id="where")
                    yield SaveIndicator(id="saved")
                with VerticalScroll(id="pane"):
                    yield Static(safe(self.section.title), classes="section-title")
                    if self.section.context:
                        yield Static(safe(self.section.context), classes="section-context")
                    for q in self.section.questions:
                        yield make_answer_box(q, app.numbers[q.id], app.answers.get(q.id, ""),
                                              app.save_answer, id=f"box-{css_id(q.id)}")
                    last = number == len(sections)
                    yield Static(Content("PgDn: " + ("review your answers" if last
                                                     else "next section")), classes="end-hint")
        yield Footer()

    def on_mount(self) -> None:
        nav = self.query_one("#nav", OptionList)
        nav.highlighted = nav.get_option_index(f"section:{self.section.id}")
        indicator = self.query_one(SaveIndicator)
        if self.app.last_saved is not None:
            indicator.saved(self.app.saved_time())
        if self.focus_question:
            box = self.query_one(f"#box-{css_id(self.focus_question)}", QuestionBox)
            box.editor.focus()
            self.call_after_refresh(box.scroll_visible, top=True, animate=False)
        else:
            self.app.save_position(f"section:{self.section.id}")
            self.query(QuestionBox).first().editor.focus(scroll_visible=False)

    # ------------------------------------------------------------------ saving
    def flush_answers(self) -> None:
        for box in self.query(QuestionBox):
            box.flush()

    def action_save(self) -> None:
        self.flush_answers()
        if self.app.pending:
            self.app.retry_saves()
        self.save_state_changed()

    @on(QuestionBox.Dirty)
    def dirty(self) -> None:
        self.query_one(SaveIndicator).saving()

    @on(QuestionBox.Saved)
    def saved(self) -> None:
        self.save_state_changed()
        nav = self.query_one("#nav", OptionList)
        number = self.app.bank.sections.index(self.section) + 1
        nav.replace_option_prompt(f"section:{self.section.id}",
                                  section_prompt(self.app, number, self.section))

    def save_state_changed(self) -> None:
        """The indicator tells the truth: saving, saved (and when), or not saved yet."""
        indicator = self.query_one(SaveIndicator)
        if self.app.pending:
            indicator.not_saved()
        elif any(box.dirty for box in self.query(QuestionBox)):
            indicator.saving()
        else:
            indicator.saved(self.app.saved_time())

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        box = next((a for a in event.widget.ancestors_with_self if isinstance(a, QuestionBox)), None)
        if box is not None:
            self.app.save_position(f"question:{box.question.id}")

    def on_unmount(self) -> None:
        self.flush_answers()

    # ------------------------------------------------------------------ moving
    @on(OptionList.OptionSelected, "#nav")
    def nav_selected(self, event: OptionList.OptionSelected) -> None:
        target = event.option.id or ""
        if target == "profile":
            self.app.go_profile()
        elif target == "review":
            self.app.go_review()
        elif target.startswith("section:") and target != f"section:{self.section.id}":
            self.app.go_section(target.removeprefix("section:"))

    def action_next_section(self) -> None:
        self.app.go_next_section(self.section.id, +1)

    def action_previous_section(self) -> None:
        self.app.go_next_section(self.section.id, -1)

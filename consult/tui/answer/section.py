"""A section of the paper: its context, then each key question with an editor (or options to
pick) that saves as the member goes."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.events import DescendantFocus
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Header, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from consult.questions import Section
from consult.text import clean
from consult.tui.answer.app import amending_notice
from consult.tui.answer.widgets import (
    QuestionBox,
    SaveIndicator,
    css_id,
    make_answer_box,
    safe,
)


def nav_options(app, current: str) -> list[Option]:
    """Sidebar entries: profile, each section with answered/total, review."""
    options = [Option(Content("Profile & consent"), id="profile")]
    for number, section in enumerate(app.bank.sections, start=1):
        options.append(Option(section_prompt(app, number, section, current=section.id == current),
                              id=f"section:{section.id}"))
    options.append(Option(Content("Review & submit"), id="review"))
    return options


def section_prompt(app, number: int, section: Section, *, current: bool = False) -> Content:
    """"4. Involving the VCS in local service design 0/4", wrapped by the list: whole titles,
    so that sections whose titles start alike can be told apart at 80 columns."""
    title = " ".join(clean(section.title).split())
    done, total = app.answered(section), len(section.questions)
    progress = Content.styled(f"{done}/{total}" + (" ✓" if done == total else ""),
                              "$success" if done == total else "$text-muted")
    marker = ("▶ ", "bold") if current else ""  # where the member is, not by colour alone
    return Content.assemble(marker, f"{number}. {title}  ", progress)


class SectionIntro(Widget, can_focus=True):
    """The section's title and context: where a section opens, focus and all. Tab, Enter or
    typing goes on to the first question."""

    BINDINGS = [Binding("enter", "first_question", "First question", show=False)]

    def __init__(self, section: Section, first_number: int | None) -> None:
        super().__init__(classes="section-intro")
        self.section = section
        self.first_number = first_number

    def compose(self) -> ComposeResult:
        yield Static(safe(self.section.title), classes="section-title")
        if self.section.context:
            yield Static(safe(self.section.context), classes="section-context")
        if self.first_number is not None:
            yield Static(Content(f"Tab or Enter (or just start typing): answer Q{self.first_number}."),
                         classes="intro-hint")

    def _first_box(self) -> QuestionBox | None:
        return self.screen.query(QuestionBox).first() if self.screen.query(QuestionBox) else None

    def action_first_question(self) -> None:
        box = self._first_box()
        if box is not None:
            box.editor.focus(scroll_visible=False)  # the screen shows the whole box (_show_box)

    def on_key(self, event: events.Key) -> None:
        """A letter typed while reading the context starts the first answer (in view)."""
        box = self._first_box()
        if box is None or not event.is_printable or not event.character:
            return
        editor = box.editor
        if isinstance(editor, TextArea):
            event.stop()
            event.prevent_default()
            # Not Textual's own scroll (it centres the editor, or not, by which runs first): the
            # screen brings the whole box into view, the same way every time.
            editor.focus(scroll_visible=False)
            editor.insert(event.character)


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
                if app.amending:
                    yield Static(Content(amending_notice(app.bank)), id="amend-note")
                with VerticalScroll(id="pane"):
                    yield SectionIntro(self.section, app.numbers[self.section.questions[0].id]
                                       if self.section.questions else None)
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
            # The section opens at its context, with the focus on it: Tab (or typing) goes to
            # the first question, so an answer never lands in a box the member cannot see.
            self.app.save_position(f"section:{self.section.id}")
            self.query_one(SectionIntro).focus(scroll_visible=False)

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
                                  section_prompt(self.app, number, self.section, current=True))

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
            # The question with its editor in view, not just the editor.
            self.call_after_refresh(self._show_box, box)

    def _show_box(self, box: QuestionBox) -> None:
        if box.is_mounted and box.has_focus_within:
            self.query_one("#pane", VerticalScroll).scroll_to_widget(box, animate=False, top=False)

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

"""By question: one question's answers in a lazily paged table, and a reading pane."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Select, Static

from consult.store.search import AnswerRow
from consult.text import plural
from consult.tui.browse.actions import AnswerTableActions, QuestionPicker
from consult.tui.browse.dialogs import dialog_binding, typing_in_a_field
from consult.tui.browse.widgets import (
    MARKS,
    FilterBar,
    PagedTable,
    ReadingPane,
    flexible_width,
    marks,
    organisation_cell,
    safe_line,
)

PAGE = 100
WIDE = 120  # the app's "-wide" breakpoint: the reading pane moves beside the list
END_PAGE = 2000  # End loads every answer left, in pages this big


class QuestionScreen(QuestionPicker, AnswerTableActions, Screen):
    TITLE_TEXT = "By question"
    QUESTION_SELECT = "question-select"
    ANSWER_TABLE = "#question-table"
    ANSWER_COLUMNS = ("org", "words", "theme", "marks")
    BINDINGS = [
        Binding("enter", "open", "Open", tooltip="Read the answer and mark it read", show=False),
        Binding("u", "unread", "Unread only", tooltip="Show only answers you have not opened"),
        dialog_binding("f", "flag", "Flag", tooltip="Flag the answer for follow-up, with a note"),
        Binding("k", "key_quote", "Key quote", tooltip="Mark or unmark the answer as a key quote"),
        dialog_binding("K", "excerpt", "Quote excerpt", show=False,
                       tooltip="Choose which sentences of the answer the report quotes"),
        dialog_binding("x", "exclude", "Exclude", tooltip="Exclude the whole response, or restore it"),
        Binding("F", "filters", "Filters", tooltip="Show or hide the filters"),
        Binding("right_square_bracket", "next_question", "Next question", show=False),
        Binding("left_square_bracket", "previous_question", "Previous question", show=False),
        Binding("r", "respondent", "Whole response", show=False,
                tooltip="Open this answer's respondent"),
        Binding("tab", "app.focus_next", "Reading pane", show=False),
    ]

    def __init__(self, question_id: str | None = None):
        super().__init__()
        self.question_id = question_id
        self.rows: dict[str, AnswerRow] = {}
        self.last_id = 0

    def compose(self) -> ComposeResult:
        app = self.app
        yield Header(show_clock=False)
        with Horizontal(id="question-top"):
            yield self.question_caption()
            yield self.question_select()
            yield Static(id="question-count")
        yield FilterBar(app.bank.breakdown_fields, app.store.theme_labels(app.bank.id, self.question_id))
        with Horizontal(id="question-main"):
            table = PagedTable(id="question-table", cursor_type="row", zebra_stripes=True)
            org, theme = self.column_widths()
            table.add_column("Organisation", key="org", width=org)
            table.add_column("Words", key="words", width=5)
            table.add_column("Theme", key="theme", width=theme)
            table.add_column("●★⚑✗", key="marks", width=4)
            yield table
            yield ReadingPane()
        yield Footer()

    def column_widths(self) -> tuple[int, int]:
        """Organisation and theme share what the screen's width leaves (the table is 3/5 of it
        from 120 columns, beside the reading pane)."""
        width = self.app.size.width
        table = width * 3 // 5 if width >= WIDE else width
        flexible = flexible_width(table - 1, (5, MARKS), minimum=30)  # 1: the focus bar
        return flexible * 11 // 20, flexible - flexible * 11 // 20

    def on_resize(self) -> None:
        """Columns follow the screen's width when the terminal is resized."""
        org, theme = self.column_widths()
        self.query_one(PagedTable).set_widths({"org": org, "theme": theme})

    def on_mount(self) -> None:
        self.reload()
        self.query_one(PagedTable).focus()
        self.query_one(ReadingPane).return_to = self.query_one(PagedTable)

    # ------------------------------------------------------------------ loading
    def filters(self):
        return self.query_one(FilterBar).filters(self.app.user)

    def reload(self) -> None:
        table = self.query_one(PagedTable)
        table.clear()
        self.rows.clear()
        self.last_id = 0
        self.load_more()
        self.update_count()
        self.preview()

    def update_count(self) -> None:
        app = self.app
        filters = self.filters()
        total = app.store.count_answers(app.bank.id, self.question_id, filters)
        text = Text(plural(total, "answer"))
        if filters.active:
            text.append(" (filtered)", style="bold")
        self.query_one("#question-count", Static).update(text)

    def load_more(self, limit: int = PAGE) -> None:
        app = self.app
        table = self.query_one(PagedTable)
        page = app.store.answer_page(app.bank.id, self.question_id, user=app.user, filters=self.filters(),
                                     after_id=self.last_id, limit=limit, org_field=app.org_field)
        for row in page:
            self.rows[row.respondent_id] = row
            table.add_row(*self.cells(row), key=row.respondent_id)
        if page:
            self.last_id = page[-1].answer_id
        table.more_available = len(page) == limit

    def cells(self, row: AnswerRow) -> list[Text]:
        return [organisation_cell(row),
                Text(str(row.words), justify="right"),
                safe_line(row.theme or "—", 80, style="" if row.theme else "dim"),
                marks(row)]

    @on(PagedTable.NeedMore)
    def _more(self, event: PagedTable.NeedMore) -> None:
        if event.to_end:
            while event.table.more_available:
                self.load_more(limit=END_PAGE)
            event.table.loaded_to_end()
        elif event.table.more_available:
            self.load_more()

    # ------------------------------------------------------------------ current answer
    # current(), preview(), refresh_row() and action_open() come from AnswerTableActions.
    def refresh_data(self) -> None:
        self.reload()

    @on(DataTable.RowHighlighted, "#question-table")
    def _highlighted(self) -> None:
        self.preview()

    @on(DataTable.RowSelected, "#question-table")
    def _selected(self) -> None:
        self.action_open()

    # ------------------------------------------------------------------ navigation and filters
    @on(Select.Changed, "#question-select")
    def _question_changed(self, event: Select.Changed) -> None:
        if event.value is Select.NULL or event.value == self.question_id and self.rows:
            return
        self.question_id = event.value
        self.query_one(FilterBar).set_themes(self.app.store.theme_labels(self.app.bank.id, self.question_id))
        self.reload()

    @on(FilterBar.Changed)
    def _filters_changed(self) -> None:
        self.reload()

    def action_filters(self) -> None:
        self.toggle_class("-filters")
        if self.has_class("-filters"):
            self.query_one(FilterBar).query_one(Select).focus()
        else:
            self.query_one(PagedTable).focus()

    def check_action(self, action: str, parameters) -> bool | None:
        # While typing in a filter, the letter belongs to the field.
        return not (action in ("flag", "exclude", "excerpt") and typing_in_a_field(self))

    def action_unread(self) -> None:
        self.query_one(FilterBar).toggle_unread()

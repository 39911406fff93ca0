"""Search: full-text search over every answer (SQLite FTS5), grouped by question, with filters.

The query is typed as plain words; the store quotes each one, so no character typed is ever
FTS5 syntax. A trailing ``*`` searches a prefix. Matches are highlighted with Text spans.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from consult.store.search import AnswerRow, fts_query
from consult.tui.browse.actions import AnswerActions
from consult.tui.browse.widgets import (
    FilterBar,
    ReadingPane,
    marks,
    organisation,
    safe_line,
    snippet,
)

LIMIT = 200


class SearchScreen(AnswerActions, Screen):
    TITLE_TEXT = "Search"
    BINDINGS = [
        Binding("enter", "open", "Open", tooltip="Read the answer and mark it read", show=False),
        Binding("down", "results", "Results", show=False),
        Binding("ctrl+f", "filters", "Filters", tooltip="Show or hide the filters"),
        Binding("ctrl+k", "key_quote", "Key quote", tooltip="Mark or unmark the answer as a key quote"),
        Binding("ctrl+g", "flag", "Flag", tooltip="Flag the answer for follow-up, with a note"),
        Binding("ctrl+r", "respondent", "Whole response", tooltip="Open this answer's respondent"),
        Binding("ctrl+x", "exclude", "Exclude", show=False, tooltip="Exclude the response, or restore it"),
    ]

    def __init__(self, query: str = ""):
        super().__init__()
        self.initial = query
        self.rows: dict[str, AnswerRow] = {}
        self.timer: Timer | None = None
        self.question_id = None
        self.snippet_width = 70

    def compose(self) -> ComposeResult:
        app = self.app
        yield Header(show_clock=False)
        yield Input(self.initial, placeholder="Search answers: words, or prefix*  (Enter searches now)",
                    id="search-query", compact=True)
        yield FilterBar(app.bank.breakdown_fields, app.store.theme_labels(app.bank.id))
        yield Static(id="search-status")
        with Horizontal(id="search-main"):
            yield OptionList(id="search-results")
            yield ReadingPane()
        yield Footer()

    def on_mount(self) -> None:
        box = self.query_one(Input)
        box.cursor_blink = False
        box.focus()
        self.query_one(ReadingPane).return_to = self.query_one(OptionList)
        self.run_search()

    def focus_query(self) -> None:
        self.query_one(Input).focus()

    # ------------------------------------------------------------------ searching
    @on(Input.Changed, "#search-query")
    def _typed(self) -> None:
        if self.timer:
            self.timer.stop()
        self.timer = self.set_timer(0.3, self.run_search)

    @on(Input.Submitted, "#search-query")
    def _submitted(self) -> None:
        if self.timer:
            self.timer.stop()
        self.run_search()
        results = self.query_one(OptionList)
        if results.option_count:
            results.focus()

    @on(FilterBar.Changed)
    def _filters_changed(self) -> None:
        self.run_search()

    def run_search(self) -> None:
        app = self.app
        text = self.query_one(Input).value
        filters = self.query_one(FilterBar).filters(app.user)
        status = self.query_one("#search-status", Static)
        results = self.query_one(OptionList)
        results.clear_options()
        self.rows.clear()
        if not fts_query(text) and not filters.active:
            status.update(Text("Type to search every answer; filters narrow the results.", style="dim"))
            self.query_one(ReadingPane).show(None)
            return
        found, counts = app.store.search_answers(app.bank.id, text, user=app.user, filters=filters,
                                                 limit=LIMIT, org_field=app.org_field)
        total = sum(counts.values())
        line = Text(f"{total:,} answers in {len(counts)} questions")
        if total > len(found):
            line.append(f" — showing the first {len(found)}; add words or filters to narrow", style="dim")
        status.update(line)
        options: list[Option] = []
        current_q = None
        self.snippet_width = max(30, (results.size.width or 80) - 8)
        for row in found:
            if row.question_id != current_q:
                current_q = row.question_id
                head = Text(app.question_label(row.question_id, self.snippet_width - 8), style="bold underline")
                head.append(f"  {counts.get(row.question_id, 0):,}", style="dim")
                options.append(Option(head, disabled=True))
            key = result_key(row.respondent_id, row.question_id)
            self.rows[key] = row
            options.append(Option(self.result_label(row), id=key))
        results.add_options(options)
        if self.rows:
            first = next(i for i, o in enumerate(options) if not o.disabled)
            results.highlighted = first
        self.preview()

    def result_label(self, row: AnswerRow) -> Text:
        """One result, indented under its question: marks, organisation, theme, the matching line."""
        label = Text("  ")
        label.append_text(marks(row))
        label.append(" ")
        label.append_text(organisation(row.organisation, row.respondent_id))
        if row.theme:
            label.append("  · ")
            label.append_text(safe_line(row.theme, 40, style="italic"))
        label.append("\n    ")
        label.append_text(snippet(row.text, row.spans, self.snippet_width))
        return label

    # ------------------------------------------------------------------ current answer
    def current(self) -> AnswerRow | None:
        results = self.query_one(OptionList)
        if results.highlighted is None:
            return None
        option = results.get_option_at_index(results.highlighted)
        return self.rows.get(option.id) if option.id else None

    def preview(self) -> None:
        """Results mix questions, so the pane also says which question the answer is to."""
        row = self.current()
        pane = self.query_one(ReadingPane)
        pane.show(row, question=self.app.question_label(row.question_id) if row else "")

    def refresh_row(self, respondent_id: str, question_id: str) -> None:
        app = self.app
        key = result_key(respondent_id, question_id)
        old = self.rows.get(key)
        row = app.store.answer_row(app.bank.id, respondent_id, question_id, user=app.user,
                                   org_field=app.org_field)
        if row is None or old is None:
            return
        row.spans = old.spans  # the store's row knows nothing of the query: keep its matches
        self.rows[key] = row
        self.query_one(OptionList).replace_option_prompt(key, self.result_label(row))
        self.preview()

    def refresh_data(self) -> None:
        self.run_search()

    @on(OptionList.OptionHighlighted, "#search-results")
    def _highlighted(self) -> None:
        self.preview()

    @on(OptionList.OptionSelected, "#search-results")
    def _selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        """Enter in the query box searches now; anywhere else it opens the answer."""
        if self.focused is self.query_one(Input):
            self._submitted()
            return
        super().action_open()

    def action_results(self) -> None:
        if self.focused is self.query_one(Input):
            self.query_one(OptionList).focus()
        elif isinstance(self.focused, OptionList):
            self.focused.action_cursor_down()
        elif self.focused is not None:
            self.focused.scroll_down()

    def action_filters(self) -> None:
        self.toggle_class("-nofilters")


def result_key(respondent_id: str, question_id: str) -> str:
    """A result's option id: search lists answers to every question, so one respondent recurs."""
    return f"{respondent_id}\t{question_id}"

"""Search: full-text search over every answer (SQLite FTS5), grouped by question, with filters.

The query is typed as plain words, which match by stem; ``"words in quotes"`` match exactly and
a trailing ``*`` searches a prefix (see consult.store.search_query). The line under the box says
how the query matched, with the word forms it found. Matches are highlighted with Text spans.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Header, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from consult.store.search import AnswerRow
from consult.store.search_query import describe, matched_forms, parse
from consult.text import clean, plural
from consult.tui.browse.actions import AnswerActions
from consult.tui.browse.dialogs import dialog_binding
from consult.tui.browse.widgets import (
    FilterBar,
    OpenList,
    ReadingPane,
    marks,
    organisation,
    safe_line,
    snippet,
)

LIMIT = 200  # rows of one search, shared fairly between the questions with matches
PAGE = 200  # rows of one question at a time, once a question is chosen
MORE = "more\t"  # option id of a group's "more" line: MORE + question id
NEXT = "next"  # option id of the "load more" line of one question


class SearchScreen(AnswerActions, Screen):
    TITLE_TEXT = "Search"
    BINDINGS = [
        Binding("enter", "open", "Open", show=False,
                tooltip="Read the answer and mark it read (on a \"… more\" line: show more)"),
        Binding("down", "results", "Results", show=False),
        Binding("ctrl+f", "filters", "Filters", tooltip="Show or hide the filters (and the question filter)"),
        Binding("ctrl+k", "key_quote", "Key quote", tooltip="Mark or unmark the answer as a key quote"),
        # K elsewhere; letters here go to the query box, so a Ctrl key the box does not take.
        dialog_binding("ctrl+o", "excerpt", "Quote excerpt", show=False,
                       tooltip="Choose which sentences of the answer the report quotes"),
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
        self.counts: dict[str, int] = {}
        self.last_id = 0  # the last answer id shown, when one question is chosen
        self.how = ""  # how the query matched, said under the counts

    def compose(self) -> ComposeResult:
        app = self.app
        yield Header(show_clock=False)
        yield Input(self.initial, placeholder='Search: words (by stem), "exact words", prefix*  (Enter searches now)',
                    id="search-query", compact=True)
        questions = [(Text(app.question_label(q.id, 60), no_wrap=True, overflow="ellipsis"), q.id)
                     for q in app.free_questions]
        yield FilterBar(app.bank.breakdown_fields, app.store.theme_labels(app.bank.id), questions=questions)
        yield Static(id="search-status")
        with Horizontal(id="search-main"):
            yield OpenList(id="search-results")
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

    def chosen_question(self) -> str | None:
        return self.query_one(FilterBar).question()

    def run_search(self) -> None:
        app = self.app
        text = self.query_one(Input).value
        bar = self.query_one(FilterBar)
        filters = bar.filters(app.user)
        question_id = bar.question()
        status = self.query_one("#search-status", Static)
        results = self.query_one(OptionList)
        results.clear_options()
        self.rows.clear()
        self.counts = {}
        self.last_id = 0
        parsed = parse(text)
        self.how = ""
        if parsed.empty and not filters.active and question_id is None:
            status.update(Text("Type to search every answer; filters narrow the results.", style="dim"))
            self.query_one(ReadingPane).show(None)
            return
        found, counts = app.store.search_answers(app.bank.id, text, user=app.user, filters=filters,
                                                 question_id=question_id, limit=PAGE if question_id else LIMIT,
                                                 org_field=app.org_field)
        self.counts = counts
        if not parsed.empty:
            self.how = describe(parsed, matched_forms(found, parsed))
        self.show_status(len(found))
        self.snippet_width = max(30, (results.size.width or 80) - 8)
        results.add_options(self.options(found, question_id))
        first = next((i for i in range(results.option_count)
                      if results.get_option_at_index(i).id in self.rows), None)
        if first is not None:
            results.highlighted = first
        self.preview()

    def show_status(self, shown: int) -> None:
        app = self.app
        question_id = self.chosen_question()
        total = sum(self.counts.values())
        if question_id:
            line = Text(f"{plural(total, 'answer')} to Q{app.question_number(question_id)}")
            if total > shown:
                line.append(f" — showing {shown:,}; Enter on the last line shows more", style="dim")
        else:
            line = Text(f"{plural(total, 'answer')} in {plural(len(self.counts), 'question')}")
            if total > shown:
                line.append("; Enter on \"… more\" shows the rest", style="dim")
        if self.how:
            line.append("\n")
            line.append(clean(self.how), style="dim")
        self.query_one("#search-status", Static).update(line)

    def options(self, found: list[AnswerRow], question_id: str | None) -> list[Option]:
        """Every question with matches: a header with its count, its rows, and what is left of it
        as a "more" line (every question: show that question; one question: load the next page)."""
        app = self.app
        by_question: dict[str, list[AnswerRow]] = {}
        for row in found:
            by_question.setdefault(row.question_id, []).append(row)
        order = [q.id for q in app.bank.questions if q.id in self.counts]
        options: list[Option] = []
        for qid in order:
            rows = by_question.get(qid, [])
            head = Text(app.question_label(qid, self.snippet_width - 8), style="bold underline")
            head.append(f"  {self.counts[qid]:,}", style="dim")
            options.append(Option(head, disabled=True))
            options += self.row_options(rows)
            left = self.counts[qid] - len(rows)
            if left > 0:
                if question_id:
                    options.append(self.next_option(left))
                else:
                    label = Text(f"    … {left:,} more in Q{app.question_number(qid)}: Enter shows them",
                                 style="italic")
                    options.append(Option(label, id=MORE + qid))
        if question_id and found:
            self.last_id = found[-1].answer_id
        return options

    def row_options(self, rows: list[AnswerRow]) -> list[Option]:
        out = []
        for row in rows:
            key = result_key(row.respondent_id, row.question_id)
            self.rows[key] = row
            out.append(Option(self.result_label(row), id=key))
        return out

    def next_option(self, left: int) -> Option:
        return Option(Text(f"    … {left:,} more: Enter shows the next {min(left, PAGE):,}", style="italic"),
                      id=NEXT)

    def show_more(self, option_id: str) -> None:
        """A "more" line: of every question, choose its question; of one, load its next page."""
        results = self.query_one(OptionList)
        if option_id.startswith(MORE):
            self.query_one("#filter-question", Select).value = option_id[len(MORE):]
            return  # FilterBar.Changed runs the search again, on that question alone
        app = self.app
        question_id = self.chosen_question()
        if question_id is None:
            return
        index = results.get_option_index(NEXT)
        found, _ = app.store.search_answers(app.bank.id, self.query_one(Input).value, user=app.user,
                                            filters=self.query_one(FilterBar).filters(app.user),
                                            question_id=question_id, limit=PAGE, after_id=self.last_id,
                                            with_counts=False, org_field=app.org_field)
        results.remove_option(NEXT)
        if found:
            self.last_id = found[-1].answer_id
        options = self.row_options(found)
        shown = sum(1 for key in self.rows if key.endswith("\t" + question_id))
        left = self.counts.get(question_id, 0) - shown
        if left > 0 and len(found) == PAGE:
            options.append(self.next_option(left))
        results.add_options(options)
        if found:
            results.highlighted = index
        self.show_status(shown)
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
        """Enter in the query box searches now; on a "more" line it shows more; on an answer it
        opens it."""
        if self.focused is self.query_one(Input):
            self._submitted()
            return
        results = self.query_one(OptionList)
        if results.highlighted is not None:
            option_id = results.get_option_at_index(results.highlighted).id or ""
            if option_id == NEXT or option_id.startswith(MORE):
                self.show_more(option_id)
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

"""Widgets shared by the browse screens.

Respondent text is untrusted: it reaches the screen only as ``rich.text.Text`` built from
``consult.text.clean()``-ed strings, never as markup. Helpers here are the one way to do that.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Checkbox, DataTable, OptionList, Select, Static
from textual.widgets.data_table import ColumnKey

from consult.store.search import STATUSES, AnswerRow, Filters
from consult.text import clean, one_line

HIGHLIGHT = "bold reverse"


# ---------------------------------------------------------------------- safe text
def safe(text: str | None, style: str = "") -> Text:
    """Untrusted text as a Rich Text: controls removed, markup left literal."""
    return Text(clean(text), style=style)


def safe_line(text: str | None, width: int = 80, style: str = "") -> Text:
    return Text(one_line(text, width), style=style)


def highlighted(text: str, spans: Iterable[tuple[int, int]] = (), style: str = HIGHLIGHT) -> Text:
    """``text`` cleaned piece by piece so that match spans (offsets in the raw text) stay right."""
    out = Text()
    pos = 0
    for start, end in sorted(spans):
        if start < pos:
            continue
        out.append(clean(text[pos:start]))
        out.append(clean(text[start:end]), style=style)
        pos = end
    out.append(clean(text[pos:]))
    return out


def snippet(text: str, spans: list[tuple[int, int]], width: int = 160) -> Text:
    """One line around the first match, matches highlighted."""
    flat_spans = spans or []
    start = max(0, (flat_spans[0][0] if flat_spans else 0) - width // 3)
    if start:
        space = text.find(" ", start, start + 20)
        start = space + 1 if space != -1 else start
    end = min(len(text), start + width)
    window = [(max(s, start) - start, min(e, end) - start) for s, e in flat_spans if e > start and s < end]
    line = Text("…" if start else "")
    line.append_text(highlighted(text[start:end], window))
    # one line: newlines and tabs become spaces (same length, so styles stay put)
    line.plain = line.plain.replace("\n", " ").replace("\t", " ")
    if end < len(text):
        line.append("…")
    return line


def organisation(row_org: str | None, respondent_id: str) -> Text:
    if row_org and clean(row_org).strip():
        return safe_line(row_org, 80)
    return Text(f"anon {respondent_id[:8]}", style="italic dim")


def organisation_cell(row: AnswerRow) -> Text:
    """The organisation column of an answer table: bold until the answer is opened, as in mail."""
    org = organisation(row.organisation, row.respondent_id)
    if not row.read:
        org.stylize("bold")
    return org


# ---------------------------------------------------------------------- bars
class Bars(Widget):
    """A horizontal bar chart, one row per ``(label, count)``; bars fit the width."""

    DEFAULT_CSS = """
    Bars { height: auto; }
    """

    def __init__(self, items: list[tuple[str, int]], *, label_width: int = 28, **kwargs: Any):
        super().__init__(**kwargs)
        self.items = items
        self.label_width = label_width

    def get_content_height(self, container, viewport, width: int) -> int:
        return max(1, len(self.items))

    def render(self) -> Text:
        if not self.items:
            return Text("no data yet", style="dim")
        width = self.size.width or 60
        label_w = min(self.label_width, max(10, width // 2 - 4))
        top = max(count for _, count in self.items) or 1
        num_w = len(f"{top:,}")
        bar_w = max(4, width - label_w - num_w - 3)
        out = Text(no_wrap=True, overflow="ellipsis")
        for i, (label, count) in enumerate(self.items):
            if i:
                out.append("\n")
            name = one_line(label, label_w)
            out.append(name.ljust(label_w) + " ")
            cells = count / top * bar_w
            full = int(cells)
            bar = "█" * full + ("▌" if cells - full >= 0.5 else "")
            out.append(bar or ("▏" if count else ""), style="bold cyan")
            out.append(f" {count:,}")
        return out


# ---------------------------------------------------------------------- tables
class ListTable(DataTable):
    """A DataTable of rows to open: Enter shows as "Open" in the footer; Home and End go to the
    first and last row (not the first and last column)."""

    BINDINGS = [
        Binding("enter", "select_cursor", "Open", tooltip="Open the highlighted row"),
        Binding("home,ctrl+home", "first", "First", show=False, tooltip="Go to the first row"),
        Binding("end,ctrl+end", "last", "Last", show=False, tooltip="Go to the last row"),
    ]

    def set_widths(self, widths: dict[str, int]) -> None:
        """Give columns (by key) new widths, as the screen is resized; rows and cursor stay."""
        changed = False
        for key, width in widths.items():
            column = self.columns[ColumnKey(key)]
            if column.width != width:
                column.width, changed = width, True
        if not changed:
            return
        if self.row_count:
            # Re-putting a cell is the public way to have the table measure itself again.
            first = self.coordinate_to_cell_key((0, 0))
            self.update_cell(first.row_key, first.column_key, self.get_cell(first.row_key, first.column_key),
                             update_width=True)
        self.refresh()

    def action_first(self) -> None:
        self.action_scroll_top()

    def action_last(self) -> None:
        self.action_scroll_bottom()


class PagedTable(ListTable):
    """A DataTable that asks for more rows when the cursor or the scroll nears the end.

    End asks for every row that is left (``NeedMore`` with ``to_end``): the screen loads them
    all, in large keyset pages, and then the cursor goes to the last row.
    """

    class NeedMore(Message):
        def __init__(self, table: PagedTable, to_end: bool = False):
            super().__init__()
            self.table = table
            self.to_end = to_end

        @property
        def control(self) -> PagedTable:
            return self.table

    more_available = False

    def _near_end(self) -> bool:
        return self.more_available and (self.cursor_row >= self.row_count - 10
                                        or self.scroll_y >= self.max_scroll_y - 10)

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        if self.more_available and new >= self.max_scroll_y - 10:
            self.post_message(self.NeedMore(self))

    def watch_cursor_coordinate(self, old, new) -> None:
        super().watch_cursor_coordinate(old, new)
        if self.more_available and new.row >= self.row_count - 10:
            self.post_message(self.NeedMore(self))

    def action_last(self) -> None:
        if self.more_available:
            self.post_message(self.NeedMore(self, to_end=True))
        else:
            self.action_scroll_bottom()

    def loaded_to_end(self) -> None:
        """For the screen, once it has loaded every row after a ``to_end`` request."""
        self.action_scroll_bottom()


class OpenList(OptionList):
    """An OptionList whose Enter shows in the footer as "Open"."""

    BINDINGS = [Binding("enter", "select", "Open", tooltip="Open the highlighted line")]


CELL_PADDING = 2  # a DataTable cell's padding, one column each side
SCROLLBAR = 2  # a DataTable's vertical scrollbar
MARKS = 6  # room the ●★⚑✗ column takes: 4 cells, and terminals draw ⚑ and ✗ wider than Rich counts


def flexible_width(total: int, fixed: tuple[int, ...], minimum: int = 12) -> int:
    """The width left for a table's one flexible column (an organisation, a theme name) once the
    ``fixed`` columns, the cells' padding and the scrollbar are counted: columns use the width."""
    columns = len(fixed) + 1
    return max(minimum, total - sum(fixed) - columns * CELL_PADDING - SCROLLBAR)


def cursor_key(table: DataTable) -> str | None:
    """The key of the row under the cursor (screens key their rows by id), or None when empty."""
    if not table.row_count:
        return None
    return table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value


# ---------------------------------------------------------------------- reading pane
class ReadingPane(VerticalScroll):
    """The full text of one answer, wrapping and scrolling, with a header line about it."""

    DEFAULT_CSS = """
    ReadingPane { border: round $primary 50%; padding: 0 1; }
    ReadingPane:focus { border: heavy $accent; }
    ReadingPane > .reading-head { color: $text-muted; margin-bottom: 1; }
    """

    BINDINGS = [Binding("escape", "leave", "Back to list", show=False)]

    def compose(self) -> ComposeResult:
        yield Static(Text("Choose an answer to read it here.", style="dim"), classes="reading-head")
        yield Static(Text(""), classes="reading-body")

    def show(self, row: AnswerRow | None, *, question: str = "") -> None:
        head = self.query_one(".reading-head", Static)
        body = self.query_one(".reading-body", Static)
        if row is None:
            head.update(Text("Choose an answer to read it here.", style="dim"))
            body.update(Text(""))
            return
        head.update(answer_head(row, question))
        body.update(highlighted(row.text, row.spans))
        self.scroll_home(animate=False)

    def action_leave(self) -> None:
        # Esc in the pane goes back to the list it came from, not to the previous screen.
        previous = getattr(self, "return_to", None)
        if previous is not None and previous.is_attached:
            previous.focus()
        else:
            self.screen.focus_next()


def answer_head(row: AnswerRow, question: str = "") -> Text:
    head = Text()
    if question:
        head.append_text(Text(one_line(question, 200), style="bold"))
        head.append("\n")
    head.append_text(organisation(row.organisation, row.respondent_id))
    head.append(f"  ·  {row.words} words  ·  {row.status}")
    if row.theme:
        head.append("  ·  theme: ")
        head.append_text(safe_line(row.theme, 60))
    head.append("  ·  ")
    head.append("read" if row.read else "● unread", style="" if row.read else "bold")
    if row.key_quote:
        head.append("  ·  ★ key quote", style="bold yellow")
    if row.flagged:
        head.append("  ·  ⚑ flagged", style="bold red")
        if row.flag_note:
            head.append(": ")
            head.append_text(safe_line(row.flag_note, 80))
    if row.excluded:
        head.append("\nEXCLUDED: ", style="bold red")
        head.append_text(safe_line(row.excluded_reason, 80))
    return head


def marks(row: AnswerRow) -> Text:
    """The small status column: unread, key quote, flag, excluded."""
    out = Text()
    out.append("●" if not row.read else " ", style="bold")
    out.append("★" if row.key_quote else " ", style="yellow")
    out.append("⚑" if row.flagged else " ", style="red")
    out.append("✗" if row.excluded else " ", style="red")
    return out


# ---------------------------------------------------------------------- filters
ANY = "__any__"


class TickBox(Checkbox):
    """A checkbox that reads ``[x]`` ticked and ``[ ]`` not, without relying on colour."""

    BUTTON_LEFT = "["
    BUTTON_RIGHT = "]"
    BUTTON_INNER = " "

    def watch_value(self) -> None:
        self.BUTTON_INNER = "x" if self.value else " "
        super().watch_value()  # posts Changed
        self.refresh()


class FilterBar(Horizontal):
    """Organisation type, size, region, status, theme, unread-only, flagged-only."""

    DEFAULT_CSS = """
    FilterBar { height: auto; layout: grid; grid-size: 4; grid-gutter: 0 1; grid-columns: 1fr 1fr 1fr 1fr; }
    FilterBar Select, FilterBar Checkbox { width: 1fr; }
    FilterBar SelectCurrent #label { height: 1; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    class Changed(Message):
        def __init__(self, bar: FilterBar):
            super().__init__()
            self.bar = bar

    def __init__(self, fields: list, themes: list[str], *, questions: list[tuple[Text, str]] | None = None,
                 **kwargs: Any):
        super().__init__(**kwargs)
        self.fields = fields
        self.themes = themes
        self.questions = questions  # (label, id): a question filter first, for search

    def compose(self) -> ComposeResult:
        if self.questions is not None:
            yield Select(self.questions, prompt="All questions", id="filter-question", compact=True)
        for f in self.fields:
            yield Select([(Text(o), o) for o in f.options], prompt=short_field_name(f.id, f.text),
                         id=f"filter-{f.id}", compact=True)
        yield Select([(Text(s), s) for s in STATUSES], prompt="Status", id="filter-status",
                     compact=True)
        yield Select([(safe_line(t, 40), t) for t in self.themes], prompt="Theme", id="filter-theme",
                     compact=True)
        yield TickBox("Unread only", id="filter-unread", compact=True)
        yield TickBox("Flagged only", id="filter-flagged", compact=True)

    def set_themes(self, themes: list[str]) -> None:
        self.themes = themes
        select = self.query_one("#filter-theme", Select)
        select.set_options([(safe_line(t, 40), t) for t in themes])

    def question(self) -> str | None:
        """The question filter's value (search only), or None for every question."""
        if self.questions is None:
            return None
        value = self.query_one("#filter-question", Select).value
        return None if value is Select.NULL else value

    def filters(self, user: str) -> Filters:
        out = Filters()
        for f in self.fields:
            value = self.query_one(f"#filter-{f.id}", Select).value
            if value is not Select.NULL:
                out.profile[f.id] = value
        status = self.query_one("#filter-status", Select).value
        out.status = None if status is Select.NULL else status
        theme = self.query_one("#filter-theme", Select).value
        out.theme = None if theme is Select.NULL else theme
        out.unread_by = user if self.query_one("#filter-unread", Checkbox).value else None
        out.flagged = self.query_one("#filter-flagged", Checkbox).value
        return out

    def toggle_unread(self) -> None:
        box = self.query_one("#filter-unread", Checkbox)
        box.value = not box.value

    @on(Select.Changed)
    @on(Checkbox.Changed)
    def _changed(self, event: Message) -> None:
        event.stop()
        self.post_message(self.Changed(self))


def short_field_name(field_id: str, text: str) -> str:
    names = {"org_type": "Org type", "org_size": "Size", "region": "Region"}
    return names.get(field_id, one_line(text, 18))

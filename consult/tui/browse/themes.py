"""Themes: a question's codebook, as staff curate it.

The list shows the codebook (``consult.codebook.question_coding``, the one place counts come
from): broad themes with their sub-themes indented under them, each with its status (✓ confirmed
by staff, · candidate, ``new`` for a candidate the latest run proposed), the number of
respondents in it and their share; then Other, non-answers and answers not coded yet. Beside
it, the highlighted theme's answers, each marked main (its primary theme) or also, and the
answer under the cursor with all its themes. The curation keys are in
:mod:`consult.tui.browse.theme_actions`; every change goes through the store's codebook API.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Select, Static

from consult.codebook import CodedTheme, QuestionCoding, question_coding
from consult.store.search import AnswerRow
from consult.text import plural
from consult.tui.browse.actions import AnswerTableActions, QuestionPicker
from consult.tui.browse.dialogs import dialog_binding
from consult.tui.browse.theme_actions import DIALOG_ACTIONS, ThemeCuration
from consult.tui.browse.widgets import (
    MARKS,
    ListTable,
    PagedTable,
    ReadingPane,
    flexible_width,
    marks,
    organisation_cell,
    safe_line,
)

PAGE = 100
STATUS_MARK = {"confirmed": "✓", "candidate": "·"}
GROUPS = (("other", "Other (fits no theme)"), ("non_answers", "No substantive answer"),
          ("uncoded", "Not coded yet (answered since the last run)"))


@dataclass(frozen=True)
class Entry:
    """One line of the theme list: a codebook theme, or one of the groups outside the themes."""

    key: str
    label: str
    respondents: tuple[str, ...]
    theme: CodedTheme | None = None


class ThemesScreen(ThemeCuration, QuestionPicker, AnswerTableActions, Screen):
    TITLE_TEXT = "Themes"
    QUESTION_SELECT = "themes-select"
    ANSWER_TABLE = "#members-table"
    ANSWER_COLUMNS = ("sel", "org", "role", "marks")
    BINDINGS = [
        dialog_binding("c", "confirm", "Confirm", tooltip="Confirm the highlighted theme as staff's (asks first)"),
        dialog_binding("r", "rename", "Rename", tooltip="Rename the highlighted theme"),
        dialog_binding("m", "merge", "Merge", tooltip="Merge the highlighted theme into another (asks first)"),
        dialog_binding("v", "move", "Move",
                       tooltip="Move the highlighted (or selected) answers to another theme, Other or a new one"),
        Binding("ctrl+z", "undo", "Undo", tooltip="Undo the last change to this question's themes"),
        Binding("space", "select", "Select", show=False, tooltip="Select or unselect the highlighted answer"),
        dialog_binding("s", "split", "Split", show=False,
                       tooltip="Split the selected answers off into a new theme (asks first)"),
        dialog_binding("d", "describe", "Describe", show=False, tooltip="Write the theme's description"),
        dialog_binding("a", "add", "Add theme", show=False, tooltip="Add a theme of your own"),
        dialog_binding("delete", "delete", "Delete", show=False,
                       tooltip="Delete the highlighted theme; its answers keep their other themes (asks first)"),
        dialog_binding("b", "reparent", "Broad theme", show=False,
                       tooltip="Put the theme under a broad theme, or back at the top level"),
        dialog_binding("e", "answer_themes", "Answer's themes", show=False,
                       tooltip="Give the answer another theme too, or take one off"),
        dialog_binding("h", "history", "History", show=False, tooltip="What staff changed, newest first"),
        Binding("k", "key_quote", "Key quote", show=False, tooltip="Mark or unmark the answer as a key quote"),
        dialog_binding("K", "excerpt", "Quote excerpt", show=False,
                       tooltip="Choose which sentences of the answer the report quotes"),
        dialog_binding("f", "flag", "Flag", show=False, tooltip="Flag the answer for follow-up, with a note"),
        dialog_binding("x", "exclude", "Exclude", show=False, tooltip="Exclude the whole response, or restore it"),
        Binding("right_square_bracket", "next_question", "Next question", show=False),
        Binding("left_square_bracket", "previous_question", "Previous question", show=False),
        Binding("enter", "open", "Open", show=False, tooltip="Read the answer and mark it read"),
    ]

    def __init__(self, question_id: str | None = None):
        super().__init__()
        self.question_id = question_id
        self.coding: QuestionCoding | None = None
        self.entries: list[Entry] = []
        self.rows: dict[str, AnswerRow] = {}  # the highlighted entry's answers loaded, by respondent id
        self.selected: set[str] = set()
        self.member_offset = 0

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Horizontal(id="themes-top"):
            yield self.question_caption()
            yield self.question_select()
            yield Static(id="themes-run")
        with Horizontal():
            left, label, org = self.column_widths()
            themes = ListTable(id="themes-table", cursor_type="row")
            themes.styles.width = left
            themes.add_column("Theme", key="label", width=label)
            themes.add_column("", key="status", width=3)
            themes.add_column("Resp", key="size", width=5)
            themes.add_column("%", key="share", width=3)
            yield themes
            with Vertical(id="themes-right"):
                yield Static(id="theme-detail")
                members = PagedTable(id="members-table", cursor_type="row", zebra_stripes=True)
                members.add_column("✓", key="sel", width=1)
                members.add_column("Organisation", key="org", width=org)
                members.add_column("Role", key="role", width=4)
                members.add_column("●★⚑✗", key="marks", width=4)
                yield members
                yield ReadingPane()
        yield Footer()

    def column_widths(self) -> tuple[int, int, int]:
        """The theme list's width and its names' column, and the answers' organisation column:
        the list takes 48% of the screen (40 to 70 columns), the answers the rest."""
        width = self.app.size.width
        left = max(40, min(70, width * 48 // 100))
        label = flexible_width(left - 1, (3, 5, 3))  # 1: the focus bar
        org = flexible_width(width - left - 1, (1, 4, MARKS))
        return left, label, org

    def on_resize(self) -> None:
        """The list and the columns follow the screen's width when the terminal is resized."""
        left, label, org = self.column_widths()
        themes = self.query_one("#themes-table", ListTable)
        themes.styles.width = left
        themes.set_widths({"label": label})
        self.query_one("#members-table", PagedTable).set_widths({"org": org})

    def on_mount(self) -> None:
        self.query_one(ReadingPane).return_to = self.query_one("#members-table")
        self.load_themes()
        self.query_one("#themes-table").focus()

    # ------------------------------------------------------------------ loading
    def load_themes(self, keep: str | None = None) -> None:
        """Read the codebook again and list it; the cursor stays on ``keep`` (an entry key) or
        on the entry it was on."""
        app = self.app
        keep = keep or (self.entry().key if self.entry() else None)
        self.coding = coding = question_coding(app.store, app.bank.id, self.question_id)
        run = app.store.latest_run(app.bank.id)
        self.query_one("#themes-run", Static).update(Text(f"run #{run.id}" if run else "no run yet",
                                                          style="" if run else "dim"))
        entries = [Entry(f"t{t.id}", t.label, t.respondents, t) for t in coding.themes]
        entries += [Entry(key, label, getattr(coding, key)) for key, label in GROUPS if getattr(coding, key)]
        self.entries = entries
        table = self.query_one("#themes-table", DataTable)
        table.clear()
        cursor = 0
        for i, e in enumerate(entries):
            table.add_row(*self.entry_cells(e), key=e.key)
            if e.key == keep:
                cursor = i
        if entries:
            table.move_cursor(row=cursor, animate=False)
        self.load_members()

    def entry_cells(self, e: Entry) -> list[Text]:
        t = e.theme
        if t is None:
            label = Text(e.label, style="italic")
            status = Text("")
        else:
            label = Text("  └ " if t.parent_id is not None else "")
            label.append_text(safe_line(t.label, 80, style="bold" if t.is_new else ""))
            status = Text("new" if t.is_new else STATUS_MARK.get(t.status, "?"),
                          style="bold" if t.is_new else "")
        share = len(e.respondents) / self.coding.population if self.coding.population else 0.0
        if t is not None:
            share = t.share
        return [label, status, Text(f"{len(e.respondents):,}", justify="right"),
                Text(f"{round(share * 100)}", justify="right")]

    def entry(self) -> Entry | None:
        table = self.query_one("#themes-table", DataTable)
        if not self.entries or not table.row_count:
            return None
        key = table.coordinate_to_cell_key((min(table.cursor_row, table.row_count - 1), 0)).row_key.value
        return next((e for e in self.entries if e.key == key), None)

    def theme(self) -> CodedTheme | None:
        entry = self.entry()
        return entry.theme if entry else None

    def load_members(self) -> None:
        members = self.query_one("#members-table", PagedTable)
        members.clear()
        self.rows.clear()
        self.selected.clear()
        self.member_offset = 0
        entry = self.entry()
        detail = self.query_one("#theme-detail", Static)
        if entry is None:
            members.more_available = False
            too_few = self.coding is not None and self.coding.too_few
            detail.update(Text("Too few answers to find themes: add a theme of your own with a." if too_few else
                               "No themes yet: run `consult analyse`, or add a theme with a.", style="dim"))
            self.query_one(ReadingPane).show(None)
            return
        detail.update(self.detail_text(entry))
        self.load_more_members()
        self.preview()

    def detail_text(self, entry: Entry) -> Text:
        t = entry.theme
        text = Text()
        text.append_text(safe_line(entry.label, 80, style="bold"))
        text.append(f"  {plural(len(entry.respondents), 'respondent')}")
        if t is None:
            return text
        text.append(f", {t.share:.0%}  ")
        if t.is_new:
            text.append("NEW candidate from the latest run: c confirms it", style="bold")
        elif t.status == "confirmed":
            text.append("✓ confirmed by staff: later runs keep it and assign answers to it")
        else:
            text.append("· candidate: c confirms it")
        if len(t.primary) != t.count:
            text.append(f"\n{len(t.primary):,} have it as their main theme, {t.count - len(t.primary):,} also",
                        style="dim")
        if t.parent_id is not None and self.coding.theme(t.parent_id):
            text.append("\nUnder the broad theme ", style="dim")
            text.append_text(safe_line(self.coding.theme(t.parent_id).label, 60))
        if t.description:
            text.append("\n")
            text.append_text(safe_line(t.description, 300, style="italic"))
        if t.terms:
            text.append("\nTerms: ", style="dim")
            text.append_text(safe_line(", ".join(t.terms), 200))
        return text

    def load_more_members(self, limit: int = PAGE) -> None:
        entry = self.entry()
        if entry is None:
            return
        app = self.app
        members = self.query_one("#members-table", PagedTable)
        ids = list(entry.respondents[self.member_offset:self.member_offset + limit])
        for row in app.store.answer_rows(app.bank.id, self.question_id, ids, user=app.user,
                                         org_field=app.org_field):
            self.rows[row.respondent_id] = row
            members.add_row(*self.cells(row), key=row.respondent_id)
        self.member_offset += len(ids)
        members.more_available = self.member_offset < len(entry.respondents)

    def cells(self, row: AnswerRow) -> list[Text]:
        t = self.theme()
        role = "" if t is None else ("main" if row.respondent_id in t.primary else "also")
        return [Text("✓" if row.respondent_id in self.selected else " ", style="bold green"),
                organisation_cell(row), Text(role, style="" if role == "main" else "dim"), marks(row)]

    def preview(self) -> None:
        """The answer, with every theme it has (main first) in the pane's head."""
        row = self.current()
        pane = self.query_one(ReadingPane)
        pane.show(row)
        if row is None or self.coding is None:
            return
        mine = self.coding.themes_of(row.respondent_id)
        head = pane.query_one(".reading-head", Static)
        line = Text("Themes: ", style="bold")
        if not mine:
            line.append("none (Other)" if row.respondent_id in self.coding.other else "none")
        strengths = self.app.store.answer_strengths(row.respondent_id, self.question_id)
        for i, t in enumerate(mine):
            if i:
                line.append(", ")
            line.append_text(safe_line(t.label, 50))
            source, fit = strengths.get(t.id, ("", None))
            how = "by staff" if source == "staff" else (f"fit {fit:.2f}" if fit is not None else "")
            role = "main" if row.respondent_id in t.primary else "also"
            line.append(f" ({role}{', ' + how if how else ''})", style="dim")
        line.append("  e changes them", style="dim")
        content = head.content if isinstance(head.content, Text) else Text(str(head.content))
        head.update(Text.assemble(content, "\n", line))

    @on(PagedTable.NeedMore, "#members-table")
    def _more(self, event: PagedTable.NeedMore) -> None:
        if event.to_end:
            while event.table.more_available:
                self.load_more_members(limit=2000)
            event.table.loaded_to_end()
        elif event.table.more_available:
            self.load_more_members()

    @on(DataTable.RowHighlighted, "#themes-table")
    def _theme_highlighted(self) -> None:
        self.load_members()

    @on(DataTable.RowHighlighted, "#members-table")
    def _member_highlighted(self) -> None:
        self.preview()

    @on(DataTable.RowSelected, "#members-table")
    def _member_selected(self) -> None:
        self.action_open()

    @on(DataTable.RowSelected, "#themes-table")
    def _theme_selected(self) -> None:
        self.query_one("#members-table").focus()

    def refresh_data(self) -> None:
        self.load_themes()

    def after_exclusion(self, row: AnswerRow) -> None:
        """An exclusion changes the counts, not only this row: read the codebook again."""
        self.load_themes()

    @on(Select.Changed, "#themes-select")
    def _question_changed(self, event: Select.Changed) -> None:
        if event.value is Select.NULL or event.value == self.question_id:
            return
        self.question_id = event.value
        self.load_themes()

    def check_action(self, action: str, parameters) -> bool | None:
        # While typing in a field, the letter belongs to it.
        return not (action in DIALOG_ACTIONS and self.typing_in_a_field())

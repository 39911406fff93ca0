"""Themes: the latest analysis of one question, and the staff's corrections to it.

Theme actions (rename, merge, split) act on the highlighted theme; answer actions (select, move,
key quote, flag, exclude) on the highlighted answer, or for move and split on the selected ones.
Each is one store method and one transaction, logged with who and when.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Select, Static

from consult.store.analyses import ThemeRow
from consult.store.search import AnswerRow
from consult.text import plural
from consult.tui.browse.actions import AnswerTableActions, QuestionPicker
from consult.tui.browse.dialogs import (
    ConfirmModal,
    InputModal,
    PickModal,
    dialog_binding,
    quoted,
    typing_in_a_field,
)
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
END_PAGE = 2000  # End loads every answer left, in pages this big
KIND_MARK = {"theme": "", "other": "other", "non_answer": "non-answer"}
OTHER = object()  # move target: Other (not in any theme)
NEW = object()  # move target: a new theme, named next
DIALOG_ACTIONS = ("rename", "merge", "split", "move", "flag", "exclude")


class ThemesScreen(QuestionPicker, AnswerTableActions, Screen):
    TITLE_TEXT = "Themes"
    QUESTION_SELECT = "themes-select"
    ANSWER_TABLE = "#members-table"
    ANSWER_COLUMNS = ("sel", "org", "words", "marks")
    BINDINGS = [
        dialog_binding("r", "rename", "Rename", tooltip="Rename the highlighted theme"),
        dialog_binding("m", "merge", "Merge", tooltip="Merge the highlighted theme into another (asks first)"),
        Binding("space", "select", "Select", tooltip="Select or unselect the highlighted answer"),
        dialog_binding("s", "split", "Split", tooltip="Split the selected answers off into a new theme (asks first)"),
        dialog_binding("v", "move", "Move",
                       tooltip="Move the highlighted (or selected) answers to another theme or a new one"),
        Binding("k", "key_quote", "Key quote", show=False, tooltip="Mark or unmark the answer as a key quote"),
        dialog_binding("f", "flag", "Flag", show=False, tooltip="Flag the answer for follow-up, with a note"),
        dialog_binding("x", "exclude", "Exclude", show=False, tooltip="Exclude the whole response, or restore it"),
        Binding("right_square_bracket", "next_question", "Next question", show=False),
        Binding("left_square_bracket", "previous_question", "Previous question", show=False),
        Binding("enter", "open", "Open", show=False, tooltip="Read the answer and mark it read"),
    ]

    def __init__(self, question_id: str | None = None):
        super().__init__()
        self.question_id = question_id
        self.themes: list[ThemeRow] = []
        self.rows: dict[str, AnswerRow] = {}  # the highlighted theme's answers, by respondent id
        self.selected: set[str] = set()
        self.member_offset = 0
        self.run_id: int | None = None

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
            themes.add_column("Size", key="size", width=6)
            themes.add_column("%", key="share", width=3)
            yield themes
            with Vertical(id="themes-right"):
                yield Static(id="theme-detail")
                members = PagedTable(id="members-table", cursor_type="row", zebra_stripes=True)
                members.add_column("✓", key="sel", width=1)
                members.add_column("Organisation", key="org", width=org)
                members.add_column("Words", key="words", width=5)
                members.add_column("●★⚑✗", key="marks", width=4)
                yield members
                yield ReadingPane()
        yield Footer()

    def column_widths(self) -> tuple[int, int, int]:
        """The theme list's width and its names' column, and the answers' organisation column:
        the list takes 45% of the screen (40 to 70 columns), the answers the rest."""
        width = self.app.size.width
        left = max(40, min(70, width * 45 // 100))
        label = flexible_width(left - 1, (6, 3))  # 1: the focus bar
        org = flexible_width(width - left - 1, (1, 5, MARKS))
        return left, label, org

    def on_mount(self) -> None:
        self.query_one(ReadingPane).return_to = self.query_one("#members-table")
        self.load_themes()
        self.query_one("#themes-table").focus()

    # ------------------------------------------------------------------ loading
    def load_themes(self, keep: int | None = None) -> None:
        app = self.app
        run = app.store.latest_run(app.bank.id)
        self.run_id = run.id if run else None
        info = self.query_one("#themes-run", Static)
        table = self.query_one("#themes-table", DataTable)
        keep = keep if keep is not None else (self.theme().id if self.theme() else None)
        table.clear()
        if run is None:
            info.update(Text("no analysis yet", style="dim"))
            self.themes = []
            self.query_one("#theme-detail", Static).update(
                Text("No analysis run yet: run `consult analyse`, then come back.", style="dim"))
            self.load_members()
            return
        # Only the run's number: the question selector needs the width (the method is on the overview).
        info.update(Text(f"run #{run.id}"))
        info.tooltip = f"run #{run.id} · {run.method} {run.version}"
        # Groups left with no answers (all moved out, or excluded) are not listed.
        self.themes = [t for t in app.store.themes(run.id, self.question_id) if t.size > 0]
        cursor = 0
        for i, t in enumerate(self.themes):
            label = safe_line(t.label, 80)
            if t.kind != "theme":
                label.stylize("italic dim")
            if t.created_by == "staff":
                label.append(" ✎", style="dim")
            table.add_row(label, Text(f"{t.size:,}", justify="right"),
                          Text(f"{round(t.share * 100)}", justify="right"), key=str(t.id))
            if t.id == keep:
                cursor = i
        if self.themes:
            table.move_cursor(row=cursor, animate=False)
        self.load_members()

    def theme(self) -> ThemeRow | None:
        table = self.query_one("#themes-table", DataTable)
        if not self.themes or not table.row_count:
            return None
        row = min(table.cursor_row, len(self.themes) - 1)
        key = table.coordinate_to_cell_key((row, 0)).row_key.value
        return next((t for t in self.themes if str(t.id) == key), None)

    def load_members(self) -> None:
        members = self.query_one("#members-table", PagedTable)
        members.clear()
        self.rows.clear()
        self.selected.clear()
        self.member_offset = 0
        theme = self.theme()
        detail = self.query_one("#theme-detail", Static)
        if theme is None:
            members.more_available = False
            self.query_one(ReadingPane).show(None)
            return
        text = Text()
        text.append_text(safe_line(theme.label, 80, style="bold"))
        text.append(f"  {plural(theme.size, 'answer')}, {theme.share:.0%}")
        if theme.kind != "theme":
            text.append(f"  ({KIND_MARK[theme.kind]})", style="dim")
        if theme.created_by == "staff":
            text.append("  made by staff", style="dim")
        if theme.terms:
            text.append("\nTerms: ", style="dim")
            text.append_text(safe_line(", ".join(theme.terms), 200))
        if theme.description:
            text.append("\n")
            text.append_text(safe_line(theme.description, 300, style="italic"))
        detail.update(text)
        self.load_more_members()
        self.preview()

    def load_more_members(self, limit: int = PAGE) -> None:
        theme = self.theme()
        if theme is None:
            return
        app = self.app
        members = self.query_one("#members-table", PagedTable)
        page = app.store.theme_member_page(theme.id, user=app.user, offset=self.member_offset, limit=limit,
                                           org_field=app.org_field)
        for row in page:
            self.rows[row.respondent_id] = row
            members.add_row(*self.cells(row), key=row.respondent_id)
        self.member_offset += len(page)
        members.more_available = len(page) == limit

    def cells(self, row: AnswerRow) -> list[Text]:
        return [Text("✓" if row.respondent_id in self.selected else " ", style="bold green"),
                organisation_cell(row), Text(str(row.words), justify="right"), marks(row)]

    @on(PagedTable.NeedMore, "#members-table")
    def _more(self, event: PagedTable.NeedMore) -> None:
        if event.to_end:
            while event.table.more_available:
                self.load_more_members(limit=END_PAGE)
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

    # ------------------------------------------------------------------ the current answer
    # current(), preview(), refresh_row() and action_open() come from AnswerTableActions.
    def refresh_data(self) -> None:
        self.load_themes()

    def after_exclusion(self, row: AnswerRow) -> None:
        """An exclusion changes the theme sizes and counts, not only this row: reload them."""
        self.load_themes()

    # ------------------------------------------------------------------ question
    @on(Select.Changed, "#themes-select")
    def _question_changed(self, event: Select.Changed) -> None:
        if event.value is Select.NULL or event.value == self.question_id:
            return
        self.question_id = event.value
        self.load_themes()

    # ------------------------------------------------------------------ curation
    def check_action(self, action: str, parameters) -> bool | None:
        if action in DIALOG_ACTIONS and typing_in_a_field(self):
            return False  # the letter belongs to the field being typed in
        if action in ("rename", "merge", "split", "move", "select") and not self.themes:
            return None
        return True

    def _need_theme(self) -> ThemeRow | None:
        theme = self.theme()
        if theme is None:
            self.app.say("No theme here: this question has no analysis yet.")
        return theme

    def action_rename(self) -> None:
        theme = self._need_theme()
        if theme is None:
            return

        def done(label) -> None:
            if label and self._do(self.app.store.rename_theme, theme.id, label, by=self.app.user):
                self.app.say(f"Renamed to {label}.")
                self.load_themes(keep=theme.id)

        prompt = Text("New name for the theme ")
        prompt.append_text(safe_line(theme.label, 60, style="bold"))
        prompt.append(" (typing replaces it; ← or → to edit it):")
        self.app.open_dialog(InputModal("Rename theme", prompt, theme.label, ok="Rename"), done)

    def theme_option(self, t: ThemeRow) -> tuple[Text, object]:
        return Text.assemble(safe_line(t.label, 50), (f"  {plural(t.size, 'answer')}", "dim")), t

    def action_merge(self) -> None:
        theme = self._need_theme()
        if theme is None:
            return
        others = [t for t in self.themes if t.id != theme.id and t.kind == "theme"]
        if theme.kind != "theme" or not others:
            self.app.say("Only a theme can be merged, into another theme." if theme.kind != "theme"
                         else "There is no other theme to merge into.")
            return

        def picked(into) -> None:
            if into is PickModal.CANCEL:
                return
            message = Text.assemble(
                "Merge ", quoted(theme.label), f" ({plural(theme.size, 'answer')}) into ", quoted(into.label),
                f" ({into.size:,})? The merged theme keeps ", quoted(into.label), "; ", quoted(theme.label),
                " goes.")
            self.app.open_dialog(ConfirmModal("Merge themes", message, "Merge"),
                                 lambda yes: yes and merge(into))

        def merge(into) -> None:
            if self._do(self.app.store.merge_themes, into.id, theme.id, by=self.app.user):
                self.app.say(f"Merged {theme.label} into {into.label}.")
                self.load_themes(keep=into.id)

        title = Text.assemble("Merge ", quoted(theme.label), " into which theme?")
        self.app.open_dialog(PickModal(title, [self.theme_option(t) for t in others]), picked)

    def action_select(self) -> None:
        row = self.current()
        if row is None:
            return
        if row.respondent_id in self.selected:
            self.selected.discard(row.respondent_id)
        else:
            self.selected.add(row.respondent_id)
        self.refresh_row(row.respondent_id, row.question_id)
        table = self.query_one("#members-table", PagedTable)
        if table.cursor_row < table.row_count - 1:
            table.move_cursor(row=table.cursor_row + 1)

    def action_split(self) -> None:
        theme = self._need_theme()
        if theme is None:
            return
        chosen = sorted(self.selected)
        if not chosen:
            self.app.say("Select the answers to split off with space first.")
            return
        self.ask_new_theme(theme, chosen, title="Split off a new theme")

    def ask_new_theme(self, theme: ThemeRow, chosen: list[str], *, title: str) -> None:
        """Name a new theme for ``chosen`` answers of ``theme``, say what happens, then do it."""
        def named(label) -> None:
            if not label:
                return
            left = theme.size - len(chosen)
            message = Text.assemble(
                f"Move {plural(len(chosen), 'answer')} out of ", quoted(theme.label), " into a new theme ",
                quoted(label), "? ", quoted(theme.label), f" keeps {plural(left, 'answer')}.")
            self.app.open_dialog(ConfirmModal(title, message, "Split"), lambda yes: yes and split(label))

        def split(label: str) -> None:
            try:
                new_id = self.app.store.split_theme(theme.id, chosen, label, by=self.app.user)
            except ValueError as exc:
                self.app.say(str(exc), error=True)
                return
            self.app.say(f"{plural(len(chosen), 'answer')} split off into {label}.")
            self.load_themes(keep=new_id)

        self.app.open_dialog(InputModal(title, f"Name of the new theme for the {plural(len(chosen), 'answer')}:",
                                        ok="Next"), named)

    def action_move(self) -> None:
        theme = self._need_theme()
        row = self.current()
        if theme is None or row is None:
            return
        chosen = sorted(self.selected) or [row.respondent_id]
        targets: list[tuple[Text, object]] = [self.theme_option(t) for t in self.themes if t.id != theme.id]
        if theme.kind != "other" and not any(t.kind == "other" for t in self.themes):
            targets.append((Text("Other (not in any theme)", style="italic"), OTHER))
        targets.append((Text("New theme…", style="bold"), NEW))

        def done(target) -> None:
            if target is PickModal.CANCEL:
                return
            if target is NEW:
                self.ask_new_theme(theme, chosen, title="Move to a new theme")
                return
            to_id = None if target is OTHER else target.id
            for rid in chosen:
                if not self._do(self.app.store.move_answer, self.run_id, rid, theme.question_id, to_id,
                                by=self.app.user):
                    break
            else:
                self.app.say(f"Moved {plural(len(chosen), 'answer')}.")
            self.load_themes(keep=theme.id)

        self.app.open_dialog(PickModal(f"Move {plural(len(chosen), 'answer')} to:", targets), done)

"""By respondent: one response whole: its status, every answer in paper order, then its profile
and consent (the answers are what staff open a response to read)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Header, Input, Static

from consult.store.curation import CurationError
from consult.store.search import RespondentRow
from consult.text import clean, plural
from consult.tui.browse.dialogs import InputModal, dialog_binding, typing_in_a_field
from consult.tui.browse.widgets import (
    PagedTable,
    cursor_key,
    flexible_width,
    organisation,
    safe,
    safe_line,
)

PAGE = 100
END_PAGE = 2000  # End loads every respondent left, in pages this big


class RespondentScreen(Screen):
    TITLE_TEXT = "By respondent"
    BINDINGS = [
        Binding("enter", "read", "Open", show=False, tooltip="Open the response, to scroll it"),
        Binding("f", "find", "Find", tooltip="Find respondents by organisation name or id prefix"),
        dialog_binding("x", "exclude", "Exclude", tooltip="Exclude the whole response, or restore it"),
    ]

    def __init__(self, respondent_id: str | None = None):
        super().__init__()
        self.respondent_id = respondent_id
        self.rows: dict[str, RespondentRow] = {}
        self.last_id = ""
        self.timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Horizontal(id="respondent-top"):
            yield Input(placeholder="Find: organisation name or respondent id (f)", id="respondent-find",
                        compact=True)
            yield Static(id="respondent-count")
        with Vertical(id="respondent-main"):
            table = PagedTable(id="respondent-table", cursor_type="row", zebra_stripes=True)
            table.add_column("Organisation", key="org", width=self.org_width())
            table.add_column("Status", key="status", width=9)
            table.add_column("Answers", key="answers", width=7)
            table.add_column("Updated", key="updated", width=17)
            yield table
            yield VerticalScroll(Static(id="respondent-body"), id="respondent-detail")
        yield Footer()

    def org_width(self) -> int:
        """The organisation column takes what the list's width leaves (2/5 of the screen from
        120 columns, beside the response)."""
        width = self.app.size.width
        table = width * 2 // 5 if width >= 120 else width
        return flexible_width(table - 1, (9, 7, 17), minimum=16)  # 1: the focus bar

    def on_resize(self) -> None:
        """The organisation column follows the screen's width when the terminal is resized."""
        self.query_one("#respondent-table", PagedTable).set_widths({"org": self.org_width()})

    def on_mount(self) -> None:
        self.query_one("#respondent-find", Input).cursor_blink = False
        if self.respondent_id:
            # Opened on one response: show it alone (the list still holds everyone, from it on).
            self.last_id = ""
            self.load_more(start=self.respondent_id)
        else:
            self.load_more()
        self.update_count()
        self.show()
        self.query_one(PagedTable).focus()

    def find_text(self) -> str:
        return self.query_one("#respondent-find", Input).value

    def load_more(self, start: str | None = None, limit: int = PAGE) -> None:
        app = self.app
        table = self.query_one(PagedTable)
        after = self.last_id if start is None else _before(start)
        page = app.store.respondent_page(app.bank.id, after_id=after, limit=limit, org_field=app.org_field,
                                         text=self.find_text())
        for row in page:
            self.rows[row.id] = row
            table.add_row(*self.cells(row), key=row.id)
        if page:
            self.last_id = page[-1].id
        table.more_available = len(page) == limit

    def update_count(self) -> None:
        app = self.app
        everyone = app.store.count_respondents(app.bank.id)
        text = self.find_text().strip()
        if text:
            found = app.store.count_respondents(app.bank.id, text=text, org_field=app.org_field)
            line = Text(f"{found:,} of {plural(everyone, 'respondent')}")
        else:
            line = Text(plural(everyone, "respondent"))
        self.query_one("#respondent-count", Static).update(line)

    def reload(self) -> None:
        table = self.query_one(PagedTable)
        table.clear()
        self.rows.clear()
        self.last_id = ""
        self.load_more()
        self.update_count()
        self.show()

    @on(Input.Changed, "#respondent-find")
    def _find_typed(self) -> None:
        if self.timer:
            self.timer.stop()
        self.timer = self.set_timer(0.2, self.reload)

    @on(Input.Submitted, "#respondent-find")
    def _find_submitted(self) -> None:
        if self.timer:
            self.timer.stop()
        self.reload()
        self.query_one(PagedTable).focus()

    def action_find(self) -> None:
        self.query_one("#respondent-find", Input).focus()

    def cells(self, row: RespondentRow) -> list[Text]:
        status = Text("excluded", style="red") if row.excluded_reason else Text(row.status)
        return [organisation(row.organisation, row.id), status, Text(str(row.answers), justify="right"),
                Text(self.app.short_date(row.updated_at))]

    @on(PagedTable.NeedMore)
    def _more(self, event: PagedTable.NeedMore) -> None:
        if event.to_end:
            while event.table.more_available:
                self.load_more(limit=END_PAGE)
            event.table.loaded_to_end()
        elif event.table.more_available:
            self.load_more()

    def current_id(self) -> str | None:
        return cursor_key(self.query_one(PagedTable))

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self.show()

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.action_read()

    def action_read(self) -> None:
        self.query_one("#respondent-detail").focus()

    def refresh_data(self) -> None:
        self.show()

    def show(self) -> None:
        app = self.app
        rid = self.current_id()
        body = self.query_one("#respondent-body", Static)
        if rid is None:
            body.update(Text("No responses yet.", style="dim"))
            return
        person = app.store.respondent(rid)
        exclusion = app.store.exclusion(rid)
        text = Text()
        text.append_text(organisation(person.profile.get(app.org_field) if app.org_field else None, rid))
        text.stylize("bold")
        text.append(f"\nid {rid} · {person.status} · source {person.source}", style="dim")
        text.append(f"\nstarted {app.relative(person.created_at)}; updated {app.relative(person.updated_at)}",
                    style="dim")
        if person.submitted_at:
            text.append(f"\nsubmitted {app.relative(person.submitted_at)}", style="dim")
        if person.amended:
            text.append("\nAMENDED, NOT RE-SUBMITTED", style="bold")
            text.append(": edited since it was submitted; counts and the report use the submitted answers")
        if exclusion:
            text.append("\nEXCLUDED", style="bold red")
            text.append(f" by {clean(exclusion['by'])}, {app.relative(exclusion['at'])}: ")
            text.append_text(safe_line(exclusion["reason"], 200))
        answers = app.store.staff_answers(rid)  # as submitted, like counts and the report
        text.append(f"\n\nAnswers ({len(answers)})\n", style="bold underline")
        for n, q in enumerate(app.bank.questions, start=1):
            if q.id not in answers:
                continue
            text.append(f"\nQ{n}. {q.text}\n", style="bold")
            text.append_text(safe(answers[q.id]))
            text.append("\n")
        text.append("\nProfile\n", style="bold underline")
        for f in app.bank.profile:
            value = person.profile.get(f.id)
            if value in (None, "", []):
                continue
            text.append(f"{f.text}: ", style="dim")
            text.append_text(safe_line(", ".join(value) if isinstance(value, list) else str(value), 200))
            text.append("\n")
        text.append("\nConsent\n", style="bold underline")
        for c in app.bank.consent:
            given = bool(person.consent.get(c.id))
            text.append("✓ " if given else "✗ ", style="green" if given else "red")
            text.append(f"{c.text}\n")
        body.update(text)
        self.query_one("#respondent-detail").scroll_home(animate=False)

    def check_action(self, action: str, parameters) -> bool | None:
        # While typing in the find box, the letter belongs to it.
        return not (action == "exclude" and typing_in_a_field(self))

    def action_exclude(self) -> None:
        app = self.app
        rid = self.current_id()
        if rid is None:
            return

        def refresh() -> None:
            row = self.rows.get(rid)
            if row is not None:
                row.excluded_reason = (app.store.exclusion(rid) or {}).get("reason")
                table = self.query_one(PagedTable)
                for key, cell in zip(("org", "status", "answers", "updated"), self.cells(row), strict=True):
                    table.update_cell(rid, key, cell)
            self.show()

        if app.store.exclusion(rid):
            app.store.restore_respondent(rid, by=app.user)
            app.say("Response restored: it counts again.")
            refresh()
            return

        def done(reason) -> None:
            if not reason:
                return
            try:
                app.store.exclude_respondent(rid, reason, by=app.user)
            except CurationError as exc:
                app.say(str(exc), error=True)
                return
            app.say("Response excluded from counts, analysis and report.")
            refresh()

        app.open_dialog(InputModal("Exclude response", "Reason (spam, duplicate, off-topic…):", ok="Exclude"),
                        done)


def _before(respondent_id: str) -> str:
    """The largest string sorting just before ``respondent_id`` for keyset paging from it."""
    return respondent_id[:-1] + chr(ord(respondent_id[-1]) - 1) + "\U0010ffff" if respondent_id else ""

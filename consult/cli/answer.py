"""`consult answer`: the members' answering app."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import click

from consult.cli import cli
from consult.cli.common import bank_option, db_option, need_terminal, open_bank, open_store


@cli.command()
@db_option
@bank_option
@click.option("--plain", is_flag=True, help="Line by line, no full-screen drawing: for screen "
              "readers, dumb terminals and piped input.")
def answer(db_path: Path | None = None, bank_path: Path | None = None, plain: bool = False) -> None:
    """Answer the consultation in the terminal (the default command)."""
    bank = open_bank(bank_path)
    again = come_back_command(db_path, bank_path, plain=plain)
    if plain:
        from consult.plain import run_plain

        sys.exit(run_plain(open_store(db_path, bank), bank, come_back_command=again))
    need_terminal("answer")
    store = open_store(db_path, bank)
    from consult.tui.answer.app import make_answer_app

    app = make_answer_app(store, bank)
    app.come_back_command = again
    app.run()
    # Said once the screen is gone, so it stays in the terminal: the code and how to come back,
    # or, if some answers could not be saved, where their copy is (and a failing exit status).
    for line in app.farewell_lines:
        click.echo(line, err=bool(app.return_code))
    if app.return_code:
        sys.exit(app.return_code)


def come_back_command(db_path: Path | None, bank_path: Path | None, *, plain: bool = False) -> str:
    """The command that reopens this consultation, as the member is told it on leaving: the
    ``--db``, ``--bank`` and ``--consultation`` this run was given (on the command line, before
    the subcommand or through the environment), shell-quoted, so that pasting it back opens the
    same database and consultation."""
    argv = ["consult", "answer"] + (["--plain"] if plain else [])
    if db_path is not None:
        argv += ["--db", str(db_path)]
    if bank_path is not None:
        argv += ["--bank", str(bank_path)]
    ctx = click.get_current_context(silent=True)
    consultation = ctx.meta.get("consultation") if ctx else None
    if consultation:
        argv += ["--consultation", consultation]
    return shlex.join(argv)

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
    if plain:
        from consult.plain import run_plain

        sys.exit(run_plain(open_store(db_path, bank), bank))
    need_terminal("answer")
    store = open_store(db_path, bank)
    from consult.tui.answer.app import make_answer_app

    app = make_answer_app(store, bank)
    app.come_back_command = " ".join(
        ["consult", "answer"] + (["--db", shlex.quote(str(db_path))] if db_path else []))
    app.run()
    # Said once the screen is gone, so it stays in the terminal: the code and how to come back,
    # or, if some answers could not be saved, where their copy is (and a failing exit status).
    for line in app.farewell_lines:
        click.echo(line, err=bool(app.return_code))
    if app.return_code:
        sys.exit(app.return_code)

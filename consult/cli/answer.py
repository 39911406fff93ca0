"""`consult answer`: the members' answering app."""

from __future__ import annotations

from pathlib import Path

from consult.cli import cli
from consult.cli.common import bank_option, db_option, need_terminal, open_bank, open_store


@cli.command()
@db_option
@bank_option
def answer(db_path: Path | None = None, bank_path: Path | None = None) -> None:
    """Answer the consultation in the terminal (the default command)."""
    bank = open_bank(bank_path)
    need_terminal("answer")
    store = open_store(db_path, bank)
    from consult.tui.answer.app import make_answer_app

    make_answer_app(store, bank).run()

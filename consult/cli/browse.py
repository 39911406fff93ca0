"""`consult browse`: the staff workbench for reading and curating responses."""

from __future__ import annotations

from pathlib import Path

import click

from consult.cli import cli
from consult.cli.common import bank_option, db_option, need_terminal, open_bank, open_store


@cli.command()
@db_option
@bank_option
@click.option("--user", default=None, help="Your name, recorded with reading marks and every curation "
              "[default: $USER]")
def browse(db_path: Path | None = None, bank_path: Path | None = None, user: str | None = None) -> None:
    """Browse, search and curate the responses and their themes (staff only).

    Read-only until you take a curation action; opening an answer records that you have read it.
    """
    bank = open_bank(bank_path)
    need_terminal("browse")
    store = open_store(db_path, create=False)
    if not store.has_consultation(bank.id):
        store.sync_bank(bank)
    from consult.tui.browse.app import default_user, make_browse_app

    make_browse_app(store, bank, user=user or default_user()).run()

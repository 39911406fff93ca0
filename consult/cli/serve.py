"""`consult serve`: members answer in a web browser (the answering app only)."""

from __future__ import annotations

from pathlib import Path

import click

from consult.cli import cli
from consult.cli.common import bank_option, db_option, open_bank, open_store


@cli.command()
@db_option
@bank_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Keep the default and put an HTTPS reverse proxy in front.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--public-url", default=None, metavar="URL",
              help="The address members open, when behind a proxy (e.g. https://answer.example.org).")
@click.option("--max-sessions", default=None, type=click.IntRange(1, 10_000),
              help="Most browser sessions at once; more are asked to come back later. [default: 40]")
def serve(db_path: Path | None, bank_path: Path | None, host: str, port: int, public_url: str | None,
          max_sessions: int | None) -> None:
    """Serve the answering app to web browsers: each tab is one member's session.

    Only `consult answer` on this database and bank is served; no staff screen. There is no
    log-in: anyone who can reach the address can answer. See the README before going public.
    """
    from consult.serve import DEFAULT_MAX_SESSIONS, is_loopback, make_server

    bank = open_bank(bank_path)
    store = open_store(db_path, bank)  # create the database and record the bank before any session
    db = store.path
    store.close()
    if not is_loopback(host):
        click.echo(f"consult: warning: listening on {host}: there is no log-in and no HTTPS; anyone "
                   "who can reach it can answer. Prefer 127.0.0.1 behind an HTTPS reverse proxy.", err=True)
    server = make_server(db, bank, host=host, port=port, public_url=public_url,
                         max_sessions=max_sessions or DEFAULT_MAX_SESSIONS)
    click.echo(f"Serving {bank.title} from {db} on {server.public_url} (Ctrl+C stops).", err=True)
    server.serve()

"""Options and error handling shared by every subcommand."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from consult.questions import Bank, BankError, default_bank_path, load_bank
from consult.store import Store, StoreError, default_db_path


class UsageProblem(click.ClickException):
    """Bad input from the user: one line on stderr, exit status 2."""

    exit_code = 2

    def show(self, file=None) -> None:
        click.echo(f"consult: {self.format_message()}", err=True)


class ConsultGroup(click.Group):
    """Turns the library's user-facing errors into :class:`UsageProblem`."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except BankError as exc:
            lines = [str(p) for p in exc.problems]
            click.echo("\n".join(lines), err=True)
            raise UsageProblem(f"the question bank has {len(lines)} problem(s); nothing was started") from None
        except StoreError as exc:
            raise UsageProblem(str(exc)) from None
        except KeyboardInterrupt:
            click.echo("", err=True)
            sys.exit(130)


def db_option(f):
    return click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path),
                        default=None, envvar="CONSULT_DB", show_envvar=True,
                        help="Database file [default: ./responses.db]")(f)


def bank_option(f):
    return click.option("--bank", "bank_path", type=click.Path(dir_okay=False, path_type=Path),
                        default=None, envvar="CONSULT_BANK", show_envvar=True,
                        help="Question bank (TOML) [default: the bundled Localising justice bank]")(f)


def open_bank(bank_path: Path | None) -> Bank:
    return load_bank(bank_path or default_bank_path())


def open_store(db_path: Path | None, bank: Bank | None = None) -> Store:
    """Open (creating if needed) the database and record the bank's questions in it."""
    store = Store(db_path or default_db_path())
    if bank is not None:
        store.sync_bank(bank)
    return store

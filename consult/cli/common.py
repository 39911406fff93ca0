"""Options and error handling shared by every subcommand."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from consult.questions import Bank, BankError, bundled_banks, default_bank_path, load_bank
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
            raise UsageProblem(f"the question bank has {len(lines)} problem(s)") from None
        except StoreError as exc:
            raise UsageProblem(str(exc)) from None
        except OSError as exc:  # a file we were asked to read or write: say which, and why
            where = f"{exc.filename}: " if exc.filename else ""
            raise UsageProblem(f"{where}{exc.strerror or exc}") from None
        except KeyboardInterrupt:
            click.echo("", err=True)
            sys.exit(130)

    def main(self, *args, **kwargs):
        """Usage errors in one line, like every other error: ``consult: <what> (see --help)``."""
        try:
            return super().main(*args, standalone_mode=False, **kwargs)
        except click.UsageError as exc:
            command = exc.ctx.command_path if exc.ctx else "consult"
            click.echo(f"consult: {exc.format_message()} (see `{command} --help`)", err=True)
            sys.exit(2)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("Aborted.", err=True)
            sys.exit(1)


def _root_default(name: str):
    """Take --db/--bank given before the subcommand (``consult --db x.db analyse``) as default."""

    def callback(ctx: click.Context, param: click.Parameter, value):
        if value is None and ctx.find_root().obj:
            return ctx.find_root().obj.get(name)
        return value

    return callback


def db_option(f):
    return click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path),
                        default=None, envvar="CONSULT_DB", show_envvar=True, callback=_root_default("db"),
                        help="Database file [default: ./responses.db]")(f)


def _remember_consultation(ctx: click.Context, param: click.Parameter, value):
    """``--consultation`` is read by :func:`open_bank`; given before the subcommand, it holds
    for the subcommand too (``ctx.meta`` is shared down the chain)."""
    if value is not None:
        ctx.meta["consultation"] = value


def bank_option(f):
    f = click.option("--consultation", "consultation_id", metavar="ID", default=None, expose_value=False,
                     callback=_remember_consultation, is_eager=False,
                     help="Which consultation in the database [default: the only one]")(f)
    return click.option("--bank", "bank_path", type=click.Path(dir_okay=False, path_type=Path),
                        default=None, envvar="CONSULT_BANK", show_envvar=True,
                        callback=_root_default("bank"),
                        help="Question bank (TOML) [default: the consultation's own, or the bundled "
                             "Localising justice bank]")(f)


def open_bank(bank_path: Path | None) -> Bank:
    """The bank of the consultation this command works on, chosen by :func:`choose_bank` from
    ``--bank``, ``--consultation`` and ``--db`` as given on the command line."""
    ctx = click.get_current_context(silent=True)
    consultation = ctx.meta.get("consultation") if ctx else None
    db_path = ctx.params.get("db_path") if ctx else None
    return choose_bank(db_path, bank_path, consultation)


def choose_bank(db_path: Path | None, bank_path: Path | None, consultation_id: str | None) -> Bank:
    """Which consultation a command works on: the one policy, for every command.

    - ``--bank FILE``: that bank (``--consultation``, if also given, must be its id).
    - ``--consultation ID``: its bank as recorded in the database, else the bundled bank with
      that id.
    - neither: the database's only consultation; the bundled Localising justice bank when the
      database is new or empty; with several, a one-line message listing them.
    """
    if bank_path is not None:
        bank = load_bank(bank_path)
        if consultation_id and consultation_id != bank.id:
            raise UsageProblem(f"--consultation {consultation_id} does not match {bank_path}, "
                               f"whose consultation id is {bank.id!r}")
        return bank
    path = db_path or default_db_path()
    known = _consultations_in(path)
    listing = ", ".join(f"{c['id']} ({c['title']})" for c in known)
    if consultation_id is None:
        if len(known) > 1:
            raise UsageProblem(f"{path} holds {len(known)} consultations: {listing}; "
                               "choose one with --consultation ID")
        if not known:
            return load_bank(default_bank_path())
        consultation_id = known[0]["id"]
    recorded = next((c for c in known if c["id"] == consultation_id), None)
    if recorded and recorded["bank_path"] and Path(recorded["bank_path"]).is_file():
        bank = load_bank(recorded["bank_path"])
        if bank.id == consultation_id:
            return bank
    bank = next((b for b in bundled_banks() if b.id == consultation_id), None)
    if bank is not None:
        return bank
    if recorded:
        raise UsageProblem(f"cannot find the question bank of {consultation_id!r} (recorded as "
                           f"{recorded['bank_path']}): name it with --bank FILE")
    held = f"it holds: {listing}" if known else "it holds none yet"
    raise UsageProblem(f"no consultation {consultation_id!r} in {path} ({held}), and no bundled "
                       "bank has that id: name its bank with --bank FILE")


def _consultations_in(path: Path) -> list[dict]:
    if not path.is_file():
        return []
    store = Store(path)
    try:
        return store.consultations()
    finally:
        store.close()


def open_store(db_path: Path | None, bank: Bank | None = None, *, create: bool = True) -> Store:
    """Open the database and record the bank's questions in it.

    Commands that only read (analyse, themes, export, report, browse) pass ``create=False``, so
    that a mistyped ``--db`` is an error rather than a new, empty database.
    """
    path = db_path or default_db_path()
    if not create and not path.exists():
        raise UsageProblem(f"no database at {path}: `consult answer`, `consult import` or "
                           "`consult demo` creates one")
    store = Store(path)
    if bank is not None:
        store.sync_bank(bank)
    return store


def writable(path: Path) -> Path:
    """Check, before any work is done, that a file can be written at ``path``."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UsageProblem(f"cannot write {path}: folder {folder} does not exist")
    if path.is_dir():
        raise UsageProblem(f"cannot write {path}: it is a folder")
    return path


def need_terminal(command: str) -> None:
    """The TUIs draw on a terminal; without one they would hang writing escape codes. Under
    `consult serve`, textual-serve drives the app through pipes with its web driver."""
    if "web_driver" in os.environ.get("TEXTUAL_DRIVER", ""):
        return
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageProblem(f"`consult {command}` needs a terminal (stdin and stdout must be a TTY)")

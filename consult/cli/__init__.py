"""The ``consult`` command: a thin layer over the library.

Each area registers its subcommands from its own module. Errors the user can fix (a bad bank, a
bad database path, a bad import row) become one-line messages with exit status 2, never a
traceback.
"""

from __future__ import annotations

from pathlib import Path

import click

from consult.cli.common import ConsultGroup, bank_option, db_option


@click.group(cls=ConsultGroup, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="consult")
@db_option
@bank_option
@click.pass_context
def cli(ctx: click.Context, db_path: Path | None, bank_path: Path | None) -> None:
    """Run a written consultation among members, and turn the answers into evidence.

    With no command, starts the answering app (the same as `consult answer`). --db and --bank
    given here apply to the command that follows.
    """
    ctx.obj = {"db": db_path, "bank": bank_path}
    if ctx.invoked_subcommand is None:
        from consult.cli.answer import answer

        ctx.invoke(answer, db_path=db_path, bank_path=bank_path)


def _register() -> None:
    # Imported for their side effect of adding commands to `cli`.
    from consult.cli import answer, questions  # noqa: F401

    for optional in ("data", "analyse", "themes", "report", "quotes", "browse", "serve", "admin"):
        try:
            __import__(f"consult.cli.{optional}")
        except ModuleNotFoundError as exc:
            if exc.name != f"consult.cli.{optional}":
                raise


_register()


def main() -> None:
    cli(prog_name="consult")

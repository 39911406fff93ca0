"""The ``consult`` command: a thin layer over the library.

Each area registers its subcommands from its own module. Errors the user can fix (a bad bank, a
bad database path, a bad import row) become one-line messages with exit status 2, never a
traceback.
"""

from __future__ import annotations

import click

from consult.cli.common import ConsultGroup


@click.group(cls=ConsultGroup, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="consult")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Run a written consultation among members, and turn the answers into evidence.

    With no command, starts the answering app (the same as `consult answer`).
    """
    if ctx.invoked_subcommand is None:
        from consult.cli.answer import answer

        ctx.invoke(answer)


def _register() -> None:
    # Imported for their side effect of adding commands to `cli`.
    from consult.cli import answer, questions  # noqa: F401

    for optional in ("data", "analyse", "report", "browse"):
        try:
            __import__(f"consult.cli.{optional}")
        except ModuleNotFoundError as exc:
            if exc.name != f"consult.cli.{optional}":
                raise


_register()


def main() -> None:
    cli(prog_name="consult")

"""`consult questions`: check and show question banks."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.text import Text

from consult.cli import cli
from consult.cli.common import UsageProblem, writable
from consult.questions import ID_PATTERN, BankError, default_bank_path, load_bank


def _chosen_bank() -> Path:
    """The bank named by ``consult --bank`` (or ``$CONSULT_BANK``), else the bundled one."""
    ctx = click.get_current_context()
    root = ctx.find_root().obj or {}
    return root.get("bank") or default_bank_path()


@cli.group()
def questions() -> None:
    """Check, show and start question banks."""


@questions.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
def check(files: tuple[Path, ...]) -> None:
    """Validate question bank FILES (default: the bundled bank).

    Every problem is listed with its file, line and field. Exit status 2 if any.
    """
    problems = 0
    for path in files or (_chosen_bank(),):
        try:
            bank = load_bank(path)
        except BankError as exc:
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            problems += len(exc.problems)
            continue
        click.echo(f"{path}: ok: {len(bank.sections)} sections, {len(bank.questions)} questions, "
                   f"{len(bank.profile)} profile fields, {len(bank.consent)} consent items")
    if problems:
        raise UsageProblem(f"{problems} problem(s) found")


@questions.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the questions as a JSON list.")
def show(file: Path | None, as_json: bool) -> None:
    """Print the sections and questions of FILE (default: the bundled bank)."""
    bank = load_bank(file or _chosen_bank())
    if as_json:
        rows = [{"section": s.id, "section_title": s.title, "id": q.id, "text": q.text, "kind": q.kind,
                 "required": q.required, "word_limit": q.word_limit, "key_question": q.key_question,
                 **({"options": list(q.options)} if q.options else {})}
                for s in bank.sections for q in s.questions]
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    # On a terminal, wrap to its width; into a file or a pipe, one line per question.
    console = Console(highlight=False, soft_wrap=not sys.stdout.isatty())
    console.print(Text(bank.title, style="bold"), Text(f"  {bank.publisher}, {bank.date}", style="dim"))
    number = 0
    for section in bank.sections:
        console.print()
        console.print(Text(section.title, style="bold underline"), Text(f"  [{section.id}]", style="dim"))
        for q in section.questions:
            number += 1
            line = Text(f"{number:>3}. ")
            line.append(q.text)
            line.append(f"  {q.id}", style="dim")
            console.print(line)


TEMPLATE = "bank-template.toml"


@questions.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def new(path: Path) -> None:
    """Write a commented template bank to PATH (never over an existing file), to edit.

    The template has one question of each kind and passes `consult questions check`.
    """
    from importlib import resources

    writable(path)
    template = (resources.files("consult") / "data" / TEMPLATE).read_text(encoding="utf-8")
    slug = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")
    if ID_PATTERN.match(slug):
        template = template.replace('"new-consultation"', f'"{slug}"'.ljust(len('"new-consultation"')), 1)
    try:
        with path.open("x", encoding="utf-8") as out:  # "x": fails if the file exists
            out.write(template)
    except FileExistsError:
        raise UsageProblem(f"{path} already exists: choose another name (nothing was written)") from None
    click.echo(f"Wrote {path}. Edit the lines marked EDIT, then: consult questions check {path}")

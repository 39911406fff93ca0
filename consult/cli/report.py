"""`consult report`: the report for Government, as HTML, Markdown, Word or PDF."""

from __future__ import annotations

from pathlib import Path

import click

from consult.cli import cli
from consult.cli.analyse import analyse_with_progress
from consult.cli.common import UsageProblem, bank_option, db_option, open_bank, open_store, writable


@cli.command()
@db_option
@bank_option
@click.option("--out", "-o", "out", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("report.html"), show_default=True,
              help="Where to write the report; .html, .md, .docx or .pdf chooses the format.")
@click.option("--format", "fmt", type=click.Choice(["html", "markdown", "docx", "pdf"]), default=None,
              help="Format, if the file name does not say. [default: from --out, else html]")
@click.option("--include-drafts", is_flag=True,
              help="Also count responses not yet submitted (never quoted). Default: submitted only.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar or closing message.")
def report(db_path, bank_path, out: Path, fmt: str | None, include_drafts: bool, quiet: bool) -> None:
    """Write the report: key messages, a summary per section, who responded, the method, each
    question's themes in members' words, and an appendix of full tables.

    Uses the latest analysis run; if there is none yet, runs `consult analyse` first. Quotes
    respect each response's consent, and contact details are removed from them.
    """
    from consult.report import FileExists, build_report, format_for, made_by_consult, write_report

    fmt = fmt or format_for(out)
    if fmt is None:
        raise UsageProblem(f"cannot tell the format of {out.name}: use a .html, .md, .docx or .pdf name, "
                           "or --format")
    writable(out)
    if (out.exists() or out.is_symlink()) and (out.is_symlink() or not made_by_consult(out)):
        raise UsageProblem(f"{out} already exists and is not a report consult wrote: consult never writes "
                           "over it; choose a new name")
    bank = open_bank(bank_path)
    store = open_store(db_path, bank, create=False)
    run = store.latest_run(bank.id)
    if store.respondents(bank.id) and (run is None or run.params.get("include_drafts", False) != include_drafts):
        # The themes must be found in the same responses the report counts.
        if not quiet:
            why = "No analysis has been run yet" if run is None else (
                "The latest analysis " + ("left drafts out" if include_drafts else "included drafts"))
            click.echo(f"{why}: finding themes first.", err=True)
        analyse_with_progress(store, bank, quiet=quiet, include_drafts=include_drafts)
    data = build_report(store, bank, include_drafts=include_drafts)
    try:
        write_report(data, out, fmt)
    except FileExists as exc:
        raise UsageProblem(str(exc)) from None
    except OSError as exc:
        raise UsageProblem(f"cannot write {out}: {exc.strerror or exc}") from None
    if not quiet:
        click.echo(f"Wrote {out} ({fmt}): {data.counted_line} counted, {len(data.questions)} questions, "
                   f"{len(data.key_messages)} key messages.", err=True)

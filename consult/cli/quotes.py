"""`consult quotes`: staff choose key quotes and which sentences of them the report quotes."""

from __future__ import annotations

import getpass
import re
from pathlib import Path

import click
from rich.console import Console
from rich.text import Text

from consult.cli import cli
from consult.cli.common import UsageProblem, bank_option, db_option, open_bank, open_store
from consult.report.quotes import sentences
from consult.text import clean

RANGE = re.compile(r"^\s*(\d+)\s*(?:-\s*(\d+))?\s*$")


@cli.group()
def quotes() -> None:
    """Key quotes: show an answer's numbered sentences, and choose the excerpt the report quotes."""


def _answer(store, bank, respondent: str, question: str) -> str:
    if not bank.has_question(question):
        raise UsageProblem(f"no question {question!r} in the bank: see `consult questions show`")
    text = dict(store.answers_to(question, consultation_id=bank.id)).get(respondent)
    if text is None:
        raise UsageProblem(f"respondent {respondent!r} has no answer to {question}")
    return text


@quotes.command("show")
@db_option
@bank_option
@click.argument("respondent")
@click.argument("question")
def show(db_path: Path | None, bank_path: Path | None, respondent: str, question: str) -> None:
    """Show an answer's sentences, numbered, and the excerpt chosen for it."""
    bank = open_bank(bank_path)
    store = open_store(db_path, bank, create=False)
    text = _answer(store, bank, respondent, question)
    console = Console(highlight=False)
    chosen = store.quote_excerpts().get((respondent, question))
    key = (respondent, question) in store.key_quotes()
    for n, sentence in enumerate(sentences(clean(text)), start=1):
        mark = "*" if chosen and chosen[0] <= n <= chosen[1] else " "
        console.print(Text(f"{mark}{n:>3}  ") + Text(sentence))
    state = ("key quote, sentences {}-{}".format(*chosen) if chosen else
             "key quote, from the start" if key else "not a key quote")
    console.print(Text(state, style="dim"))


@quotes.command("set")
@db_option
@bank_option
@click.argument("respondent")
@click.argument("question")
@click.option("--sentences", "span", default="all", show_default=True, metavar="N|N-M|all",
              help="Which sentences the report quotes, numbered as `consult quotes show` shows them.")
@click.option("--user", default=None, help="Your name, for the curation log [default: $USER]")
def set_quote(db_path: Path | None, bank_path: Path | None, respondent: str, question: str, span: str,
              user: str | None) -> None:
    """Make an answer a key quote and choose its excerpt."""
    bank = open_bank(bank_path)
    store = open_store(db_path, bank, create=False)
    count = len(sentences(clean(_answer(store, bank, respondent, question))))
    first = last = None
    if span.strip().lower() != "all":
        m = RANGE.match(span)
        if not m:
            raise UsageProblem(f"--sentences {span!r}: give N, N-M or all (for example 2-3)")
        first, last = int(m.group(1)), int(m.group(2) or m.group(1))
        if not 1 <= first <= last <= count:
            raise UsageProblem(f"--sentences {span}: the answer has sentences 1 to {count}")
    store.set_quote_excerpt(respondent, question, first, last, by=user or getpass.getuser())
    click.echo(f"Key quote {respondent} / {question}: " +
               ("the whole answer" if first is None else f"sentences {first}-{last} of {count}"), err=True)

"""`consult themes`: the codebook of each question, and the staff edits of it.

Thin: every edit is one store method (``consult.store.codebook_edits``), every count comes from
``consult.codebook.question_coding``. Each edit is recorded with ``--user`` and can be undone.
"""

from __future__ import annotations

import getpass
import json
import os

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from consult.cli import cli
from consult.cli.common import UsageProblem, bank_option, db_option, open_bank, open_store
from consult.codebook import CodedTheme, QuestionCoding, find_theme, question_coding
from consult.store import CurationError
from consult.text import clean, one_line, plural, redact

QUOTE_WIDTH = 100


def default_user() -> str:
    try:
        return os.environ.get("USER") or getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name is not worth a crash
        return "staff"


def user_option(f):
    return click.option("--user", default=None, metavar="NAME",
                        help="Your name, recorded with the edit [default: your login name].")(f)


class Session:
    """What every subcommand needs: the bank, the store and a checked question."""

    def __init__(self, ctx: click.Context, db_path, bank_path, user: str | None = None):
        parent = ctx.parent.params if ctx.parent else {}
        self.bank = open_bank(bank_path or parent.get("bank_path"))
        self.store = open_store(db_path or parent.get("db_path"), self.bank, create=False)
        self.user = user or default_user()
        self.include_drafts = bool(parent.get("include_drafts"))

    def question(self, question_id: str) -> str:
        free = [q.id for q in self.bank.questions if q.is_free_text]
        if question_id not in free:
            raise UsageProblem(f"no free-text question {question_id!r} in {self.bank.path.name}; questions: "
                               + ", ".join(free))
        return question_id

    def coding(self, question_id: str) -> QuestionCoding:
        return question_coding(self.store, self.bank.id, question_id, include_drafts=self.include_drafts)

    def theme(self, question_id: str, ref: str) -> CodedTheme:
        coding = self.coding(question_id)
        found = find_theme(coding, ref)
        if found is None:
            listed = ", ".join(f"{t.id} {clean(t.label)!r}" for t in coding.themes) or "none yet (run `consult analyse`)"
            raise UsageProblem(f"no theme {ref!r} in {question_id}; its themes: {listed}")
        return found

    def do(self, method, *args, **kwargs):
        try:
            return method(*args, by=self.user, **kwargs)
        except CurationError as exc:
            raise UsageProblem(str(exc)) from None


def edit_command(name: str, help_text: str):
    """A subcommand of `consult themes` with --db, --bank and --user."""
    def wrap(f):
        f = user_option(bank_option(db_option(click.pass_context(f))))
        return themes.command(name, help=help_text)(f)
    return wrap


# ---------------------------------------------------------------------- the list
@cli.group(invoke_without_command=True)
@db_option
@bank_option
@click.option("--question", "question_ids", multiple=True, metavar="ID", help="Only this question (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print the codebook as JSON (one object per theme).")
@click.option("--include-drafts", is_flag=True, help="Count responses not yet submitted too.")
@click.pass_context
def themes(ctx, db_path, bank_path, question_ids, as_json, include_drafts) -> None:
    """Show the codebook of each question: its themes, their status and who is in them.

    A run of `consult analyse` proposes candidate themes; confirm or edit them with the
    subcommands below, and later runs assign new answers to them. Every edit can be undone.
    """
    if ctx.invoked_subcommand is not None:
        return
    session = Session(ctx, db_path, bank_path)
    for qid in question_ids:
        session.question(qid)
    chosen = [q for q in session.bank.questions if q.is_free_text and (not question_ids or q.id in question_ids)]
    codings = [(q, session.coding(q.id)) for q in chosen]
    if as_json:
        click.echo(json.dumps([theme_json(t) for _, c in codings for t in c.themes], ensure_ascii=False, indent=1))
        return
    if not any(c.themes or c.other or c.non_answers for _, c in codings) and session.store.latest_run(
            session.bank.id) is None:
        raise UsageProblem("no analysis run yet: run `consult analyse` first")
    console = Console(highlight=False)
    texts = {}
    for question, coding in codings:
        texts = dict(session.store.answers_to(question.id, consultation_id=session.bank.id))
        print_question(console, question, coding, texts)


def theme_json(t: CodedTheme) -> dict:
    return {"question": t.question_id, "id": t.id, "label": t.label, "description": t.description,
            "status": t.status, "new": t.is_new, "parent": t.parent_id, "size": t.count,
            "share": round(t.share, 4), "respondents": list(t.respondents), "primary": list(t.primary),
            "terms": list(t.terms), "origin": t.origin}


def status_of(t: CodedTheme) -> str:
    return "new" if t.is_new else t.status


def quote(texts: dict[str, str], rids) -> Text:
    for rid in rids:
        if rid in texts:
            return Text(one_line(redact(clean(texts[rid])), QUOTE_WIDTH), style="italic")
    return Text("")


def print_question(console: Console, question, coding: QuestionCoding, texts: dict[str, str]) -> None:
    title = Text(f"{question.id}: {question.text}")
    if not coding.population:
        console.print(title, Text("  nobody answered", style="dim"))
        return
    if not (coding.themes or coding.other or coding.non_answers):
        console.print(title, Text(f"  {coding.population} answered, not analysed yet (run `consult analyse`)",
                                  style="dim"))
        console.print()
        return
    table = Table(title=title, title_justify="left", expand=True)
    table.add_column("ID", justify="right")
    table.add_column("Theme", ratio=3)
    table.add_column("Status")
    table.add_column("Size", justify="right")
    table.add_column("Share", justify="right")
    table.add_column("Representative answer", ratio=5)
    for t in coding.themes:
        label = Text(("  └ " if t.parent_id else "") + clean(t.label), style="" if t.parent_id else "bold")
        table.add_row(str(t.id), label, status_of(t), str(t.count), f"{t.share:.0%}", quote(texts, t.respondents))
    for name, members in (("Other", coding.other), ("No substantive answer", coding.non_answers)):
        if members:
            table.add_row("", Text(name, style="dim"), "", str(len(members)),
                          f"{len(members) / coding.population:.0%}", quote(texts, members), style="dim")
    console.print(table)
    note = f"{coding.population} answered"
    if coding.uncoded:
        note += f"; {len(coding.uncoded)} not coded yet (run `consult analyse`)"
    if coding.too_few:
        note += "; too few answers to find themes"
    console.print(Text(note, style="dim"))
    console.print()


# ---------------------------------------------------------------------- theme edits
@edit_command("confirm", "Confirm themes as they are (all of the question's with --all).")
@click.argument("question_id", metavar="QUESTION")
@click.argument("refs", nargs=-1, metavar="[THEME]...")
@click.option("--all", "everything", is_flag=True, help="Every theme of the question.")
def confirm(ctx, db_path, bank_path, user, question_id, refs, everything) -> None:
    s = Session(ctx, db_path, bank_path, user)
    qid = s.question(question_id)
    if not refs and not everything:
        raise UsageProblem("name the themes to confirm, or give --all")
    chosen = list(s.coding(qid).themes) if everything else [s.theme(qid, r) for r in refs]
    if not chosen:
        raise UsageProblem(f"{qid} has no themes yet: run `consult analyse` first")
    done = s.do(s.store.codebook_confirm, [t.id for t in chosen])
    click.echo(f"Confirmed {plural(done, 'theme')} of {qid}" + ("" if done else " (all were already)") + ".")


@edit_command("rename", "Give a theme a new name (it keeps it through every later run).")
@click.argument("question_id", metavar="QUESTION")
@click.argument("ref", metavar="THEME")
@click.argument("label")
def rename(ctx, db_path, bank_path, user, question_id, ref, label) -> None:
    s = Session(ctx, db_path, bank_path, user)
    theme = s.theme(s.question(question_id), ref)
    s.do(s.store.codebook_rename, theme.id, label)
    click.echo(f"Renamed theme {theme.id} {clean(theme.label)!r} to {' '.join(label.split())!r}.")


@edit_command("describe", "Give a theme a description.")
@click.argument("question_id", metavar="QUESTION")
@click.argument("ref", metavar="THEME")
@click.argument("text")
def describe(ctx, db_path, bank_path, user, question_id, ref, text) -> None:
    s = Session(ctx, db_path, bank_path, user)
    theme = s.theme(s.question(question_id), ref)
    s.do(s.store.codebook_describe, theme.id, text)
    click.echo(f"Described theme {theme.id} {clean(theme.label)!r}.")


@edit_command("merge", "Fold THEME into INTO: its answers move there and THEME goes.")
@click.argument("question_id", metavar="QUESTION")
@click.argument("ref", metavar="THEME")
@click.argument("into_ref", metavar="INTO")
def merge(ctx, db_path, bank_path, user, question_id, ref, into_ref) -> None:
    s = Session(ctx, db_path, bank_path, user)
    qid = s.question(question_id)
    theme, into = s.theme(qid, ref), s.theme(qid, into_ref)
    s.do(s.store.codebook_merge, theme.id, into.id)
    after = s.coding(qid).theme(into.id)
    click.echo(f"Merged {clean(theme.label)!r} ({theme.count}) into {clean(into.label)!r} ({into.count}): "
               f"{clean(into.label)!r} now has {after.count}. "
               "Undo with: consult themes undo")


@edit_command("split", "Split a theme into the sub-groups the analysis finds in its answers.")
@click.argument("question_id", metavar="QUESTION")
@click.argument("ref", metavar="THEME")
@click.option("--seed", type=int, default=0, show_default=True)
def split(ctx, db_path, bank_path, user, question_id, ref, seed) -> None:
    from consult.pipeline import split_by_analysis

    s = Session(ctx, db_path, bank_path, user)
    qid = s.question(question_id)
    theme = s.theme(qid, ref)
    new_ids = s.do(split_by_analysis, s.store, s.bank.id, theme.id, seed=seed)
    coding = s.coding(qid)
    parts = ", ".join(f"{t.id} {clean(t.label)!r} ({t.count})" for t in map(coding.theme, new_ids) if t)
    left = coding.theme(theme.id)
    click.echo(f"Split {clean(theme.label)!r} ({theme.count}) into {parts}"
               + (f"; {left.count} stay in it" if left else "") + ". Undo with: consult themes undo")


@edit_command("delete", "Take a theme out; its answers with no other theme go to Other.")
@click.argument("question_id", metavar="QUESTION")
@click.argument("ref", metavar="THEME")
def delete(ctx, db_path, bank_path, user, question_id, ref) -> None:
    s = Session(ctx, db_path, bank_path, user)
    theme = s.theme(s.question(question_id), ref)
    to_other = s.do(s.store.codebook_delete, theme.id)
    click.echo(f"Deleted {clean(theme.label)!r} ({theme.count}): {plural(to_other, 'answer')} to Other, "
               f"{theme.count - to_other} kept their other themes. Undo with: consult themes undo")


@edit_command("add", "Add a theme of your own (answers join it by move, or by the next run).")
@click.argument("question_id", metavar="QUESTION")
@click.argument("label")
@click.option("--description", default="", help="What the theme is about (helps the next run assign to it).")
@click.option("--parent", "parent_ref", metavar="THEME", help="The broad theme it belongs under.")
def add(ctx, db_path, bank_path, user, question_id, label, description, parent_ref) -> None:
    s = Session(ctx, db_path, bank_path, user)
    qid = s.question(question_id)
    parent = s.theme(qid, parent_ref).id if parent_ref else None
    theme_id = s.do(s.store.codebook_add, s.bank.id, qid, label, description=description, parent_id=parent)
    click.echo(f"Added theme {theme_id} {' '.join(label.split())!r} to {qid}.")


@edit_command("parent", "Put a theme under a broad theme (BROAD), or back at the top ('none').")
@click.argument("question_id", metavar="QUESTION")
@click.argument("ref", metavar="THEME")
@click.argument("parent_ref", metavar="BROAD|none")
def parent(ctx, db_path, bank_path, user, question_id, ref, parent_ref) -> None:
    s = Session(ctx, db_path, bank_path, user)
    qid = s.question(question_id)
    theme = s.theme(qid, ref)
    broad = None if parent_ref.casefold() == "none" else s.theme(qid, parent_ref)
    s.do(s.store.codebook_reparent, theme.id, broad.id if broad else None)
    click.echo(f"{clean(theme.label)!r} is now " + (f"under {clean(broad.label)!r}." if broad else "a top-level theme."))


# ---------------------------------------------------------------------- answer edits
@edit_command("move", "Move one answer to a theme (its primary theme), or to 'other'.")
@click.argument("question_id", metavar="QUESTION")
@click.argument("respondent_id", metavar="RESPONDENT")
@click.argument("ref", metavar="THEME|other")
@click.option("--also", is_flag=True, help="Give the answer this theme as well, keeping its others.")
def move(ctx, db_path, bank_path, user, question_id, respondent_id, ref, also) -> None:
    s = Session(ctx, db_path, bank_path, user)
    qid = s.question(question_id)
    target = None if ref.casefold() == "other" else s.theme(qid, ref)
    s.do(s.store.codebook_code, s.bank.id, qid, respondent_id, target.id if target else None, also=also)
    where = "Other" if target is None else repr(clean(target.label))
    click.echo(f"{respondent_id} now has {where}" + (" as well." if also else "."))


@edit_command("uncode", "Take one theme off an answer (one left with none goes to Other).")
@click.argument("question_id", metavar="QUESTION")
@click.argument("respondent_id", metavar="RESPONDENT")
@click.argument("ref", metavar="THEME")
def uncode(ctx, db_path, bank_path, user, question_id, respondent_id, ref) -> None:
    s = Session(ctx, db_path, bank_path, user)
    qid = s.question(question_id)
    theme = s.theme(qid, ref)
    s.do(s.store.codebook_uncode, s.bank.id, qid, respondent_id, theme.id)
    click.echo(f"Took {clean(theme.label)!r} off {respondent_id}.")


# ---------------------------------------------------------------------- undo and history
@edit_command("undo", "Undo the latest codebook edit (of one question with --question).")
@click.option("--question", "question_id", metavar="ID", help="Only edits of this question.")
def undo(ctx, db_path, bank_path, user, question_id) -> None:
    s = Session(ctx, db_path, bank_path, user)
    qid = s.question(question_id) if question_id else None
    done = s.store.codebook_undo(s.bank.id, qid, by=s.user)
    if done is None:
        raise UsageProblem("nothing to undo" + (f" in {qid}" if qid else ""))
    click.echo(f"Undid #{done.id} of {done.question_id} ({done.by}, {done.at}): {clean(done.summary)}.")


@edit_command("history", "The codebook edits, newest first (or one theme's versions with --theme).")
@click.option("--question", "question_id", metavar="ID", help="Only edits of this question.")
@click.option("--theme", "theme_id", type=int, metavar="ID", help="Every version of one theme, oldest first.")
@click.option("--limit", type=int, default=30, show_default=True)
def history(ctx, db_path, bank_path, user, question_id, theme_id, limit) -> None:
    s = Session(ctx, db_path, bank_path, user)
    qid = s.question(question_id) if question_id else None
    if theme_id is not None:
        versions = s.store.theme_history(theme_id)
        if not versions:
            raise UsageProblem(f"no theme {theme_id} in the codebook")
        for v in versions:
            gone = " (deleted)" if v.deleted else ""
            click.echo(f"v{v.version}  {v.at}  {v.by:<10} {v.status:<9} {clean(v.label)!r}{gone}  - {clean(v.action)}")
        return
    actions = s.store.codebook_history(s.bank.id, qid, limit=limit)
    if not actions:
        click.echo("No codebook edits yet.")
    for a in actions:
        undone = f"  [undone by {a.undone_by} at {a.undone_at}]" if a.undone_at else ""
        click.echo(f"#{a.id}  {a.at}  {a.by:<10} {a.question_id}: {clean(a.summary)}{undone}")

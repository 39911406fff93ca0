"""The curation story through the CLI: staff edit the codebook, runs and imports come and go,
and every decision holds; undo takes each step back exactly."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from consult.cli import cli
from consult.codebook import question_coding
from consult.store import Store

Q = "delivery.payment-by-results"
CID = "localising-justice"
USER = "clinks-staff"


def consult(db, *args, ok: bool = True):
    """Run `consult ARGS` on the database (after the subcommand of `consult themes`, if any)."""
    at = 2 if args[0] == "themes" and len(args) > 1 and args[1] in EDITS else 1
    result = CliRunner().invoke(cli, [*args[:at], "--db", str(db), *args[at:]])
    if ok:
        assert result.exit_code == 0, result.output
    return result


EDITS = {"confirm", "rename", "describe", "merge", "split", "delete", "add", "parent", "move", "uncode", "undo",
         "history"}


def edit(db, *args, ok: bool = True):
    return consult(db, "themes", *args, "--user", USER, ok=ok)


def state(db) -> tuple:
    """What staff and readers see of the question: every theme and who is in it, Other, non-answers."""
    store = Store(db)
    try:
        coding = question_coding(store, CID, Q)
        return (tuple((t.id, t.label, t.description, t.status, t.parent_id, t.respondents, t.primary)
                      for t in coding.themes), coding.other, coding.non_answers)
    finally:
        store.close()


def themes_json(db) -> dict[str, dict]:
    out = consult(db, "themes", "--question", Q, "--json").output
    return {t["label"]: t for t in json.loads(out)}


@pytest.fixture
def demo(tmp_path):
    db = tmp_path / "demo.db"
    consult(db, "demo")
    consult(db, "analyse", "--question", Q, "-q")
    return db


def curate(db) -> list[tuple[str, tuple]]:
    """The story's steps; returns (step, state before it) for each."""
    before = []

    def step(name, *args):
        before.append((name, state(db)))
        return edit(db, *args)

    found = themes_json(db)
    assert set(found) == {"Cash flow", "Distance travelled", "Providers to cherry-pick", "Results in principle"}
    assert {t["status"] for t in found.values()} == {"candidate"}
    step("rename", "rename", Q, "Providers to cherry-pick", "Providers cherry-pick easy cases")
    moved_in = found["Cash flow"]["respondents"][-1]
    step("move in", "move", Q, moved_in, "Providers cherry-pick easy cases")
    sizes = {label: len(t["respondents"]) for label, t in themes_json(db).items()}
    out = step("merge", "merge", Q, "Distance travelled", "Cash flow").output
    merged = len(themes_json(db)["Cash flow"]["respondents"])
    assert (f"Merged 'Distance travelled' ({sizes['Distance travelled']}) into 'Cash flow' "
            f"({sizes['Cash flow']}): 'Cash flow' now has {merged}.") in out
    step("add", "add", Q, "Peterborough pilot", "--description", "The Peterborough social impact bond pilot")
    pilot = [r for r in found["Results in principle"]["respondents"][:2]]
    for rid in pilot:
        step(f"move {rid}", "move", Q, rid, "Peterborough pilot")
    out = step("split", "split", Q, "Cash flow").output
    assert out.startswith(f"Split 'Cash flow' ({merged}) into ")
    left = len(themes_json(db)["Results in principle"]["respondents"])
    out = step("delete", "delete", Q, "Results in principle").output
    assert f"Deleted 'Results in principle' ({left}): " in out and "answers to Other" in out
    step("other", "move", Q, found["Providers to cherry-pick"]["respondents"][0], "other")
    step("also", "move", Q, moved_in, "Peterborough pilot", "--also")
    return before


def test_every_step_undoes_exactly(demo):
    steps = curate(demo)
    for name, before in reversed(steps):
        out = edit(demo, "undo").output
        assert out.startswith("Undid #"), name
        assert state(demo) == before, f"undo of {name!r}"
    assert "nothing to undo" in edit(demo, "undo", ok=False).output
    history = edit(demo, "history").output
    assert history.count("[undone by clinks-staff") == len(steps)


def test_decisions_hold_through_runs_and_imports(demo, tmp_path):
    curate(demo)
    curated = themes_json(demo)
    store = Store(demo)
    other_before = set(question_coding(store, CID, Q).other)
    store.close()
    assert all(t["status"] == "confirmed" for t in curated.values())
    for n in range(3):
        new = tmp_path / f"new{n}.csv"
        new.write_text("respondent,question,answer,status\n"
                       f"late-{n}-a,{Q},The cash-flow risk will favour large organisations with deep reserves,submitted\n"
                       f"late-{n}-b,{Q},Zebra crossings outside the village school need repainting,submitted\n",
                       encoding="utf-8")
        consult(demo, "import", str(new))
        consult(demo, "analyse", "--question", Q, "-q")
        now = themes_json(demo)
        assert set(now) == set(curated), f"run {n + 2}"
        for label, theme in curated.items():
            mine = now[label]
            assert (mine["id"], mine["status"], mine["description"], mine["parent"]) == (
                theme["id"], theme["status"], theme["description"], theme["parent"])
            assert set(theme["respondents"]) <= set(mine["respondents"]), f"{label} lost answers in run {n + 2}"
        store = Store(demo)
        coding = question_coding(store, CID, Q)
        store.close()
        assert other_before <= set(coding.other)
        assert not coding.uncoded
    # the off-topic late answers went to Other, the cash-flow ones to a cash-flow theme
    assert {f"late-{n}-b" for n in range(3)} <= set(coding.other)
    cash = [t for t in coding.themes if "late-0-a" in t.respondents]
    assert cash and all({"late-1-a", "late-2-a"} <= set(t.respondents) for t in cash)


def test_unknown_ids_name_what_exists(demo):
    result = edit(demo, "rename", Q, "Nonesuch", "X", ok=False)
    assert result.exit_code == 2
    assert result.output.startswith("consult: no theme 'Nonesuch' in delivery.payment-by-results; its themes: ")
    assert "'Cash flow'" in result.output and len(result.output.strip().splitlines()) == 1
    result = edit(demo, "move", Q, "nobody", "Cash flow", ok=False)
    assert result.exit_code == 2 and "nobody has no answer" in result.output
    result = edit(demo, "confirm", "no.such-question", "--all", ok=False)
    assert result.exit_code == 2 and "questions: " in result.output


def test_listing_shows_status_and_redacts_contacts(demo, tmp_path):
    new = tmp_path / "contact.csv"
    new.write_text("respondent,question,answer,status\n"
                   f"phoner,{Q},Cash-flow risk favours large organisations with reserves; ring 07700 900123,submitted\n",
                   encoding="utf-8")
    consult(demo, "import", str(new))
    edit(demo, "add", Q, "Reserves")
    edit(demo, "move", Q, "phoner", "Reserves")  # its only answer: the representative one
    out = CliRunner().invoke(cli, ["themes", "--db", str(demo), "--question", Q], env={"COLUMNS": "160"}).output
    assert "confirmed" in out and "candidate" in out
    assert "07700" not in out and "[phone" in out  # "[phone removed]", as wrapped

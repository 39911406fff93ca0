"""The series: a second bank (the example survey) answered, analysed and reported end to end,
in the same database as Localising justice, each consultation kept apart; the one policy that
chooses a consultation; `consult questions new`."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from consult.cli import cli
from consult.cli.common import UsageProblem, choose_bank
from consult.questions import bank_folder, bundled_banks, load_bank
from consult.store import Store

EXAMPLE = bank_folder() / "example-payment-by-results.toml"
EXAMPLE_ID = "example-payment-by-results"
LJ_ID = "localising-justice"

# Answers in three recognisable veins, so that the analysis has themes to find.
CONCERNS = [
    "Cash flow is the worry: we have no reserves to wait months for payment in arrears.",
    "Waiting for payment would drain our small reserves and our cash flow could not cope.",
    "Prime providers will cherry pick the easiest clients and leave us the hardest cases.",
    "We fear large primes cherry pick the easy cases and pass the risk down to small charities.",
    "Distance travelled matters more than a single reoffending result after a year.",
    "Measuring only reoffending ignores the distance travelled by clients with complex needs.",
]


def _rows() -> list[dict]:
    rows = []
    for i in range(30):
        rid = f"pbr-{i:02d}"
        profile = {"org_name": f"Example org {i}", "org_size": ["Under £100,000", "Over £1 million"][i % 2],
                   "consent.quote": "yes", "consent.name": "no"}
        answers = {
            "experience.contracts": ["Yes, as the main provider", "No", "No, but we have bid for one"][i % 3],
            "experience.outcomes": "Reduced reoffending;Stable accommodation" if i % 2 else "Employment or training",
            "experience.measurement": CONCERNS[4 + i % 2] + f" (member {i})",
            "risk.cash-flow": str(1 + i % 5),
            "risk.support": ["Yes", "Yes, with changes", "No"][i % 3],
            "risk.concerns": CONCERNS[i % 6] + f" Member {i}.",
        }
        for n, (question, answer) in enumerate(answers.items()):
            rows.append({"respondent": rid, "question": question, "answer": answer,
                         **(profile if n == 0 else {})})
    return rows


def _write_csv(path: Path, rows: list[dict]) -> Path:
    fields = sorted({k for r in rows for k in r}, key=lambda k: (k not in ("respondent", "question", "answer"), k))
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return path


def _run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def two(tmp_path: Path) -> Path:
    """One database with both consultations: a few Localising justice answers, then the example."""
    db = tmp_path / "series.db"
    lj = [{"respondent": f"lj-{i}", "question": "delivery.payment-by-results",
           "answer": f"LOCALISING-JUSTICE answer {i} on payment by results", "consent.quote": "yes"}
          for i in range(3)]
    assert _run("import", str(_write_csv(tmp_path / "lj.csv", lj)), "--db", str(db)).exit_code == 0
    result = _run("import", str(_write_csv(tmp_path / "pbr.csv", _rows())), "--db", str(db),
                  "--bank", str(EXAMPLE))
    assert result.exit_code == 0, result.output
    return db


def test_the_example_bank_is_bundled_and_marked_as_an_example():
    bank = load_bank(EXAMPLE)
    assert EXAMPLE_ID in [b.id for b in bundled_banks()]
    assert "example" in bank.title.lower() and "EXAMPLE" in bank.introduction
    assert {q.kind for q in bank.questions} == {"text", "choice", "multi", "scale"}
    assert "EXAMPLE" in EXAMPLE.read_text(encoding="utf-8").splitlines()[0]


def test_with_two_consultations_a_command_asks_which(two):
    result = CliRunner().invoke(cli, ["export", "--db", str(two)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "2 consultations" in lines[0]
    assert EXAMPLE_ID in lines[0] and LJ_ID in lines[0] and "--consultation" in lines[0]
    result = CliRunner().invoke(cli, ["export", "--db", str(two), "--consultation", "nope"])
    assert result.exit_code == 2 and "no consultation 'nope'" in result.output


def test_the_example_survey_end_to_end_kept_apart_from_localising_justice(two, tmp_path):
    store = Store(two)
    assert {c["id"] for c in store.consultations()} == {LJ_ID, EXAMPLE_ID}
    assert len(store.respondents(EXAMPLE_ID)) == 30 and len(store.respondents(LJ_ID)) == 3
    store.close()

    result = _run("analyse", "--db", str(two), "--consultation", EXAMPLE_ID, "--quiet")
    assert result.exit_code == 0, result.output
    out = tmp_path / "pbr.md"
    result = _run("report", "--db", str(two), "--consultation", EXAMPLE_ID, "--out", str(out), "--quiet")
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "Payment by results (example survey)" in text
    assert "30" in text and "Yes, as the main provider" in text          # a choice, counted
    assert "several options" in text                                      # a multi, said so
    assert "Reduced reoffending" in text and "Number" in text             # multi options; the scale
    assert "cash flow" in text.lower()                                    # a theme in the free text
    assert "LOCALISING-JUSTICE" not in text and "Localising justice" not in text

    lj_out = tmp_path / "lj.md"
    result = _run("report", "--db", str(two), "--consultation", LJ_ID, "--out", str(lj_out), "--quiet")
    assert result.exit_code == 0, result.output
    lj_text = lj_out.read_text(encoding="utf-8")
    assert "Example org" not in lj_text and "cherry pick" not in lj_text.lower()
    assert "example survey" not in lj_text.lower()

    exported = _run("export", "--db", str(two), "--consultation", LJ_ID).output
    assert exported.count("lj-") == 3 and "pbr-" not in exported


def test_one_policy_chooses_the_consultation(two, tmp_path):
    assert choose_bank(two, None, EXAMPLE_ID).id == EXAMPLE_ID
    assert choose_bank(two, None, LJ_ID).id == LJ_ID
    assert choose_bank(tmp_path / "new.db", None, None).id == LJ_ID        # a new database
    assert choose_bank(two, EXAMPLE, None).id == EXAMPLE_ID                # --bank decides
    with pytest.raises(UsageProblem, match="does not match"):
        choose_bank(two, EXAMPLE, LJ_ID)
    only = tmp_path / "only.db"
    Store(only).sync_bank(load_bank(EXAMPLE))
    assert choose_bank(only, None, None).id == EXAMPLE_ID                 # the only one


def test_questions_new_writes_a_template_that_checks_and_never_overwrites(tmp_path):
    path = tmp_path / "next-paper.toml"
    result = _run("questions", "new", str(path))
    assert result.exit_code == 0 and path.exists()
    bank = load_bank(path)
    assert bank.id == "next-paper"
    assert {q.kind for q in bank.questions} == {"text", "choice", "multi", "scale"}
    assert path.read_text(encoding="utf-8").count("# ") > 20              # commented
    assert _run("questions", "check", str(path)).exit_code == 0
    path.write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(cli, ["questions", "new", str(path)])
    assert result.exit_code == 2 and "already exists" in result.output
    assert path.read_text(encoding="utf-8") == "mine"


def test_every_command_on_a_database_takes_consultation():
    import click

    def walk(group, prefix="consult"):
        for name, command in group.commands.items():
            if isinstance(command, click.Group):
                yield from walk(command, f"{prefix} {name}")
            else:
                yield f"{prefix} {name}", {p.name for p in command.params}

    on_a_db = {name: params for name, params in walk(cli) if "db_path" in params}
    assert {"consult answer", "consult report", "consult browse", "consult serve"} <= set(on_a_db)
    # backup and check act on the whole file, every consultation in it
    whole_file = {"consult backup", "consult check"}
    assert [name for name, params in on_a_db.items()
            if "consultation_id" not in params and name not in whole_file] == []

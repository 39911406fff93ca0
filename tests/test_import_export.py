"""Answers that arrived another way come in all or nothing, and go out again."""

from __future__ import annotations

import csv
import io
import json

from click.testing import CliRunner

from consult.cli import cli
from consult.store import Store

GOOD = """respondent,question,answer,org_type,region,areas,consent.quote,consent_name
r1,police.engagement,"Regular, named contacts at the station.",Registered charity,London,Women;Accommodation,yes,no
r1,police.compact-principles,Respect and honesty,Registered charity,London,Women;Accommodation,yes,no
r2,police.engagement,Training for officers about our work,community group (not registered),north west,,no,no
"""


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_import_then_export_round_trip(tmp_path, bank):
    src, db = tmp_path / "in.csv", tmp_path / "r.db"
    src.write_text(GOOD)
    result = run("import", src, "--db", db)
    assert result.exit_code == 0, result.output
    assert "2 respondents, 3 new or changed answers" in result.output
    r1 = Store(db).respondent("r1")
    assert r1.profile == {"org_type": "Registered charity", "region": "London",
                          "areas": ["Women", "Accommodation"]}
    assert r1.consent == {"quote": True, "name": False}
    assert Store(db).respondent("r2").profile["org_type"] == "Community group (not registered)"

    out = run("export", "--db", db, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out.output)))
    assert {(r["respondent"], r["question"], r["answer"]) for r in rows} == {
        ("r1", "police.engagement", "Regular, named contacts at the station."),
        ("r1", "police.compact-principles", "Respect and honesty"),
        ("r2", "police.engagement", "Training for officers about our work"),
    }
    as_json = json.loads(run("export", "--db", db, "--format", "json").output)
    assert {r["respondent"] for r in as_json} == {"r1", "r2"}
    assert set(as_json[0]) == {"respondent", "question", "answer", "theme"}


def test_reimporting_the_same_file_adds_nothing(tmp_path):
    src, db = tmp_path / "in.csv", tmp_path / "r.db"
    src.write_text(GOOD)
    run("import", src, "--db", db)
    again = run("import", src, "--db", db)
    assert "0 new or changed answers" in again.output
    store = Store(db)
    assert store.scalar("SELECT count(*) FROM answers") == 3
    assert store.scalar("SELECT count(*) FROM respondents") == 2


def test_a_bad_row_is_named_and_nothing_is_written(tmp_path):
    src, db = tmp_path / "in.csv", tmp_path / "r.db"
    src.write_text(GOOD + "r3,police.no-such-question,Hello,Registered charity,London,,yes,yes\n"
                          "r4,design.experience,Fine,Registered charity,Atlantis,,perhaps,no\n")
    result = run("import", src, "--db", db)
    assert result.exit_code == 2
    assert "row 5: unknown question id 'police.no-such-question'" in result.output
    assert "row 6: region: 'Atlantis' is not one of its options" in result.output
    assert "row 6: consent.quote must be yes or no" in result.output
    assert "nothing was imported" in result.output
    assert "Traceback" not in result.output
    assert not db.exists() or Store(db).scalar("SELECT count(*) FROM answers") == 0


def test_import_is_all_or_nothing_even_when_the_database_has_data(tmp_path):
    src, db = tmp_path / "in.csv", tmp_path / "r.db"
    src.write_text(GOOD)
    run("import", src, "--db", db)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([
        {"respondent": "r9", "question": "design.experience", "answer": "New answer"},
        {"respondent": "r9", "question": "design.nope", "answer": "x"},
    ]))
    result = run("import", bad, "--db", db)
    assert result.exit_code == 2 and "record 2: unknown question id 'design.nope'" in result.output
    assert Store(db).respondent("r9") is None


def test_json_rows_and_nested_form(tmp_path):
    db = tmp_path / "r.db"
    flat = tmp_path / "flat.json"
    flat.write_text(json.dumps([{"respondent": "e1", "question": "design.experience", "answer": "By email",
                                 "status": "submitted", "consent.quote": True}]))
    nested = tmp_path / "nested.json"
    nested.write_text(json.dumps({"respondents": [{"respondent": "e2", "profile": {"region": "Wales"},
                                                   "consent": {"quote": False},
                                                   "answers": {"design.experience": "By post"}}]}))
    assert run("import", flat, "--db", db).exit_code == 0
    assert run("import", nested, "--db", db).exit_code == 0
    store = Store(db)
    assert store.answers("e1") == {"design.experience": "By email"}
    assert store.respondent("e2").profile == {"region": "Wales"}


def test_malformed_files_are_clear_errors(tmp_path):
    db = tmp_path / "r.db"
    broken = tmp_path / "broken.json"
    broken.write_text('[{"respondent": "x",')
    result = run("import", broken, "--db", db)
    assert result.exit_code == 2 and "not valid JSON" in result.output
    binary = tmp_path / "data.csv"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    result = run("import", binary, "--db", db)
    assert result.exit_code == 2 and "not UTF-8" in result.output


def test_demo_loads_the_sample_data(tmp_path):
    db = tmp_path / "demo.db"
    result = run("demo", "--db", db)
    assert result.exit_code == 0, result.output
    store = Store(db)
    assert store.scalar("SELECT count(*) FROM respondents") >= 40
    assert store.scalar("SELECT count(DISTINCT question_id) FROM answers") == 18
    assert run("demo", "--db", db).exit_code == 0  # loading twice changes nothing
    assert store.scalar("SELECT count(*) FROM respondents WHERE source = 'demo'") >= 40

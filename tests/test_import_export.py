"""Answers that arrived another way come in all or nothing, and go out again."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from consult.cli import cli
from consult.questions import load_bank
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


# ------------------------------------------------------------------ choice, multi and scale answers
MIXED = Path(__file__).resolve().parent / "banks" / "mixed.toml"
HOSTILE_OPTION = "Not sure <script>alert(1)</script> [bold]really[/] [@click=app.quit]x[/]"

MIXED_GOOD = f"""respondent,question,answer,org_name,consent.quote
m1,views.open,"Fund us; please",Ace,yes
m1,views.support,  yes ,Ace,yes
m1,detail.services,mentoring; HOUSING,Ace,yes
m1,detail.confidence, 4 ,Ace,yes
m2,views.support,"{HOSTILE_OPTION}",Bee,no
m2,detail.services,Employment; training;Housing,Bee,no
m2,detail.confidence,1,Bee,no
m3,detail.services,"Housing
Mentoring",Cee,no
"""


def test_choice_multi_and_scale_answers_are_stored_in_the_convention(tmp_path):
    src, db = tmp_path / "in.csv", tmp_path / "r.db"
    src.write_text(MIXED_GOOD)
    result = run("import", src, "--db", db, "--bank", MIXED)
    assert result.exit_code == 0, result.output
    store = Store(db)
    assert store.answers("m1") == {
        "views.open": "Fund us; please",  # a text answer keeps its ';'
        "views.support": "Yes",  # the option as written in the bank
        "detail.services": "Housing\nMentoring",  # bank order, one per line
        "detail.confidence": "4",
    }
    assert store.answers("m2") == {
        "views.support": HOSTILE_OPTION,
        "detail.services": "Housing\nEmployment; training",  # an option holding ';' is found whole
        "detail.confidence": "1",
    }
    assert store.answers("m3") == {"detail.services": "Housing\nMentoring"}  # as export writes it
    bank = load_bank(MIXED)
    for rid in ("m1", "m2", "m3"):
        for qid, text in store.answers(rid).items():
            assert bank.question(qid).validate_answer(text) is None
    # Importing again changes nothing: the stored form compares equal.
    again = run("import", src, "--db", db, "--bank", MIXED)
    assert "0 new or changed answers" in again.output


def test_json_choice_answers_as_lists_and_numbers(tmp_path):
    src, db = tmp_path / "in.json", tmp_path / "r.db"
    src.write_text(json.dumps({"respondents": [{
        "respondent": "j1",
        "answers": {"views.support": "No", "detail.services": ["Mentoring", "housing"],
                    "detail.confidence": 3}}]}))
    result = run("import", src, "--db", db, "--bank", MIXED)
    assert result.exit_code == 0, result.output
    assert Store(db).answers("j1") == {"views.support": "No", "detail.services": "Housing\nMentoring",
                                       "detail.confidence": "3"}


def test_invalid_choice_multi_and_scale_answers_are_bad_rows(tmp_path):
    src, db = tmp_path / "in.csv", tmp_path / "r.db"
    src.write_text("respondent,question,answer\n"
                   "b1,views.support,Yes\n"
                   "b1,views.support2,Yes\n"
                   "b2,views.support,Maybe\n"
                   "b3,detail.services,Housing;Cooking\n"
                   "b4,detail.confidence,6\n"
                   "b5,detail.confidence,three\n"
                   "b6,detail.confidence,2.5\n")
    result = run("import", src, "--db", db, "--bank", MIXED)
    assert result.exit_code == 2
    out = result.output
    assert "row 3: unknown question id 'views.support2'" in out
    assert "row 4: answer to views.support: 'Maybe' is not one of 'Yes', 'No'" in out
    assert "row 5: answer to detail.services: 'Cooking' is not one of its options" in out
    assert "row 6: answer to detail.confidence: '6' is not a whole number from 1 to 5" in out
    assert "row 7: answer to detail.confidence: 'three' is not a whole number from 1 to 5" in out
    assert "row 8: answer to detail.confidence: '2.5' is not a whole number from 1 to 5" in out
    assert "row 2:" not in out  # the good row is not blamed
    assert "nothing was imported" in out and "Traceback" not in out
    assert not db.exists() or Store(db).scalar("SELECT count(*) FROM answers") == 0

    bad_json = tmp_path / "bad.json"
    bad_json.write_text(json.dumps([
        {"respondent": "j1", "question": "detail.confidence", "answer": True},
        {"respondent": "j2", "question": "views.support", "answer": ["Yes", "No"]},
        {"respondent": "j3", "question": "detail.services", "answer": ["Housing", "Gardening"]},
    ]))
    result = run("import", bad_json, "--db", db, "--bank", MIXED)
    assert result.exit_code == 2
    assert "record 1: answer to detail.confidence: True is not a whole number" in result.output
    assert "record 2: answer to views.support: list is not one of" in result.output
    assert "record 3: answer to detail.services: 'Gardening' is not one of its options" in result.output


def test_question_answer_helpers_define_one_stored_form():
    bank = load_bank(MIXED)
    choice, multi, scale = (bank.question(q) for q in ("views.support", "detail.services",
                                                        "detail.confidence"))
    assert choice.encode_answer("no") == "No" and choice.decode_answer("No") == "No"
    assert multi.encode_answer(["Mentoring", "Housing"]) == "Housing\nMentoring"
    assert multi.decode_answer("Housing\nMentoring") == ["Housing", "Mentoring"]
    assert scale.encode_answer(3) == "3" and scale.decode_answer("3") == 3
    assert scale.choices == ("1", "2", "3", "4", "5")
    assert choice.validate_answer("no") is not None  # stored form is exact
    assert multi.validate_answer("Mentoring\nHousing") is not None  # not in bank order
    assert scale.validate_answer("0") is not None and scale.validate_answer("") is None
    assert multi.answer_values("Housing\nGone") == ["Housing", "Gone"]


def test_rows_are_numbered_as_a_spreadsheet_shows_them(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text('respondent,question,answer\nr1,design.experience,"Line one\nline two\nline three"\n'
                   "r2,design.nope,x\n")
    result = run("import", src, "--db", tmp_path / "r.db")
    assert result.exit_code == 2 and "row 3: unknown question id 'design.nope'" in result.output


def test_header_must_name_the_answer_columns_and_rows_must_be_whole(tmp_path):
    db = tmp_path / "r.db"
    no_answer = tmp_path / "a.csv"
    no_answer.write_text("respondent,question\nr1,design.experience\n")
    result = run("import", no_answer, "--db", db)
    assert result.exit_code == 2 and "row 1: the header has no answer column" in result.output
    short = tmp_path / "b.csv"
    short.write_text("respondent,question,answer\nr1,design.experience\n")
    result = run("import", short, "--db", db)
    assert result.exit_code == 2 and "row 2: has fewer cells than the header" in result.output


def test_a_very_long_answer_imports_from_csv(tmp_path):
    src, db = tmp_path / "long.csv", tmp_path / "r.db"
    long_answer = "word " * 40_000
    src.write_text(f"respondent,question,answer\nr1,design.experience,{long_answer}\n")
    assert run("import", src, "--db", db).exit_code == 0
    assert Store(db).answers("r1")["design.experience"] == long_answer


def test_commands_that_read_refuse_a_database_that_does_not_exist(tmp_path):
    for command in (["analyse"], ["themes"], ["export"], ["report", "--out", str(tmp_path / "r.html")]):
        result = run(*command, "--db", tmp_path / "typo.db")
        assert result.exit_code == 2, command
        assert "no database at" in result.output
    assert not (tmp_path / "typo.db").exists()


def test_unwritable_output_is_refused_before_any_work(tmp_path):
    db = tmp_path / "demo.db"
    run("demo", "--db", db)
    result = run("analyse", "--db", db, "--json", tmp_path / "missing" / "x.json")
    assert result.exit_code == 2 and "folder" in result.output
    assert Store(db).runs("localising-justice") == []
    result = run("export", "--db", db, "--out", tmp_path / "missing" / "x.csv")
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_malformed_cells_are_bad_rows(tmp_path):
    db = tmp_path / "r.db"
    unterminated = tmp_path / "u.csv"
    unterminated.write_text('respondent,question,answer\nr1,police.engagement,"unterminated\n')
    result = run("import", unterminated, "--db", db)
    assert result.exit_code == 2 and "row 2: is not valid CSV" in result.output
    listed = tmp_path / "l.json"
    listed.write_text(json.dumps([{"respondent": 5, "question": "police.engagement", "answer": ["a"]}]))
    result = run("import", listed, "--db", db)
    assert result.exit_code == 2 and "record 1: the answer to police.engagement must be text" in result.output
    assert not db.exists() or Store(db).scalar("SELECT count(*) FROM answers") == 0

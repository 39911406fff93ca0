"""The bundled bank holds the paper's key questions verbatim; broken banks are explained."""

from __future__ import annotations

import json
import re
import textwrap

import pytest
from click.testing import CliRunner

from consult.cli import cli
from consult.questions import BankError, load_bank
from tests.conftest import PAPER


def paper_key_questions() -> list[str]:
    """The bullet lines under each 'Key questions' heading of the paper, in order."""
    lines = PAPER.read_text(encoding="utf-8").splitlines()
    found, inside = [], False
    for line in lines:
        if line.startswith("Key questions"):
            inside = True
            continue
        if inside and re.match(r"^\s*- \S", line):
            found.append(re.sub(r"^\s*- ", "", line).strip())
        elif inside and line.strip() and not line.lstrip().startswith("-") and found and \
                not line.startswith("The model of choice"):
            inside = False
    return found


needs_paper = pytest.mark.skipif(not PAPER.exists(), reason="the paper is in ../shared, beside the checkout")


@needs_paper
def test_paper_has_seventeen_key_questions():
    assert len(paper_key_questions()) == 17


@needs_paper
def test_bank_holds_every_key_question_verbatim_in_order(bank):
    key = [q.text for q in bank.questions if q.key_question]
    assert key == paper_key_questions()
    assert [len(s.questions) for s in bank.sections][:5] == [2, 2, 2, 4, 7]
    assert not bank.questions[-1].key_question  # the closing invitation


@needs_paper
def test_show_json_lists_questions_in_paper_order():
    result = CliRunner().invoke(cli, ["questions", "show", "--json"])
    assert result.exit_code == 0
    rows = json.loads(result.output)
    assert [r["text"] for r in rows if r["key_question"]] == paper_key_questions()
    assert {"section", "id", "text", "kind"} <= set(rows[0])
    assert all(r["id"].startswith(r["section"] + ".") for r in rows)


def test_section_contexts_are_short_summaries(bank):
    for section in bank.sections:
        assert 40 <= len(section.context.split()) <= 150, section.id


BROKEN = {
    "unknown key": ("""
        [consultation]
        id = "x"
        title = "X"
        [[section]]
        id = "s"
        title = "S"
        [[section.question]]
        id = "s.q"
        text = "Why?"
        colour = "red"
        """, 10, "section[1].question[1].colour", "unknown field"),
    "duplicate id": ("""
        [consultation]
        id = "x"
        title = "X"
        [[section]]
        id = "s"
        title = "S"
        [[section.question]]
        id = "s.q"
        text = "Why?"
        [[section.question]]
        id = "s.q"
        text = "How?"
        """, 11, "section[1].question[2].id", "duplicate id"),
    "missing text": ("""
        [consultation]
        id = "x"
        title = "X"
        [[section]]
        id = "s"
        title = "S"
        [[section.question]]
        id = "s.q"
        """, 7, "section[1].question[1].text", "missing"),
    "unknown kind": ("""
        [consultation]
        id = "x"
        title = "X"
        [[section]]
        id = "s"
        title = "S"
        [[section.question]]
        id = "s.q"
        text = "Why?"
        kind = "essay"
        """, 10, "section[1].question[1].kind", "unknown kind"),
    "choice without options": ("""
        [consultation]
        id = "x"
        title = "X"
        [[profile]]
        id = "size"
        text = "Size"
        kind = "choice"
        [[section]]
        id = "s"
        title = "S"
        [[section.question]]
        id = "s.q"
        text = "Why?"
        """, 4, "profile[1].options", "needs options"),
    "syntax error": ("""
        [consultation]
        id = "x
        """, 2, "(syntax)", "not valid TOML"),
    "wrong type": ("""
        [consultation]
        id = "x"
        title = "X"
        [[section]]
        id = "s"
        title = "S"
        [[section.question]]
        id = "s.q"
        text = "Why?"
        word_limit = "many"
        """, 10, "section[1].question[1].word_limit", "must be a whole number"),
    "group of an unknown option": ("""
        [consultation]
        id = "x"
        title = "X"
        [[profile]]
        id = "region"
        text = "Region"
        kind = "choice"
        options = ["North East", "London"]
        groups = { North = ["North East", "Cumbria"] }
        [[section]]
        id = "s"
        title = "S"
        [[section.question]]
        id = "s.q"
        text = "Why?"
        """, 9, "profile[1].groups.North", "'Cumbria' is not one of the field's options"),
    "option in two groups": ("""
        [consultation]
        id = "x"
        title = "X"
        [[profile]]
        id = "region"
        text = "Region"
        kind = "choice"
        options = ["North East", "London"]
        groups = { North = ["North East"], South = ["North East", "London"] }
        [[section]]
        id = "s"
        title = "S"
        [[section.question]]
        id = "s.q"
        text = "Why?"
        """, 9, "profile[1].groups.South", "already in group 'North'"),
    "groups on a text field": ("""
        [consultation]
        id = "x"
        title = "X"
        [[profile]]
        id = "name"
        text = "Name"
        groups = { A = ["x"] }
        [[section]]
        id = "s"
        title = "S"
        [[section.question]]
        id = "s.q"
        text = "Why?"
        """, 7, "profile[1].groups", "only a choice or multi field"),
}


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_broken_bank_names_file_line_and_field(tmp_path, case):
    body, line, field, message = BROKEN[case]
    path = tmp_path / "bank.toml"
    path.write_text(textwrap.dedent(body).lstrip("\n"))
    with pytest.raises(BankError) as raised:
        load_bank(path)
    problem = raised.value.problems[0]
    assert (problem.path, problem.line, problem.field) == (str(path), line, field)
    assert message in problem.message


def test_check_command_reports_and_exits_2(tmp_path):
    path = tmp_path / "bank.toml"
    path.write_text(textwrap.dedent(BROKEN["unknown kind"][0]))
    result = CliRunner().invoke(cli, ["questions", "check", str(path)])
    assert result.exit_code == 2
    assert f"{path}:" in result.output and "kind" in result.output
    assert "Traceback" not in result.output


def test_check_passes_the_bundled_bank():
    result = CliRunner().invoke(cli, ["questions", "check"])
    assert result.exit_code == 0
    assert "18 questions" in result.output


def test_malformed_bank_never_starts_the_app(tmp_path):
    path = tmp_path / "bank.toml"
    path.write_text("[consultation]\nid = 'x'\n")
    result = CliRunner().invoke(cli, ["answer", "--bank", str(path), "--db", str(tmp_path / "r.db")])
    assert result.exit_code == 2
    assert "section" in result.output
    assert not (tmp_path / "r.db").exists()


def test_empty_and_non_utf8_files_are_explained(tmp_path):
    empty = tmp_path / "empty.toml"
    empty.write_text("")
    latin = tmp_path / "latin.toml"
    latin.write_bytes(b'[consultation]\nid = "x"\ntitle = "Caf\xe9"\n')
    with pytest.raises(BankError) as raised:
        load_bank(empty)
    assert "is empty" in str(raised.value)
    with pytest.raises(BankError) as raised:
        load_bank(latin)
    problem = raised.value.problems[0]
    assert problem.line == 3 and "UTF-8" in problem.message


def test_bank_declares_publisher_texts_and_region_groups(bank):
    """The report takes everything about the publisher from the bank, and counts regions in the
    wider areas the bank declares."""
    assert "Clinks" in bank.publisher_about and "info@clinks.org" in bank.contact and bank.conclusion
    region = next(f for f in bank.profile if f.id == "region")
    assert region.group_of("West Midlands") == "Midlands" and region.group_of("London") == "London"
    assert region.grouped_options == ("North", "Midlands", "South", "London", "Wales",
                                      "England and Wales (national)")

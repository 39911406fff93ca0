"""Question kinds live in one registry: the loader, the questions and the importer ask it."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from consult import kinds
from consult.importer import BadImport, read_records
from consult.kinds import KINDS, ChoiceKind, kind_of
from consult.questions import BankError, load_bank

MIXED = Path(__file__).parent / "banks" / "mixed.toml"


def test_every_question_of_the_mixed_bank_round_trips_through_its_kind():
    bank = load_bank(MIXED)
    examples = {"text": "We need [b]more[/b] funding\nnow", "choice": "Yes",
                "multi": ["Mentoring", "Housing"], "scale": 4}
    for q in bank.questions:
        kind = kind_of(q)
        stored = kind.encode(q, examples[q.kind])
        assert kind.validate(q, stored) is None
        assert kind.encode(q, kind.decode(q, stored)) == stored
        assert kind.values(q, "") == []
    services = bank.question("detail.services")
    assert kind_of(services).encode(services, ["Mentoring", "Housing"]) == "Housing\nMentoring"


def test_report_facts_come_from_the_kind():
    assert [k for k, v in KINDS.items() if v.free_text] == ["text"]
    assert [k for k, v in KINDS.items() if not v.one_value] == ["multi"]
    assert KINDS["scale"].value_word == "number"


def _bank_with(tmp_path: Path, kind: str, extra: str = "") -> Path:
    path = tmp_path / "bank.toml"
    path.write_text(textwrap.dedent(f"""\
        [consultation]
        id = "k"
        title = "K"

        [[section]]
        id = "s"
        title = "S"

        [[section.question]]
        id = "s.q"
        text = "Do you agree?"
        kind = "{kind}"
        {extra}
        """), encoding="utf-8")
    return path


def test_a_new_kind_is_one_class_in_the_registry(tmp_path, monkeypatch):
    """Registering a class is all a new kind needs for the loader and the importer to take it."""

    class YesNo(ChoiceKind):
        name = "yesno"

        def bank_problems(self, q):
            return []

        def choices(self, q):
            return ("Yes", "No")

        def match(self, q, text):
            return {"yes": "Yes", "y": "Yes", "no": "No", "n": "No"}.get(text.strip().lower())

        def validate(self, q, text):
            return None if not text or text in ("Yes", "No") else self.not_allowed(q, text)

        def expected(self, q):
            return "yes or no"

    path = _bank_with(tmp_path, "yesno")
    with pytest.raises(BankError, match="unknown kind 'yesno'"):
        load_bank(path)
    monkeypatch.setitem(kinds.KINDS, "yesno", YesNo())
    bank = load_bank(path)
    q = bank.question("s.q")
    assert not q.is_free_text and q.choices == ("Yes", "No")
    rows = tmp_path / "rows.csv"
    rows.write_text("respondent,question,answer\nr1,s.q,y\n", encoding="utf-8")
    assert read_records(rows, bank)[0]["answers"] == {"s.q": "Yes"}
    rows.write_text("respondent,question,answer\nr1,s.q,perhaps\n", encoding="utf-8")
    with pytest.raises(BadImport, match="'perhaps' is not yes or no"):
        read_records(rows, bank)


def test_a_kind_says_what_a_bank_must_give_it(tmp_path):
    with pytest.raises(BankError) as exc:
        load_bank(_bank_with(tmp_path, "choice"))
    assert "a choice question needs options" in str(exc.value)
    with pytest.raises(BankError) as exc:
        load_bank(_bank_with(tmp_path, "scale", "min = 5\nmax = 3"))
    assert "max (3) must be greater than min (5)" in str(exc.value)

"""Question banks: a consultation's sections, questions, profile and consent, as data.

A bank is a TOML file (see ``questions/localising-justice.toml``). Loading validates it fully
and reports every problem with the file, line and field (:mod:`consult.bank_loader`); the
frozen model it builds is in :mod:`consult.bank_model`. Import both from here: this module is
the one name for banks (the model, the loader, and where the bundled banks are).

How answers are stored
----------------------
Every answer is one string per respondent and question (``Store.save_answer``); the empty
string means "not answered". By the question's ``kind`` (each kind is one class in
:mod:`consult.kinds`, which the loader, the importer, the app and the report ask):

- ``text``: the text exactly as typed (or imported).
- ``choice``: the chosen option's text, exactly as written in the bank.
- ``multi``: the chosen options' texts joined by ``"\n"`` (:data:`MULTI_SEPARATOR`), each once,
  in the bank's order (not the order they were ticked). In CSV imports the options are
  separated by ``;`` instead; the importer converts.
- ``scale``: the chosen number as a decimal string, e.g. ``"3"``, from ``min`` to ``max``.

The answering app, the importer, the member's Markdown copy and the report all go through
:meth:`Question.encode_answer`, :meth:`Question.decode_answer`,
:meth:`Question.validate_answer` and :meth:`Question.answer_values`, so there is one definition.
Renaming an option in a bank after answers have arrived leaves old answers holding the old text:
the report counts them under that text, and the app shows them unselected.
"""

from __future__ import annotations

import os
from pathlib import Path

from consult.bank_loader import load_bank
from consult.bank_model import (
    CONSENT_PURPOSES,
    ID_PATTERN,
    PROFILE_KINDS,
    PROFILE_ROLES,
    QUESTION_KINDS,
    Bank,
    BankError,
    ConsentItem,
    Problem,
    ProfileField,
    Question,
    Section,
)
from consult.kinds import MULTI_SEPARATOR

__all__ = ["CONSENT_PURPOSES", "DEFAULT_BANK_NAME", "ID_PATTERN", "MULTI_SEPARATOR", "PROFILE_KINDS",
           "PROFILE_ROLES", "QUESTION_KINDS", "Bank", "BankError", "ConsentItem", "Problem", "ProfileField",
           "Question", "Section", "bank_folder", "bundled_banks", "default_bank_path", "load_bank"]

DEFAULT_BANK_NAME = "localising-justice.toml"


# ----------------------------------------------------------------------------- locating
def bank_folder() -> Path:
    """Where the bundled banks are: ``questions/`` in the checkout, else the copy installed
    inside the package."""
    checkout = Path(__file__).resolve().parent.parent / "questions"
    if (checkout / DEFAULT_BANK_NAME).exists():
        return checkout
    return Path(__file__).resolve().parent / "bank"


def default_bank_path() -> Path:
    """The bank used when none is named: ``$CONSULT_BANK``, else the bundled Localising justice."""
    env = os.environ.get("CONSULT_BANK")
    if env:
        return Path(env)
    return bank_folder() / DEFAULT_BANK_NAME


def bundled_banks() -> list[Bank]:
    """Every bank shipped with consult (the example banks included), by file name."""
    return [load_bank(p) for p in sorted(bank_folder().glob("*.toml"))]


"""Respondent text that attacks its readers: contact details in many formats, bidi controls,
formulas for spreadsheets, and inputs that once made the patterns take minutes."""

from __future__ import annotations

import csv
import io
import subprocess
import sys

import pytest
from click.testing import CliRunner

from consult.cli import cli
from consult.text import clean, redact, spreadsheet_safe, strip_contacts

MORE_EMAILS = ["jo＠example.org", "jo﹫example．org", "jo @example . org", "JO＠EXAMPLE.CO.UK",
               "first.last+tag@example.org.uk"]
MORE_PHONES = ["+1 415 555 2671", "+1-415-555-2671", "+33 1 42 68 53 00", "+49 30 901820",
               "+61 2 9374 4000", "+353 1 234 5678", "0 7 7 0 0 9 0 0 1 2 3", "0-7-7-0-0-9-0-0-1-2-3",
               "0 2 0 7 9 4 6 0 9 5 8", "+44 7 7 0 0 9 0 0 1 2 3", "07700 900 123", "+44(0)117 496 0000"]
MORE_POSTCODES = ["SW1A-1AA", "GIR 0AA", "gir0aa", "EC1A  1BB", "M1-1AE", "bs1-4dj"]
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


@pytest.mark.parametrize("email", MORE_EMAILS)
def test_odd_at_signs_are_redacted(email):
    out = redact(f"Write to {email} please.")
    assert out == "Write to [email removed] please."


@pytest.mark.parametrize("phone", MORE_PHONES)
def test_international_and_spaced_phones_are_redacted(phone):
    out = redact(f"Ring {phone} today.")
    assert "[phone removed]" in out and sum(c.isdigit() for c in out) <= 2, out


@pytest.mark.parametrize("postcode", MORE_POSTCODES)
def test_more_postcode_forms_are_redacted(postcode):
    out = redact(f"We are at {postcode}, by the station.")
    assert out == "We are at [postcode removed], by the station."


def test_strip_contacts_removes_the_same():
    text = "jo＠x.org, +1 415 555 2671, SW1A-1AA and GIR 0AA"
    assert not any(c.isdigit() for c in strip_contacts(text))
    assert "@" not in strip_contacts(text) and "＠" not in strip_contacts(text)


@pytest.mark.parametrize("payload", ["B" * 40_000, "a." * 20_000, "x@" * 20_000, "jo at " * 20_000,
                                     "1 " * 20_000, "(at)" * 10_000])
def test_long_runs_do_not_hang_the_patterns(payload):
    # Before the fix 'B' * 40,000 took 87 s; a generous bound catches a quadratic pattern, not speed.
    script = ("import sys; from consult.text import strip_contacts, redact;"
              " t = sys.stdin.read(); strip_contacts(t); redact(t); redact(t * 25)")
    subprocess.run([sys.executable, "-c", script], input=payload, text=True, check=True, timeout=60)


def test_bidi_controls_are_removed_by_clean():
    assert clean(f"safe{BIDI}text\n\tkept") == "safetext\n\tkept"


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)",
                                  "\t=1+1", "\r=1+1"])
def test_formula_cells_are_neutralised(cell):
    safe = spreadsheet_safe(cell)
    assert safe.startswith("'")
    assert not any(ord(c) < 32 and c not in "\n\t" for c in safe)


def test_csv_export_carries_no_controls_and_no_live_formulas(store, bank, tmp_path):
    hostile = ["=HYPERLINK(\"http://evil\",\"x\")", "@SUM(1)", "+cmd", "-1", "\tTab first",
               "\x1b]0;owned\x07title \x1b]52;c;ZXZpbA==\x07clip", f"rev{BIDI}ersed \x9b2J"]
    store.load_responses(bank.id, [{"respondent": f"h{i}", "answers": {"police.engagement": t}}
                                   for i, t in enumerate(hostile)] +
                         [{"respondent": "=evil()", "answers": {"police.engagement": "fine"}}])
    result = CliRunner().invoke(cli, ["export", "--db", str(tmp_path / "responses.db")])
    assert result.exit_code == 0, result.output
    raw = result.output
    assert not any((ord(c) < 32 and c not in "\r\n\t") or 0x7f <= ord(c) <= 0x9f or c in BIDI for c in raw)
    for row in csv.DictReader(io.StringIO(raw)):
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value

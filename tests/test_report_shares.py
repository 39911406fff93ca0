"""The report and `consult themes --json` give the same share for every theme (both through the
codebook's one share rule)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from consult.cli import cli
from consult.report import build_report
from consult.report import disclosure as dc
from consult.report.privacy import clean_label
from tests.test_report_fixtures import build_fixture


def _themes_json(db) -> list[dict]:
    result = CliRunner().invoke(cli, ["themes", "--db", str(db), "--json"])
    if result.exit_code == 2 and "--json" in result.output:
        pytest.skip("`consult themes --json` arrives with the codebook (contract 1)")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_every_theme_share_matches_consult_themes(store, bank):
    build_fixture(store, bank)
    rows = _themes_json(store.path)
    assert rows
    report = build_report(store, bank)
    numbers = {q.id: q.number for q in report.questions}
    by_number = {q.number: q for q in report.questions}
    checked = 0
    for row in rows:
        q = by_number[numbers[row["question"]]]
        expected = dc.share_or_dash(row["size"], row["share"])
        table = {r[0].lstrip("\u2003\u2013 "): r[2] for r in q.full_table.rows}
        assert table[clean_label(row["label"])] == expected, row["label"]
        body = next((t for t in q.themes if t.id == row["id"]), None)
        if body is not None:
            assert body.figure.endswith(f"({expected})"), (body.figure, expected)
        checked += 1
    assert checked == len(rows)


def test_staff_codebook_wins_and_broad_themes_lead(store, bank):
    """Staff labels and descriptions from the codebook stand in the report; a broad theme leads
    with its sub-themes nested under it."""
    from consult.codebook import question_coding
    from tests.test_report_fixtures import Q1

    build_fixture(store, bank)
    coding = question_coding(store, bank.id, Q1)
    ids = {t.label: t.id for t in coding.themes}
    broad = store.codebook_add(bank.id, Q1, "Working with prime contractors", by="staff",
                               description="Members described what working under a prime contractor was like.")
    for label in ("Partnership with primes <i>works</i>", "Financial risk"):
        store.codebook_reparent(ids[label], broad, by="staff")
    store.codebook_rename(ids["Financial risk"], "Carrying the financial risk", by="staff")
    store.codebook_describe(ids["Financial risk"], "Subcontractors carried the risk of late payment.", by="staff")
    q1 = build_report(store, bank).questions[0]
    top = q1.themes[0]
    assert top.label == "Working with prime contractors"
    assert top.description == "Members described what working under a prime contractor was like."
    assert top.figure == "26 of 30 organisations (87%)"  # everyone in either sub-theme, once
    children = {c.label: c for c in top.children}
    assert set(children) == {"Partnership with primes <i>works</i>", "Carrying the financial risk"}
    risk = children["Carrying the financial risk"]
    assert risk.description == "Subcontractors carried the risk of late payment." and not risk.description_is_quote
    assert [t.label for t in q1.themes] == ["Working with prime contractors"]

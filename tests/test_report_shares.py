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

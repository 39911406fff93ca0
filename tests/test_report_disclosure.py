"""The one small-number rule: hidden figures, grouping before suppression, tables left out."""

from __future__ import annotations

from consult.report import build_report
from consult.report import disclosure as dc
from consult.report.people import profile_table
from consult.store import Respondent
from tests.test_report_fixtures import build_fixture


def test_counts_below_five_are_never_printed():
    assert [dc.count(n) for n in (0, 1, 4, 5, 1234)] == ["0", "fewer than 5", "fewer than 5", "5", "1,234"]
    assert dc.of(3, 40, "organisation") == "fewer than 5 of 40 organisations"
    assert dc.of(29, 42, "organisation") == "29 of 42 organisations"
    assert dc.of(3, 3, "organisation") == "fewer than 5 organisations"
    assert dc.count_share(2, 0.05) == "fewer than 5" and dc.count_share(12, 0.3) == "12 (30%)"


def test_one_hidden_figure_takes_the_next_smallest_with_it():
    assert dc.suppress([10, 3, 0, 7]) == [None, dc.FEWER, None, dc.HIDDEN]
    assert dc.suppress([10, 3, 2, 7]) == [None, dc.FEWER, dc.FEWER, None]
    assert dc.suppress([10, 3], total_known=False) == [None, dc.FEWER]


def _r(i: int, region: str) -> Respondent:
    return Respondent(id=f"r{i}", consultation_id="c", status="submitted", profile={"region": region})


def test_regions_are_grouped_before_anything_is_hidden(bank):
    region = next(f for f in bank.profile if f.id == "region")
    people = ([_r(i, "North East") for i in range(3)] + [_r(10 + i, "North West") for i in range(3)]
              + [_r(20 + i, "London") for i in range(6)])
    table, note = profile_table(region, people)
    assert note == "" and table is not None
    assert table.rows == [["North", "6", "50%"], ["London", "6", "50%"]]  # 3 + 3: shown as one area
    assert any("North (North East, North West, Yorkshire and the Humber)" in n for n in table.notes)


def test_a_table_of_hidden_figures_is_left_out_with_a_line(bank):
    region = next(f for f in bank.profile if f.id == "region")
    table, note = profile_table(region, [_r(0, "Wales"), _r(1, "London")])
    assert table is None and note == "\u201cWhere does it mainly work?\u201d: left out, as every figure would be fewer than 5."


def test_breakdowns_left_out_say_so(store, bank):
    build_fixture(store, bank)
    q1 = build_report(store, bank).questions[0]
    shown = {b.caption for b in q1.breakdowns}
    assert shown == {"Themes by \u201cWhat kind of organisation is it?\u201d", "Themes by \u201cAnnual income\u201d",
                     "Themes by \u201cWhere does it mainly work?\u201d"}
    for b in q1.breakdowns:
        assert all(cell == dc.FEWER or not cell[:1].isdigit() or int(cell.split()[0].replace(",", "")) >= 5
                   for row in b.rows for cell in row[1:])
    assert q1.breakdown_note == ""


def test_breakdowns_left_out_say_so_in_one_line():
    from consult.report.words import breakdowns_left_out

    assert breakdowns_left_out(["Annual income", "Where does it mainly work?"]) == (
        "Breakdowns by \u201cAnnual income\u201d and \u201cWhere does it mainly work?\u201d are left out: too "
        "few organisations in each group answered to show them without figures below 5.")

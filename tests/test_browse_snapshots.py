"""Snapshots of the browser at 80x24 on the fixture database (fixed clock, fixed user).

Regenerate only after reading the report: pytest tests/test_browse_snapshots.py --snapshot-update
"""

from __future__ import annotations

import pytest

from consult.tui.browse import make_browse_app
from tests.test_browse_fixture import USER, populate

SIZE = (80, 24)


@pytest.fixture
def app(store, bank, clock):
    populate(store, bank)
    return make_browse_app(store, bank, user=USER, clock=clock)


def test_overview_snapshot(snap_compare, app):
    assert snap_compare(app, terminal_size=SIZE)


def test_by_question_snapshot(snap_compare, app):
    # The second answer holds markup and escape sequences: they must show literally.
    assert snap_compare(app, terminal_size=SIZE, press=["q", "down"])


def test_themes_snapshot(snap_compare, app):
    assert snap_compare(app, terminal_size=SIZE, press=["t", "tab", "down"])


def test_search_snapshot(snap_compare, app):
    assert snap_compare(app, terminal_size=SIZE, press=["slash", *"contracts", "enter"])

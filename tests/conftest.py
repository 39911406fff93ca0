"""Shared fixtures: temporary databases and the bundled bank."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from consult.questions import Bank, default_bank_path, load_bank
from consult.store import Store

ROOT = Path(__file__).resolve().parent.parent
PAPER = ROOT.parent / "shared" / "paper" / "localising-justice.txt"


@pytest.fixture(scope="session")
def bank() -> Bank:
    return load_bank(default_bank_path())


class FixedClock:
    """A clock that stands still unless moved, for deterministic timestamps."""

    def __init__(self, start: datetime = datetime(2010, 9, 1, 9, 30, tzinfo=UTC)):
        self.now = start

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def store(tmp_path: Path, bank: Bank, clock: FixedClock) -> Store:
    s = Store(tmp_path / "responses.db", clock=clock)
    s.sync_bank(bank)
    return s

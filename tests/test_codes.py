"""Resume codes: long enough, salted one by one, old codes still work, guessing slows down."""

from __future__ import annotations

import math
import sqlite3
from datetime import timedelta

import pytest

from consult.store import Store, TooManyAttempts
from consult.store.codes import (
    CODE_ALPHABET,
    CODE_DELAY_BASE_S,
    CODE_DELAY_MAX_S,
    CODE_LENGTH,
    FREE_CODE_ATTEMPTS,
)


def test_codes_carry_at_least_40_bits():
    assert CODE_LENGTH * math.log2(len(CODE_ALPHABET)) >= 40


def test_each_code_has_its_own_salt(store, bank):
    a, _ = store.new_respondent(bank.id)
    b, _ = store.new_respondent(bank.id)
    salts = [store.scalar("SELECT code_salt FROM respondents WHERE id = ?", (r.id,)) for r in (a, b)]
    assert all(salts) and salts[0] != salts[1]


def test_codes_made_before_still_open_their_response(store, bank):
    legacy, code = store.new_respondent(bank.id, code="KX7P-3QMD")  # the old 8-letter form
    assert store.scalar("SELECT code_salt FROM respondents WHERE id = ?", (legacy.id,)) is None
    assert store.respondent_by_code(bank.id, "kx7p 3qmd").id == legacy.id


def test_a_database_from_before_keeps_its_codes(tmp_path, bank):
    path = tmp_path / "r.db"
    store = Store(path)
    store.sync_bank(bank)
    old, code = store.new_respondent(bank.id, code="HT4W-9RZB")
    store.close()
    conn = sqlite3.connect(path)  # as the previous version stored it: no salt of its own
    assert conn.execute("SELECT code_salt, code_key FROM respondents").fetchone() == (None, None)
    conn.close()
    assert Store(path).respondent_by_code(bank.id, code).id == old.id


def test_repeated_wrong_codes_slow_down_and_then_let_go(store, bank, clock):
    member, code = store.new_respondent(bank.id)
    for _ in range(FREE_CODE_ATTEMPTS):
        assert store.respondent_by_code(bank.id, "AAAAA-AAAAA") is None
    with pytest.raises(TooManyAttempts) as refused:
        store.respondent_by_code(bank.id, code)  # even the right code waits: no oracle
    assert refused.value.retry_after == CODE_DELAY_BASE_S
    assert "wait" in str(refused.value)
    clock.now += timedelta(seconds=CODE_DELAY_BASE_S)
    assert store.respondent_by_code(bank.id, "AAAAA-AAAAB") is None
    with pytest.raises(TooManyAttempts) as doubled:
        store.respondent_by_code(bank.id, code)
    assert doubled.value.retry_after == 2 * CODE_DELAY_BASE_S
    clock.now += timedelta(seconds=2 * CODE_DELAY_BASE_S)
    assert store.respondent_by_code(bank.id, code).id == member.id
    for _ in range(20):  # a guesser keeps going, waiting each time: the delay doubles up to the cap
        try:
            store.respondent_by_code(bank.id, "AAAAA-AAAAC")
        except TooManyAttempts as waiting:
            clock.now += timedelta(seconds=waiting.retry_after)
            store.respondent_by_code(bank.id, "AAAAA-AAAAC")
    with pytest.raises(TooManyAttempts) as capped:
        store.respondent_by_code(bank.id, code)
    assert capped.value.retry_after == CODE_DELAY_MAX_S


def test_wrong_codes_are_counted_across_processes(tmp_path, bank, clock):
    path = tmp_path / "r.db"
    first = Store(path, clock=clock)
    first.sync_bank(bank)
    second = Store(path, clock=clock)  # another tab of `consult serve`: its own process and store
    for i in range(FREE_CODE_ATTEMPTS):
        (first if i % 2 else second).respondent_by_code(bank.id, "BBBBB-BBBBB")
    with pytest.raises(TooManyAttempts):
        second.respondent_by_code(bank.id, "BBBBB-BBBBC")

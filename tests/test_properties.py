"""Property-based campaigns (hypothesis): whatever the input, it loads or is refused with a
clear error, and nothing is half-written."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consult.importer import BadImport, read_records
from consult.questions import BankError, default_bank_path, load_bank
from consult.store import Store

BANK = load_bank(default_bank_path())
BANK_TEXT = default_bank_path().read_text(encoding="utf-8")
QUESTION_IDS = [q.id for q in BANK.questions]
EXAMPLES = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                          HealthCheck.function_scoped_fixture])
# Text with what hostile or broken files hold: controls, bidi, markup, formulas, odd @, emoji.
NASTY = st.lists(st.one_of(
    st.text(st.characters(codec="utf-8"), max_size=8),
    st.sampled_from(["\x00", "\x1b]0;x\x07", "\x9b", "\u202e", "\u2066", "[/]", "[@click=app.quit]", "=",
                     "+", "@", "＠", "\r", "\n", "\t", ";", ",", '"', "\ud800", "jo＠x.org", "SW1A-1AA"])),
    max_size=6).map("".join)


# ---------------------------------------------------------------------- bank loader
def _mutated_bank(draw_lines: list[int], replacement: str) -> str:
    lines = BANK_TEXT.splitlines()
    for n in draw_lines:
        i = n % len(lines)
        lines[i] = replacement if n % 3 == 0 else lines[i][: n % (len(lines[i]) + 1)] + replacement
    return "\n".join(lines)


@pytest.mark.slow
@EXAMPLES
@given(st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=4), NASTY)
def test_any_bank_loads_or_is_refused_clearly(lines, replacement):
    text = _mutated_bank(lines, replacement)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bank.toml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            bank = load_bank(path)
        except BankError as exc:
            assert exc.problems and all(str(p) for p in exc.problems)
        else:
            assert bank.id and bank.questions


@pytest.mark.slow
@EXAMPLES
@given(st.binary(max_size=300))
def test_any_bytes_as_a_bank_load_or_are_refused_clearly(raw):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bank.toml"
        path.write_bytes(raw)
        with pytest.raises(BankError):
            load_bank(path)


# ---------------------------------------------------------------------- importer and store
ROW = st.fixed_dictionaries({
    "respondent": st.one_of(st.sampled_from(["r1", "r2", "r3", ""]), NASTY),
    "question": st.one_of(st.sampled_from(QUESTION_IDS), NASTY),
    "answer": NASTY,
    "status": st.sampled_from(["", "draft", "submitted", "maybe"]),
})


def _csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["respondent", "question", "answer", "status"])
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _snapshot(store: Store) -> tuple:
    return (store.query("SELECT id, public_id, consultation_id, status FROM respondents ORDER BY id"),
            store.query("SELECT respondent_id, question_id, text FROM answers ORDER BY id"),
            store.scalar("SELECT count(*) FROM answer_revisions"))


@pytest.mark.slow
@EXAMPLES
@given(st.lists(ROW, max_size=12), st.booleans())
def test_any_import_loads_whole_or_not_at_all(tmp_path, rows, as_json):
    with tempfile.TemporaryDirectory(dir=tmp_path) as folder:
        store = Store(Path(folder) / "r.db")
        store.sync_bank(BANK)
        store.load_responses(BANK.id, [{"respondent": "r1", "answers": {QUESTION_IDS[0]: "already here"}}])
        before = _snapshot(store)
        path = Path(folder) / ("in.json" if as_json else "in.csv")
        text = json.dumps(rows) if as_json else _csv(rows)
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            records = read_records(path, BANK)
        except BadImport as exc:
            assert exc.problems and all(p.where and p.message for p in exc.problems)
            assert _snapshot(store) == before
            return
        store.load_responses(BANK.id, records)
        after = _snapshot(store)
        wanted = {r["respondent"] for r in records} | {"r1"}
        assert {r["public_id"] for r in after[0]} == wanted
        assert store.scalar("PRAGMA integrity_check") == "ok"
        store.load_responses(BANK.id, records)  # again: nothing changes
        assert _snapshot(store) == after
        store.close()


OPS = st.lists(st.one_of(
    st.tuples(st.just("save"), st.integers(0, 2), st.sampled_from(QUESTION_IDS[:3]), NASTY),
    st.tuples(st.just("submit"), st.integers(0, 2), st.just(""), st.just("")),
), max_size=25)


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(OPS)
def test_the_store_keeps_exactly_what_was_saved_and_submitted(tmp_path, ops):
    with tempfile.TemporaryDirectory(dir=tmp_path) as folder:
        store = Store(Path(folder) / "r.db")
        store.sync_bank(BANK)
        people = [store.new_respondent(BANK.id, code=f"KX7P-3QM{c}")[0].id for c in "DEF"]
        current: dict[tuple[int, str], str] = {}
        submitted: dict[int, dict[str, str]] = {}
        for op, who, qid, text in ops:
            if op == "save":
                store.save_answer(people[who], qid, text)
                current[(who, qid)] = text.replace("\ud800", "\ufffd")
            else:
                store.submit(people[who])
                submitted[who] = {q: t for (w, q), t in current.items() if w == who and t}
        for who, rid in enumerate(people):
            mine = {q: t for (w, q), t in current.items() if w == who and t}
            assert store.answers(rid) == mine
            for qid in QUESTION_IDS[:3]:
                analysed = dict(store.answers_to(qid, submitted_only=True))
                expected = submitted.get(who, {}).get(qid)
                assert analysed.get(rid) == expected
        store.close()

"""Reading answers that arrived another way (e-mail, a web form) from CSV or JSON.

Everything is validated before anything is written: a file with one bad row writes nothing, and
the error names the row. Rows are grouped into whole responses and handed to
``Store.load_responses``, which writes them in one transaction and skips answers already there,
so importing the same file twice changes nothing.

Columns (CSV header or JSON keys): ``respondent``, ``question``, ``answer``; optionally ``status``
(draft/submitted), ``submitted_at``, any profile field id (``org_type``) or ``profile.<id>``, and
consent as ``consent.<id>`` or ``consent_<id>`` (yes/no). A multi-choice profile field takes
several options separated by ``;``. An answer to a choice question must be one of its options, to
a multi question one or more options separated by ``;`` (or a JSON list), to a scale question a
whole number in its range; they are stored in the form :mod:`consult.questions` describes. JSON may also be ``{"respondents": [...]}`` with nested
``profile``, ``consent`` and ``answers`` objects (the form of the bundled demo data).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

from consult.kinds import kind_of
from consult.questions import Bank, ProfileField, Question

TRUE = {"yes", "y", "true", "1", "agree", "agreed", "x"}
FALSE = {"no", "n", "false", "0", "", "disagree"}
STATUSES = {"draft", "submitted"}


@dataclass
class RowProblem:
    where: str  # "row 7" (CSV, as a spreadsheet numbers rows: header row 1) or "record 3" (JSON)
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class BadImport(Exception):
    """The file cannot be imported; nothing was written. ``problems`` names each bad row."""

    def __init__(self, path: Path, problems: list[RowProblem]):
        self.path = path
        self.problems = problems
        shown = "\n".join(f"{path}: {p}" for p in problems[:20])
        more = f"\n... and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(shown + more)


def read_records(path: Path, bank: Bank) -> list[dict]:
    """Parse and validate a file into response records for ``Store.load_responses``.

    Raises :class:`BadImport` listing every bad row; returns nothing partial.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise BadImport(path, [RowProblem("file", f"cannot be read: {exc.strerror or exc}")]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadImport(path, [RowProblem("file", f"is not UTF-8 text (byte {exc.start})")]) from None
    if path.suffix.lower() == ".json" or text.lstrip().startswith(("[", "{")):
        rows = _json_rows(path, text)
    else:
        rows = _csv_rows(path, text)
    return _Builder(bank).build(path, rows)


REQUIRED_COLUMNS = ("respondent", "question", "answer")

# A long answer pasted into a spreadsheet easily passes the csv module's 128 KiB default.
csv.field_size_limit(64 * 1024 * 1024)


def _csv_rows(path: Path, text: str) -> list[tuple[str, dict]]:
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    if not reader.fieldnames:
        raise BadImport(path, [RowProblem("row 1", "the file is empty: expected a header row")])
    header = [name.strip() for name in reader.fieldnames]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise BadImport(path, [RowProblem("row 1", f"the header has no {', '.join(missing)} column "
                                                   f"(it needs {', '.join(REQUIRED_COLUMNS)})")])
    rows = []
    number = 1  # rows as a spreadsheet numbers them: the header is row 1, whatever newlines cells hold
    try:
        for number, row in enumerate(reader, start=2):
            where = f"row {number}"
            if None in row:
                raise BadImport(path, [RowProblem(where, "has more cells than the header")])
            if any(v is None for v in row.values()):
                raise BadImport(path, [RowProblem(where, "has fewer cells than the header")])
            rows.append((where, {k.strip(): v for k, v in row.items()}))
    except csv.Error as exc:
        raise BadImport(path, [RowProblem(f"row {number + 1}", f"is not valid CSV: {exc}")]) from None
    return rows


def _json_rows(path: Path, text: str) -> list[tuple[str, dict]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadImport(path, [RowProblem(f"line {exc.lineno}", f"is not valid JSON: {exc.msg}")]) from None
    if isinstance(data, dict) and isinstance(data.get("respondents"), list):
        rows = []
        for i, rec in enumerate(data["respondents"], start=1):
            where = f"record {i}"
            if not isinstance(rec, dict):
                raise BadImport(path, [RowProblem(where, "must be an object")])
            answers = rec.get("answers") or {}
            if not isinstance(answers, dict):
                raise BadImport(path, [RowProblem(where, "answers must be an object of question: text")])
            base = {k: v for k, v in rec.items() if k not in ("answers", "profile", "consent")}
            base.update({f"profile.{k}": v for k, v in (rec.get("profile") or {}).items()})
            base.update({f"consent.{k}": v for k, v in (rec.get("consent") or {}).items()})
            rows.append((where, base))  # the respondent itself, even with no answers
            for qid, answer in answers.items():
                rows.append((where, {**base, "question": qid, "answer": answer}))
        return rows
    if not isinstance(data, list):
        raise BadImport(path, [RowProblem("file", "JSON must be a list of rows or {\"respondents\": [...]}")])
    rows = []
    for i, rec in enumerate(data, start=1):
        if not isinstance(rec, dict):
            raise BadImport(path, [RowProblem(f"record {i}", "must be an object")])
        rows.append((f"record {i}", rec))
    return rows


class _Builder:
    def __init__(self, bank: Bank):
        self.bank = bank
        self.profile = {f.id: f for f in bank.profile}
        self.consent = {c.id for c in bank.consent}
        self.questions = {q.id: q for q in bank.questions}

    def build(self, path: Path, rows: list[tuple[str, dict]]) -> list[dict]:
        problems: list[RowProblem] = []
        records: dict[str, dict] = {}
        first_seen: dict[tuple[str, str], str] = {}
        for where, row in rows:
            before = len(problems)
            odd = next((str(v) for v in (*row.keys(), *row.values()) if _has_surrogate(v)), None)
            if odd is not None:
                problems.append(RowProblem(where, "holds a \\u escape that is not a character (a lone"
                                                  " surrogate such as \\ud800): correct it in the file"))
                continue
            respondent = _text(row.get("respondent")).strip()
            if not respondent:
                problems.append(RowProblem(where, "respondent is empty"))
                continue
            record = records.setdefault(respondent, {"respondent": respondent, "profile": {}, "consent": {},
                                                     "answers": {}})
            for key, value in row.items():
                key = key.strip()
                if key in ("respondent", "question", "answer"):
                    continue
                self._field(where, respondent, key, value, record, first_seen, problems)
            if "question" in row or "answer" in row:
                qid = _text(row.get("question")).strip()
                raw = row.get("answer")
                answer = _text(raw)
                if qid not in self.questions:
                    problems.append(RowProblem(where, f"unknown question id {qid!r}" if qid else "question is empty"))
                elif (answer := _answer(self.questions[qid], raw)).startswith("!"):
                    problems.append(RowProblem(where, answer[1:]))
                elif answer.strip():
                    previous = record["answers"].get(qid)
                    if previous is not None and previous != answer:
                        problems.append(RowProblem(where, f"a second, different answer from {respondent!r} to {qid!r}"
                                                          f" (first on {first_seen[(respondent, qid)]})"))
                    record["answers"][qid] = answer
                    first_seen.setdefault((respondent, qid), where)
            if len(problems) > before:
                continue
        if problems:
            raise BadImport(path, problems)
        return list(records.values())

    def _field(self, where: str, respondent: str, key: str, value, record: dict,
               first_seen: dict, problems: list[RowProblem]) -> None:
        value = value if isinstance(value, (bool, list)) else _text(value)
        if value in ("", [], None):
            return
        if key == "status":
            status = str(value).strip().lower()
            if status not in STATUSES:
                problems.append(RowProblem(where, f"status must be draft or submitted, not {value!r}"))
                return
            record["status"] = status
        elif key in ("submitted_at", "created_at"):
            record[key] = str(value).strip()
        elif key.startswith(("consent.", "consent_")) and key[8:] in self.consent:
            flag = _flag(value)
            if flag is None:
                problems.append(RowProblem(where, f"{key} must be yes or no, not {value!r}"))
                return
            self._set(where, respondent, record["consent"], key[8:], flag, first_seen, problems)
        elif key.removeprefix("profile.") in self.profile:
            field = self.profile[key.removeprefix("profile.")]
            checked = _profile_value(field, value)
            if isinstance(checked, str) and checked.startswith("!"):
                problems.append(RowProblem(where, checked[1:]))
                return
            self._set(where, respondent, record["profile"], field.id, checked, first_seen, problems)
        else:
            problems.append(RowProblem(where, f"unknown column {key!r}"))

    @staticmethod
    def _set(where, respondent, target: dict, key: str, value, first_seen: dict, problems) -> None:
        if key in target and target[key] != value:
            problems.append(RowProblem(where, f"{key} {value!r} differs from {target[key]!r} given for "
                                              f"{respondent!r} on {first_seen[(respondent, '.' + key)]}"))
            return
        target[key] = value
        first_seen.setdefault((respondent, "." + key), where)


def _has_surrogate(value) -> bool:
    if isinstance(value, list):
        return any(_has_surrogate(v) for v in value)
    return isinstance(value, str) and any("\ud800" <= c <= "\udfff" for c in value)


def _text(value) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def _flag(value) -> bool | None:
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    return True if word in TRUE else False if word in FALSE else None


def _answer(question: Question, value) -> str:
    """The answer in stored form, as its kind reads an imported value (see :mod:`consult.kinds`),
    or a string starting with '!' describing the problem."""
    kind = kind_of(question)
    try:
        return kind.from_import(question, value)
    except ValueError as exc:
        if kind.free_text:
            return f"!the answer to {question.id} {exc}"
        return f"!answer to {question.id}: {exc}"


def _profile_value(field: ProfileField, value):
    """The value as stored, or a string starting with '!' describing the problem."""
    if field.kind == "multi":
        items = value if isinstance(value, list) else [v for v in str(value).split(";")]
        chosen = []
        for item in (str(i).strip() for i in items):
            if not item:
                continue
            match = _option(field, item)
            if match is None:
                return f"!{field.id}: {item!r} is not one of its options"
            chosen.append(match)
        return chosen
    text = str(value).strip()
    if field.kind == "choice":
        match = _option(field, text)
        return match if match is not None else f"!{field.id}: {text!r} is not one of its options"
    return text


def _option(field: ProfileField, text: str) -> str | None:
    lowered = text.casefold()
    return next((o for o in field.options if o.casefold() == lowered), None)

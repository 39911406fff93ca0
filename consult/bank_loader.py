"""Reading a bank file: TOML checked in full, every problem named by file, line and field.

``tomllib`` only gives line numbers for syntax errors, so a small index from key paths to lines
is built by scanning the file's ``[[...]]`` headers and ``key =`` lines; semantic problems (an
unknown kind, a duplicate id, an option missing from a group) are then reported at their line,
all at once, so that whoever writes the next paper's bank can fix it without reading Python.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

from consult.bank_model import (
    CONSENT_PURPOSES,
    ID_PATTERN,
    PROFILE_KINDS,
    PROFILE_ROLES,
    Bank,
    BankError,
    ConsentItem,
    Problem,
    ProfileField,
    Question,
    Section,
)
from consult.kinds import KINDS, PROFILE_FIELD_KINDS, kind_of, profile_kind

# ----------------------------------------------------------------------------- line index
_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-]+)\s*\]\]?")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+)\s*=")


def _line_index(text: str) -> dict[tuple, int]:
    """Map key paths such as ``("section", 2, "question", 0, "kind")`` to 1-based lines.

    Tables are numbered as tomllib numbers them: ``[[section.question]]`` belongs to the latest
    ``[[section]]``. Lines inside multi-line strings are skipped.
    """
    index: dict[tuple, int] = {}
    counters: dict[tuple, int] = {}
    current: tuple = ()
    in_multiline: str | None = None
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw
        if in_multiline:
            if line.count(in_multiline) % 2 == 1:
                in_multiline = None
            continue
        header = _HEADER.match(line)
        if header and not _KEY.match(line):
            array = header.group(1) == "[["
            names = header.group(2).split(".")
            prefix: tuple = ()
            # resolve parent arrays to their latest element
            for name in names[:-1]:
                prefix = prefix + (name,)
                if prefix in counters:
                    prefix = prefix + (counters[prefix],)
            prefix = prefix + (names[-1],)
            if array:
                counters[prefix] = counters.get(prefix, -1) + 1
                # a new parent element resets nothing: child keys include the parent index
                current = prefix + (counters[prefix],)
            else:
                current = prefix
            index.setdefault(current, lineno)
            continue
        key = _KEY.match(line)
        if key:
            index.setdefault(current + (key.group(1),), lineno)
            rest = line[key.end():]
            for quote in ('"""', "'''"):
                if rest.count(quote) % 2 == 1:
                    in_multiline = quote
    return index


# ----------------------------------------------------------------------------- loading
class _Checker:
    def __init__(self, path: Path, text: str):
        self.path = path
        self.lines = _line_index(text)
        self.problems: list[Problem] = []

    def line_of(self, keypath: tuple) -> int | None:
        while keypath:
            if keypath in self.lines:
                return self.lines[keypath]
            keypath = keypath[:-1]
        return None

    def fail(self, keypath: tuple, message: str) -> None:
        self.problems.append(Problem(str(self.path), self.line_of(keypath), _dotted(keypath), message))

    def table(self, data: dict, keypath: tuple, allowed: dict[str, type | tuple],
              required: tuple[str, ...]) -> dict:
        """Check keys and types of one table; return only the well-typed values."""
        clean = {}
        for key, value in data.items():
            if key not in allowed:
                self.fail(keypath + (key,), f"unknown field (allowed: {', '.join(allowed)})")
                continue
            expected = allowed[key]
            if expected is bool and not isinstance(value, bool) or (
                expected is not bool and not isinstance(value, expected)
                or (expected is int and isinstance(value, bool))
            ):
                self.fail(keypath + (key,), f"must be {_type_name(expected)}, not {type(value).__name__}")
                continue
            if isinstance(value, str) and key in ("id", "text", "title") and not value.strip():
                self.fail(keypath + (key,), "must not be empty")
                continue
            clean[key] = value
        for key in required:
            if key not in data:
                self.fail(keypath + (key,), "missing")
        return clean

    def options(self, data: dict, keypath: tuple) -> tuple[str, ...]:
        options = data.get("options", [])
        if not all(isinstance(o, str) and o.strip() for o in options):
            self.fail(keypath + ("options",), "options must be non-empty strings")
            return ()
        if len(set(options)) != len(options):
            self.fail(keypath + ("options",), "options repeat")
        return tuple(options)

    def identifier(self, value: str, keypath: tuple, seen: dict[str, tuple]) -> None:
        if not ID_PATTERN.match(value):
            self.fail(keypath + ("id",), f"id {value!r} must be lower-case letters, digits, '.', '-' or '_'")
        if value in seen:
            first = self.line_of(seen[value] + ("id",))
            self.fail(keypath + ("id",), f"duplicate id {value!r} (first used on line {first})")
        else:
            seen[value] = keypath


def _dotted(keypath: tuple) -> str:
    out = ""
    for part in keypath:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out or "(file)"


def _type_name(expected: type | tuple) -> str:
    names = {str: "a string", bool: "true or false", int: "a whole number", list: "a list", dict: "a table"}
    if isinstance(expected, tuple):
        return " or ".join(names.get(t, t.__name__) for t in expected)
    return names.get(expected, expected.__name__)


def load_bank(path: str | os.PathLike) -> Bank:
    """Read and validate a bank; raise :class:`BankError` listing every problem."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise BankError([Problem(str(path), None, "(file)", "no such file")]) from None
    except IsADirectoryError:
        raise BankError([Problem(str(path), None, "(file)", "is a folder, not a bank file")]) from None
    except OSError as exc:
        raise BankError([Problem(str(path), None, "(file)", f"cannot be read: {exc.strerror}")]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise BankError([Problem(str(path), line, "(file)", "is not UTF-8 text: save it as UTF-8")]) from None
    if not text.strip():
        raise BankError([Problem(str(path), None, "(file)", "is empty: a bank needs [consultation] and "
                                                            "[[section]] tables")]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        line = int(match.group(1)) if match else None
        raise BankError([Problem(str(path), line, "(syntax)", f"not valid TOML: {exc}")]) from None
    return _build(path, text, data)


def _groups(c: _Checker, raw: dict, kp: tuple, kind: str,
            options: tuple[str, ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """A profile field's ``groups`` table: group name -> list of the field's options, each option
    in one group at most."""
    if not raw:
        return ()
    if kind not in PROFILE_FIELD_KINDS or profile_kind(kind).typed:
        c.fail(kp, f"only a choice or multi field can group its options, not a {kind} field")
        return ()
    out, taken = [], {}
    for name, members in raw.items():
        if not name.strip() or not isinstance(members, list) or not members or \
                not all(isinstance(m, str) for m in members):
            c.fail(kp + (name,), "a group needs a name and a list of the field's options")
            continue
        for m in members:
            if m not in options:
                c.fail(kp + (name,), f"{m!r} is not one of the field's options")
            elif m in taken:
                c.fail(kp + (name,), f"{m!r} is already in group {taken[m]!r}")
            else:
                taken[m] = name
        out.append((name, tuple(members)))
    return tuple(out)


def _build(path: Path, text: str, data: dict) -> Bank:
    c = _Checker(path, text)
    top = c.table(data, (), {"consultation": dict, "profile": list, "consent": list, "section": list},
                  ("consultation", "section"))
    meta = c.table(top.get("consultation", {}), ("consultation",),
                   {"id": str, "title": str, "subtitle": str, "publisher": str, "date": str,
                    "series": str, "introduction": str, "privacy": str, "publisher_about": str,
                    "contact": str, "conclusion": str}, ("id", "title"))
    if "id" in meta and not ID_PATTERN.match(meta["id"]):
        c.fail(("consultation", "id"), "id must be lower-case letters, digits, '.', '-' or '_'")

    seen: dict[str, tuple] = {}
    profile = []
    for i, raw in enumerate(top.get("profile", [])):
        kp = ("profile", i)
        f = c.table(raw, kp, {"id": str, "text": str, "kind": str, "options": list, "required": bool,
                              "role": str, "breakdown": bool, "personal": bool, "groups": dict},
                    ("id", "text"))
        kind = f.get("kind", "text")
        if kind not in PROFILE_KINDS:
            c.fail(kp + ("kind",), f"unknown kind {kind!r} (expected one of {', '.join(PROFILE_KINDS)})")
        if "role" in f and f["role"] not in PROFILE_ROLES:
            c.fail(kp + ("role",), f"unknown role {f['role']!r} (expected one of {', '.join(PROFILE_ROLES)})")
        options = c.options(f, kp)
        if kind in PROFILE_FIELD_KINDS and not profile_kind(kind).typed and not options:
            c.fail(kp + ("options",), f"a {kind} field needs options")
        if "id" in f:
            c.identifier(f["id"], kp, seen)
        groups = _groups(c, f.get("groups", {}), kp + ("groups",), kind, options)
        profile.append(ProfileField(id=f.get("id", ""), text=f.get("text", ""), kind=kind, options=options,
                                    required=f.get("required", False), role=f.get("role"),
                                    breakdown=f.get("breakdown", False), personal=f.get("personal", False),
                                    groups=groups))

    consent = []
    purposes: set[str] = set()
    for i, raw in enumerate(top.get("consent", [])):
        kp = ("consent", i)
        f = c.table(raw, kp, {"id": str, "text": str, "purpose": str}, ("id", "text", "purpose"))
        purpose = f.get("purpose")
        if purpose is not None and purpose not in CONSENT_PURPOSES:
            c.fail(kp + ("purpose",), f"unknown purpose {purpose!r} (expected one of {', '.join(CONSENT_PURPOSES)})")
        elif purpose in purposes:
            c.fail(kp + ("purpose",), f"purpose {purpose!r} is already given by another consent item")
        purposes.add(purpose or "")
        if "id" in f:
            c.identifier(f["id"], kp, seen)
        consent.append(ConsentItem(id=f.get("id", ""), text=f.get("text", ""), purpose=purpose or ""))

    sections = []
    if "section" in top and not top["section"]:
        c.fail(("section",), "a bank needs at least one section")
    for i, raw in enumerate(top.get("section", [])):
        kp = ("section", i)
        s = c.table(raw, kp, {"id": str, "title": str, "context": str, "question": list}, ("id", "title", "question"))
        if "id" in s:
            c.identifier(s["id"], kp, seen)
        questions = []
        if "question" in s and not s["question"]:
            c.fail(kp + ("question",), "a section needs at least one question")
        for j, qraw in enumerate(s.get("question", [])):
            qkp = kp + ("question", j)
            q = c.table(qraw, qkp, {"id": str, "text": str, "help": str, "kind": str, "required": bool,
                                    "word_limit": int, "options": list, "min": int, "max": int,
                                    "key_question": bool}, ("id", "text"))
            kind = q.get("kind", "text")
            if kind not in KINDS:
                c.fail(qkp + ("kind",), f"unknown kind {kind!r} (expected one of {', '.join(KINDS)})")
            options = c.options(q, qkp)
            if "word_limit" in q and q["word_limit"] <= 0:
                c.fail(qkp + ("word_limit",), "must be a positive number of words")
            if "id" in q:
                c.identifier(q["id"], qkp, seen)
            question = Question(id=q.get("id", ""), text=q.get("text", "").strip(), section_id=s.get("id", ""),
                                kind=kind, help=q.get("help", "").strip(), required=q.get("required", False),
                                word_limit=q.get("word_limit"), options=options, scale_min=q.get("min", 1),
                                scale_max=q.get("max", 5), key_question=q.get("key_question", True))
            if kind in KINDS:
                for name, message in kind_of(kind).bank_problems(question):
                    c.fail(qkp + (name,), message)
            questions.append(question)
        sections.append(Section(id=s.get("id", ""), title=s.get("title", ""), context=s.get("context", "").strip(),
                                questions=tuple(questions)))

    if c.problems:
        raise BankError(sorted(c.problems, key=lambda p: p.line or 0))
    return Bank(id=meta["id"], title=meta["title"], path=path, subtitle=meta.get("subtitle", ""),
                publisher=meta.get("publisher", ""), date=meta.get("date", ""), series=meta.get("series", ""),
                introduction=meta.get("introduction", "").strip(), privacy=meta.get("privacy", "").strip(),
                publisher_about=meta.get("publisher_about", "").strip(), contact=meta.get("contact", "").strip(),
                conclusion=meta.get("conclusion", "").strip(), profile=tuple(profile), consent=tuple(consent), sections=tuple(sections))

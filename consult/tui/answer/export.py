"""A member's own copy of their response, as Markdown, written atomically."""

from __future__ import annotations

from pathlib import Path

from consult.files import write_private_atomic
from consult.kinds import kind_of
from consult.questions import Bank, Question
from consult.store import Respondent
from consult.text import clean


def default_export_name(code: str) -> str:
    return f"consult-response-{code}.md"


def response_markdown(bank: Bank, respondent: Respondent, answers: dict[str, str],
                      code: str | None = None) -> str:
    """Profile, consent and every question with its answer. Control characters are dropped so
    that the file is safe to ``cat`` in a terminal."""
    lines = [f"# {clean(bank.title)}: my response", ""]
    meta = [x for x in (bank.publisher, bank.date) if x]
    if meta:
        lines += [clean(" · ".join(meta)), ""]
    if code:
        lines += [f"- Resume code: `{code}` (keep it private)"]
    lines += [f"- Status: {respondent.status}"]
    if respondent.submitted_at:
        lines += [f"- Submitted: {respondent.submitted_at}"]
    lines += ["", "## About your organisation", ""]
    for f in bank.profile:
        value = respondent.profile.get(f.id)
        if isinstance(value, list):
            value = "; ".join(value)
        label = clean(f.text)
        label = label if label.endswith(("?", ":")) else label + ":"
        lines.append(f"- {label} {clean(str(value)) if value else '(not given)'}")
    if bank.consent:
        lines += ["", "## Consent", ""]
        for item in bank.consent:
            given = respondent.consent.get(item.id, False)
            lines.append(f"- [{'x' if given else ' '}] {clean(item.text)}")
    number = 0
    for section in bank.sections:
        lines += ["", f"## {clean(section.title)}"]
        for q in section.questions:
            number += 1
            lines += ["", f"### Q{number}. {clean(q.text)}", ""]
            lines += answer_lines(q, answers.get(q.id, ""))
    return "\n".join(lines) + "\n"


def answer_lines(q: Question, text: str) -> list[str]:
    """One answer as Markdown lines: free text as written; a choice or a number on its own line;
    the options of a multi-choice answer as a list."""
    if q.is_free_text:
        text = clean(text).strip()
        return [text] if text else ["_Not answered._"]
    chosen = [" ".join(clean(c).split()) for c in q.answer_values(text)]
    if not chosen:
        return ["_Not answered._"]
    return kind_of(q).answer_lines(q, chosen)


SQLITE_HEADER = b"SQLite format 3\x00"
# The files SQLite keeps beside a database: never a target, whatever the base name.
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")


def refusal(target: Path, db_path: Path | None = None) -> str | None:
    """Why ``target`` may not receive the copy (it exists, is a folder, is or belongs to a
    database), or None when it is a new file name."""
    name = target.name
    try:
        is_db = db_path is not None and target.resolve() in {
            Path(db_path).resolve(), *(Path(f"{Path(db_path).resolve()}{s}")
                                       for s in SQLITE_SIDE_FILES)}
    except OSError:
        is_db = False
    if is_db or name.endswith(SQLITE_SIDE_FILES):
        return f"{name} is part of a database: type a new file name."
    if target.is_dir():
        return f"{name} is a folder: type a file name."
    if target.exists() or target.is_symlink():
        try:
            with open(target, "rb") as handle:
                head = handle.read(len(SQLITE_HEADER))
        except OSError:
            head = b""
        if head == SQLITE_HEADER:
            return f"{name} is a database: type a new file name."
        return f"{name} already exists: type a new file name (the copy never replaces a file)."
    return None


def free_name(folder: Path, name: str) -> str:
    """``name``, or ``name-2``, ``name-3``... : the first that does not exist in ``folder``."""
    stem, suffix = Path(name).stem, Path(name).suffix
    candidate, number = name, 1
    while (folder / candidate).exists():
        number += 1
        candidate = f"{stem}-{number}{suffix}"
    return candidate


def write_new(path: Path, text: str) -> Path:
    """Write ``text`` to a NEW file readable by its owner only (0600), all or nothing: an
    existing file is never replaced, not even one created a moment after the check."""
    return write_private_atomic(Path(path).expanduser(), text, overwrite=False).resolve()

"""A member's own copy of their response, as Markdown, written atomically."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

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
    if q.kind == "multi":
        return [f"- {c}" for c in chosen]
    if q.kind == "scale":
        return [f"{chosen[0]} (on a scale from {q.scale_min} to {q.scale_max})"]
    return chosen


def write_atomic(path: Path, text: str) -> Path:
    """Write to a temporary file beside ``path``, then rename over it: never a half file."""
    path = Path(path).expanduser()
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path.resolve()

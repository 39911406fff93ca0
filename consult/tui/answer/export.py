"""A member's own copy of their response, as Markdown, written atomically."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from consult.questions import Bank
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
            text = clean(answers.get(q.id, "")).strip()
            lines.append(text if text else "_Not answered._")
    return "\n".join(lines) + "\n"


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

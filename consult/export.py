"""Answers as a CSV or JSON file for other tools, safe to open wherever it lands.

CSV goes to spreadsheets: every cell is :func:`consult.text.spreadsheet_safe` (no control or
bidi characters, formulas shown as text). JSON keeps the exact text but escapes every control
and bidi character, so no byte of it can act on a terminal that displays the file.
"""

from __future__ import annotations

import csv
import io
import json
import re

from consult.text import BIDI_CONTROLS, spreadsheet_safe

EXPORT_COLUMNS = ("respondent", "question", "answer", "theme")
# json.dumps escapes C0 controls itself; these it leaves raw.
_JSON_RAW = re.compile(rf"[\x7f-\x9f{BIDI_CONTROLS}\u2028\u2029]")


def render_export(rows: list[dict], fmt: str) -> str:
    """The whole file as text: ``fmt`` is ``csv`` or ``json``."""
    if fmt == "json":
        text = json.dumps(rows, ensure_ascii=False, indent=2)
        return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=list(EXPORT_COLUMNS))
    writer.writeheader()
    writer.writerows({k: spreadsheet_safe(str(r.get(k) or "")) for k in EXPORT_COLUMNS} for r in rows)
    return buffer.getvalue()

"""Headless modules stay headless: the library never imports the TUI (nor the CLI)."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEADLESS = ["consult.questions", "consult.store", "consult.text", "consult.importer", "consult.analysis",
            "consult.pipeline", "consult.report"]


@pytest.mark.parametrize("module", HEADLESS)
def test_module_does_not_import_textual_or_the_cli(module):
    code = (f"import sys, {module}; "
            "print(sorted({m.split('.')[0] for m in sys.modules if m.split('.')[0] == 'textual'}"
            " | {m for m in sys.modules if m.startswith(('consult.tui', 'consult.cli'))}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_only_the_store_writes_sql():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "consult"
    writers = []
    for path in root.rglob("*.py"):
        if "store" in path.parts:
            continue
        text = path.read_text(encoding="utf-8").upper()
        if any(word in text for word in ("INSERT INTO", "UPDATE RESPONDENTS", "DELETE FROM", "CREATE TABLE")):
            writers.append(str(path.relative_to(root)))
    assert writers == []

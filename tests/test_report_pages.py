"""The report as its readers open it: the HTML in a real headless Chromium, the PDF through
pdftotext, the Word file through python-docx."""

from __future__ import annotations

import html as htmllib
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from consult.questions import default_bank_path, load_bank
from consult.report import build_report, render, write_report
from consult.store import Store
from tests.report_formats import docx_headings, pdf_text
from tests.test_report_fixtures import build_fixture

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTEFACTS = Path(__file__).resolve().parent / "artefacts"  # git-ignored: look at them after a run
need_chromium = pytest.mark.skipif(CHROMIUM is None and not os.environ.get("CI"),
                                   reason="chromium not installed (CI installs it and runs this test)")
need_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None and not os.environ.get("CI"),
                                    reason="pdftotext (poppler-utils) not installed; CI installs it")


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    bank = load_bank(default_bank_path())
    store = Store(tmp_path_factory.mktemp("db") / "r.db")
    store.sync_bank(bank)
    build_fixture(store, bank)
    return build_report(store, bank)


def _chromium(*args: str) -> subprocess.CompletedProcess:
    assert CHROMIUM, "chromium must be installed in CI"
    return subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                           "--disable-dev-shm-usage", *args], capture_output=True, timeout=180, check=False)


def _words(text: str) -> str:
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", text)).split())


@need_chromium
def test_chromium_shows_the_cover_and_key_messages(report, tmp_path):
    page = tmp_path / "report.html"
    write_report(report, page)
    ARTEFACTS.mkdir(exist_ok=True)
    shot = ARTEFACTS / "report-first-page.png"
    shot.unlink(missing_ok=True)
    # A4 at 150 dpi: the first screen a reader sees
    done = _chromium(f"--screenshot={shot}", "--window-size=1240,1754", page.as_uri())
    assert shot.exists() and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", done.stderr[-2000:]
    assert shot.stat().st_size > 20_000  # a drawn page, not a blank one
    dom = _chromium("--dump-dom", page.as_uri())
    text = _words(dom.stdout.decode("utf-8"))
    assert report.title in text and "Key messages" in text
    for m in report.key_messages:
        assert " ".join(m.label.split()) in text and " ".join(m.text.split()) in text
    assert "<script" not in dom.stdout.decode("utf-8").lower()


@need_pdftotext
def test_pdf_holds_every_question_and_the_key_messages(report, bank, tmp_path):
    text = " ".join(pdf_text(render(report, "pdf"), tmp_path).split())
    for q in bank.questions:
        assert " ".join(q.text.split())[:70] in text, q.id
    for m in report.key_messages:
        assert m.label in text and m.text[:60] in text


def test_word_file_holds_the_same_headings(report):
    headings = docx_headings(render(report, "docx"))
    assert [h for h in headings if h in report.headings()] == report.headings()
    for q in report.questions:
        assert f"Q{q.number}. {q.text}" in headings

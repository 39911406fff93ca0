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


# ----------------------------------------------------------------------------- the demo, every format
DEMO = Path(__file__).resolve().parent.parent / "consult" / "data" / "demo_responses.json"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo consultation with one theme per question holding every submitted answer, so that
    every consenting answer is a candidate quote and consent is tested on all of them."""
    from click.testing import CliRunner

    from consult.cli import cli

    db = tmp_path_factory.mktemp("demo") / "demo.db"
    result = CliRunner().invoke(cli, ["demo", "--db", str(db)])
    assert result.exit_code == 0, result.output
    bank = load_bank(default_bank_path())
    store = Store(db)
    themes = []
    for q in bank.questions:
        ids = [rid for rid, _ in store.answers_to(q.id, submitted_only=True)]
        themes.append({"question_id": q.id, "kind": "theme", "label": "Everything", "terms": ["all"],
                       "members": [{"respondent_id": r, "rank": n, "is_primary": True} for n, r in enumerate(ids, 1)]})
    store.save_run(bank.id, method="test", version="0", params={}, summary={}, themes=themes)
    return build_report(store, bank)


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["html", "markdown", "docx", pytest.param("pdf", marks=need_pdftotext)])
def test_demo_report_honours_consent_redaction_and_small_numbers(demo, tmp_path, fmt):
    import json

    from tests.report_formats import small_counts, visible

    raw, text = visible(demo, fmt, tmp_path)
    flat = " ".join(text.replace("\\", "").split())
    records = json.loads(DEMO.read_text(encoding="utf-8"))["respondents"]
    by_id = {rec["respondent"]: rec for rec in records}
    quotes = [m.quote for m in demo.key_messages if m.quote] + [
        s.summary_quote for s in demo.sections if s.summary_quote] + [x for q in demo.questions for x in q.quotes]
    assert quotes
    for quote in quotes:
        rec = by_id[quote.respondent_id]
        assert rec.get("status") == "submitted" and rec["consent"].get("quote") is True
    for rec in records:
        named = rec.get("consent", {}).get("name") and rec.get("status") == "submitted"
        org = rec.get("profile", {}).get("org_name", "")
        if org and not named:
            assert org not in flat, rec["respondent"]
    for secret in ("07700 900123", "(0117) 496 0000", "BS1 4DJ"):
        assert secret not in flat
    if fmt in ("html", "markdown"):
        assert "<script" not in raw.lower()
    assert small_counts(raw, fmt) == [] and small_counts(flat, fmt) == []

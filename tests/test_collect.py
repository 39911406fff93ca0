"""The README tells developers to run plain `pytest`: the whole suite must collect that way."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT


@pytest.mark.slow
def test_plain_pytest_collects_the_whole_suite(tmp_path):
    # Run from elsewhere, as the `pytest` script does: the repository is not on sys.path
    # unless the suite itself makes `tests` importable.
    script = "import sys, pytest; sys.path[:] = [p for p in sys.path if p not in ('', '.')];" \
             f" sys.exit(pytest.main(['--collect-only', '-q', '-p', 'no:cacheprovider', {str(ROOT / 'tests')!r}]))"
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "error" not in done.stdout.splitlines()[-1]

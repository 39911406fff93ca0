"""Run every benchmark in turn (`make bench`); each prints its own table.

The figures recorded in benchmarks/README.md come from these scripts; re-run them on an idle
machine before quoting a number.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = ["quality.py", "quality_db.py", "speed.py", "browse_scale.py", "report_speed.py",
           "serve_sessions.py", "assign_speed.py"]


def main() -> int:
    failed = []
    for script in SCRIPTS:
        print(f"\n== {script}", flush=True)
        if subprocess.run([sys.executable, str(HERE / script)]).returncode != 0:
            failed.append(script)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

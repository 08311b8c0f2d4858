"""Load and concurrency: Rootline under gunicorn, many people at once, on PostgreSQL and on
SQLite. The run itself is devsupport/load.py (a short run of it is part of the suite,
tests/test_load.py); this script is its place among the benchmarks.

    .venv/bin/python benchmarks/load.py                      # both databases, 20 users, 60 s
    .venv/bin/python benchmarks/load.py --db sqlite --seconds 5 --users 6

Exits non-zero when a 5xx, a lost update or a locked database was seen.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from devsupport.load import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())

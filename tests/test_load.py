"""A short run of the load benchmark (devsupport/load.py, which benchmarks/load.py runs):
gunicorn with 4 workers, several users editing the same rows at once; no 5xx, no lost update,
no locked SQLite database. The full run (20 users, 60 s) is done by hand; its figures are in
README.

Marked slow (real processes): skip it locally with `-m 'not slow'`; `make test` and CI run it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from devsupport.databases import LOCAL_POSTGRES, server_url
from tests.helpers import require_postgres

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent


def _run(db: str, postgres: str | None = None) -> str:
    env = {**os.environ, "ROOTLINE_POSTGRES_URL": postgres} if postgres else None
    result = subprocess.run(
        [sys.executable, "-m", "devsupport.load", "--db", db, "--users", "6", "--seconds", "4"],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return result.stdout


def _figures(out: str) -> dict[str, str]:
    """The `name: value` lines of the report."""
    return dict(
        line.strip().split(": ", 1) for line in out.splitlines() if line.strip().count(": ") == 1
    )


def test_short_load_on_sqlite_loses_nothing_and_never_locks():
    out = _run("sqlite")
    figures = _figures(out)
    assert figures["5xx"] == "0" and figures["lost updates"] == "0"
    assert figures['"database is locked"'] == "0"
    saved = int(out.split("edits saved: ")[1].split(",")[0])
    assert saved > 0  # the users did edit, so the checks above had something to check
    started, downloaded = _exports(out)
    assert started == downloaded > 0  # every export through its job reached its file


def _exports(out: str) -> tuple[int, int]:
    line = out.split("exports started: ")[1].splitlines()[0]
    started, downloaded = line.split(", downloaded: ")
    return int(started), int(downloaded)


def test_short_load_on_postgresql_loses_nothing():
    url = server_url() or LOCAL_POSTGRES
    require_postgres(url)
    out = _run("postgresql", url)
    figures = _figures(out)
    assert figures["5xx"] == "0" and figures["lost updates"] == "0"
    assert int(out.split("edits saved: ")[1].split(",")[0]) > 0
    started, downloaded = _exports(out)
    assert started == downloaded > 0

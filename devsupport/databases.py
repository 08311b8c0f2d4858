"""Throwaway databases for the tests and the benchmarks: SQLite files in a temp dir, or
PostgreSQL databases created and dropped on the server TEST_DATABASE_URL points at; and
the addresses of the local PostgreSQL and Redis."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from config import normalise_database_url


def server_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL")
    return normalise_database_url(url) if url else None


LOCAL_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
LOCAL_REDIS = "redis://127.0.0.1:6379/0"


def postgres_reachable(url: str = LOCAL_POSTGRES) -> bool:
    engine = create_engine(url)
    try:
        with engine.connect():
            return True
    except Exception:
        return False
    finally:
        engine.dispose()


@contextmanager
def throwaway_database(
    tmp_dir: Path, server: str | None = None, prefix: str = "rootline_test_"
) -> Iterator[str]:
    """Yield the URL of a new, empty database and drop it afterwards: on the PostgreSQL
    server `server` (or TEST_DATABASE_URL) names, else a SQLite file in `tmp_dir`.

    An unreachable PostgreSQL fails loudly: a suite asked to run on PostgreSQL must never
    pass by quietly running on nothing.
    """
    url = server or server_url()
    if url is None:
        yield f"sqlite:///{tmp_dir / f'rootline-{uuid.uuid4().hex[:8]}.sqlite'}"
        return
    name = f"{prefix}{uuid.uuid4().hex[:12]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        admin.dispose()
        raise RuntimeError(
            f"TEST_DATABASE_URL is set but PostgreSQL cannot be used ({exc.__class__.__name__}: "
            f"{exc}). Start PostgreSQL or unset TEST_DATABASE_URL."
        ) from exc
    try:
        yield make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

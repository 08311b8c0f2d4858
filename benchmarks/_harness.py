"""Shared set-up for benchmark scripts: a throwaway app with a logged-in client."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from accounts import services as accounts  # noqa: E402
from extensions import db  # noqa: E402
from wsgi import create_app  # noqa: E402

PASSWORD = "benchmark-password"


@contextmanager
def bench_app(url: str | None = None):
    """An app on a fresh SQLite file (or `url`), schema created, one owner logged in."""
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": url or f"sqlite:///{Path(tmp) / 'bench.sqlite'}",
                "SECRET_KEY": "bench",
                "WTF_CSRF_ENABLED": False,
                "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            }
        )
        with app.app_context():
            db.create_all()
            user = accounts.create_user("bench@example.com", "Bench", PASSWORD)
            workspace = accounts.create_workspace("Bench", user)
            db.session.commit()
            client = app.test_client()
            client.post("/login", data={"email": user.email, "password": PASSWORD})
            try:
                yield app, client, workspace
            finally:
                db.session.remove()
                db.engine.dispose()


def median_time(fn: Callable[[], object], repeat: int = 7, warmup: int = 1) -> float:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)

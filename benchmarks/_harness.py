"""Shared set-up for benchmark scripts: a throwaway app with a logged-in client."""

from __future__ import annotations

import contextvars
import gc
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask.testing import FlaskClient  # noqa: E402

from accounts import services as accounts  # noqa: E402
from extensions import db  # noqa: E402
from wsgi import create_app  # noqa: E402

PASSWORD = "benchmark-password"


class FreshContextClient(FlaskClient):
    """Each request in its own context, as under a real server: the script keeps an app
    context open for its own queries, and requests must not share its `g` or session."""

    def open(self, *args, **kwargs):
        db.session.commit()
        return contextvars.Context().run(super().open, *args, **kwargs)


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
            app.test_client_class = FreshContextClient
            client = app.test_client()
            client.post("/login", data={"email": user.email, "password": PASSWORD})
            try:
                yield app, client, workspace
            finally:
                db.session.remove()
                db.engine.dispose()


def settle() -> None:
    """Move what the script built so far into the GC's permanent generation, as a server
    worker's long-lived objects are: otherwise each full collection during a measured
    request walks the benchmark's own data, and that cost grows with the data set."""
    gc.collect()
    gc.freeze()


def median_time(fn: Callable[[], object], repeat: int = 7, warmup: int = 1) -> float:
    settle()
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)

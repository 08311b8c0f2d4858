"""The board over HTTP, as a user gets it: gunicorn (one sync worker) on loopback serving
blueprints of 60, 600 and 6,000 elements, timed until the last byte of the response is
read, and the response's size.

Target: 10× the elements cost at most 11× the time and 11× the bytes, 600 → 6,000 (the
board is linear in its size: each finding's message is written once, the health is built
once per change). Baseline: the board of an empty blueprint, served by the same server in
the same run. The first request of each board (which builds its health) is not timed.
Run: .venv/bin/python benchmarks/board.py [--quick] (--quick: 60 and 600 elements)
"""

from __future__ import annotations

import http.cookiejar
import re
import statistics
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from devsupport.servers import gunicorn  # noqa: E402

QUICK = "--quick" in sys.argv
SIZES = (60, 600) if QUICK else (60, 600, 6000)
TARGET = 11.0
PASSWORD = "benchmark-password"
EMAIL = "bench@example.com"


def seed(url: str) -> dict[int, int]:
    """A workspace with an empty blueprint and one of each size: {elements: blueprint id}."""
    from accounts import services as accounts
    from devsupport.synthetic import build_blueprint
    from extensions import db
    from wsgi import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        db.create_all()
        user = accounts.create_user(EMAIL, "Bench", PASSWORD)
        workspace = accounts.create_workspace("Bench", user)
        ids = {0: build_blueprint(workspace.id, elements=0, links=0, catalog=0, name="Empty").id}
        for n in SIZES:
            ids[n] = build_blueprint(workspace.id, elements=n, links=int(n * 3.4), seed=n).id
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return ids


def logged_in(base: str) -> urllib.request.OpenerDirector:
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    page = opener.open(base + "/login").read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)[1]
    body = urllib.parse.urlencode({"csrf_token": token, "email": EMAIL, "password": PASSWORD})
    landed = opener.open(base + "/login", body.encode())
    assert "/login" not in landed.url, "could not log in"
    return opener


def fetch(opener, url: str) -> tuple[float, int]:
    """(seconds until the last byte, bytes)."""
    start = time.perf_counter()
    with opener.open(url, timeout=300) as response:
        assert response.status == 200, url
        size = len(response.read())
    return time.perf_counter() - start, size


def measure(opener, url: str, repeat: int) -> tuple[float, int]:
    fetch(opener, url)  # builds the board's health (once per change), warms the worker
    runs = [fetch(opener, url) for _ in range(repeat)]
    return statistics.median(t for t, _ in runs), runs[-1][1]


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        url = f"sqlite:///{tmp / 'board.sqlite'}"
        started = time.perf_counter()
        ids = seed(url)
        print(f"built blueprints of {', '.join(f'{n:,}' for n in SIZES)} elements "
              f"in {time.perf_counter() - started:.0f} s")  # fmt: skip
        with gunicorn(url, 1, tmp / "gunicorn.log", extra=("--timeout", "600")) as base:
            opener = logged_in(base)
            found = {0: measure(opener, f"{base}/blueprints/{ids[0]}", 15)}
            for n in SIZES:
                found[n] = measure(opener, f"{base}/blueprints/{ids[n]}", 7 if n < 6000 else 3)
    empty_time, empty_bytes = found[0]
    print(f"{'elements':>8}  {'median ms':>10}  {'vs empty':>9}  {'bytes':>12}  {'vs empty':>9}")
    for n, (seconds, size) in found.items():
        print(
            f"{n:>8,}  {seconds * 1000:>10.1f}  {seconds / empty_time:>9.1f}  {size:>12,}"
            f"  {size / empty_bytes:>9.1f}"
        )
    ok = True
    for small, large in zip(SIZES, SIZES[1:], strict=False):
        time_ratio = found[large][0] / found[small][0]
        byte_ratio = found[large][1] / found[small][1]
        for what, ratio in (("time", time_ratio), ("bytes", byte_ratio)):
            met = ratio <= TARGET
            ok &= met
            print(
                f"{large:,}/{small:,} elements: {what} ratio {ratio:.2f} (target ≤ {TARGET}) "
                f"{'met' if met else 'MISSED'}"
            )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

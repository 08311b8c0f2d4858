"""Load and concurrency: Rootline under gunicorn, many people at once, on PostgreSQL and on
SQLite.

Starts gunicorn (4 sync workers) on loopback against a fresh database seeded with the demo
workspace, logs in N simulated users (editors) and lets them work for a while: board views,
backlog views, task pages, edits of a handful of shared tasks and elements through the real
forms (CSRF token and version included, as a browser sends them), and an action-plan export
every few seconds, made as the backlog's button makes it: through a job, on a job worker
started beside gunicorn. Then it stops by itself and prints requests per second, p50/p95/p99
latency, the 5xx count, the conflicts (409), and the lost updates, checked against the
audit trail: every edit that was answered 302 must be in the chain of changes of its row,
each change must start from the value the previous one left, and the row must hold the last.
On SQLite it also counts "database is locked" in gunicorn's log.

With `--elements N --tasks M`, the users work in a workspace of N elements (blueprints of
500) and M tasks instead of the demo's, next to `--neighbours` workspaces of the same size.
Before the users start, the same number of users asks a bare "hello" page
(devsupport/hello.py) served by the same gunicorn configuration for a while, and the report
gives its p50/p95/p99 beside Rootline's and the ratio (goal: p95 ≤ 10× the bare page's).
`--port` puts Rootline's gunicorn on that port (the bare page on the next one), and
`--db-prefix` starts the name of the PostgreSQL database the run creates and drops.

    .venv/bin/python benchmarks/load.py                      # both databases, 20 users, 60 s
    .venv/bin/python benchmarks/load.py --db sqlite --seconds 5 --users 6
    .venv/bin/python benchmarks/load.py --db postgresql --elements 5000 --tasks 5000 \
        --neighbours 10 --port 8701 --db-prefix perf_load_

Exits non-zero when a 5xx, a lost update or a locked database was seen.
"""

from __future__ import annotations

import argparse
import html.parser
import http.cookiejar
import json
import os
import random
import re
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, text

from devsupport.databases import LOCAL_POSTGRES, throwaway_database
from devsupport.servers import gunicorn, jobs_worker

POSTGRES = os.environ.get("ROOTLINE_POSTGRES_URL", LOCAL_POSTGRES)
PASSWORD = "load-test-password"
SHARED = 5  # tasks and elements everyone edits
EXPORT_EVERY = 3.0  # seconds


# --- the database ---------------------------------------------------------------------------


@contextmanager
def database(kind: str, tmp: Path, prefix: str = "rootline_load_"):
    if kind == "sqlite":
        yield f"sqlite:///{tmp / 'load.sqlite'}"
        return
    with throwaway_database(tmp, server=POSTGRES, prefix=prefix) as url:  # created, dropped
        yield url


@dataclass(frozen=True)
class Size:
    """The workspace the users work in: the demo's (all zero), or a synthetic one."""

    elements: int = 0
    tasks: int = 0
    neighbours: int = 0

    @property
    def synthetic(self) -> bool:
        return bool(self.elements or self.tasks)


BLUEPRINT_ELEMENTS = 500


def _synthetic(owner, name: str, size: Size, seed: int):
    from accounts import services as accounts
    from devsupport.synthetic import build_backlog, build_blueprint
    from extensions import db

    workspace = accounts.create_workspace(name, owner)
    left, n = size.elements, 0
    while left > 0:
        count = min(BLUEPRINT_ELEMENTS, left)
        build_blueprint(workspace.id, elements=count, links=int(count * 2.5), seed=seed + n)
        left, n = left - count, n + 1
    if not n:
        build_blueprint(workspace.id, elements=40, links=100, seed=seed)
    if size.tasks:
        build_backlog(workspace.id, tasks=size.tasks, insights=2 * size.tasks, seed=seed)
    db.session.commit()
    return workspace


def seed(url: str, users: int, size: Size = Size()) -> int:
    """The demo workspace (or a synthetic one of `size`, next to its neighbours) and
    `users` editors of it, through the app's own services; the workspace's id."""
    from accounts import services as accounts
    from accounts.models import Role
    from demo import seed_demo
    from extensions import db
    from wsgi import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "load", "JOBS_IMMEDIATE": True})
    with app.app_context():
        db.create_all()
        if size.synthetic:
            owner = accounts.create_user("owner@example.com", "Owner", PASSWORD)
            workspace = _synthetic(owner, "Load", size, seed=1)
            for i in range(size.neighbours):
                _synthetic(owner, f"Neighbour {i}", size, seed=100 * (i + 1))
        else:
            workspace = seed_demo()
        for n in range(users):
            user = accounts.create_user(f"user{n}@example.com", f"User {n}", PASSWORD)
            accounts.add_member(workspace, user.email, Role.EDITOR)
        db.session.commit()
        workspace_id = workspace.id
        db.session.remove()
        db.engine.dispose()
    return workspace_id


# --- a simulated user ------------------------------------------------------------------------


class _Form(html.parser.HTMLParser):
    """The fields of the first POST form that posts to `action` (or to the page itself), as
    a browser would send them."""

    def __init__(self, action: str):
        super().__init__()
        self.action, self.inside, self.done = action, False, False
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        posts_here = (a.get("action") or self.action).endswith(self.action)
        if tag == "form" and not self.done and a.get("method") == "post" and posts_here:
            self.inside = True
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append(
                (name, a.get("value") or ("y" if a.get("type") == "checkbox" else ""))
            )
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.fields.append((self._select, a.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)

    def handle_endtag(self, tag):
        if not self.inside:
            return
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.fields.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None
        elif tag == "form":
            self.inside, self.done = False, True


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter = field(default_factory=Counter)
    landed: list[tuple[str, int, str]] = field(default_factory=list)  # (entity, id, marker)
    conflicts: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    last_export: float = 0.0
    exports: list[float] = field(default_factory=list)  # each export's wait, start to file
    exports_started: int = 0


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class User:
    def __init__(self, base: str, n: int, stats: Stats, tasks: list[int], elements: list[int]):
        self.base, self.n, self.stats = base, n, stats
        self.tasks, self.elements = tasks, elements
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )
        self.edits = 0

    def request(
        self, kind: str, path: str, data: list[tuple[str, str]] | None = None, headers=False
    ):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        start = time.perf_counter()
        try:
            with self.opener.open(self.base + path, body, timeout=120) as response:
                status, content, answer = response.status, response.read(), response.headers
        except urllib.error.HTTPError as exc:
            status, content, answer = exc.code, exc.read(), exc.headers
        elapsed = time.perf_counter() - start
        with self.stats.lock:
            self.stats.latencies[kind].append(elapsed)
            self.stats.statuses[status] += 1
        text_ = content.decode("utf-8", "replace")
        return (status, text_, answer) if headers else (status, text_)

    def login(self) -> None:
        _, page = self.request("login form", "/login")
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)[1]
        status, _ = self.request(
            "login",
            "/login",
            [("csrf_token", token), ("email", f"user{self.n}@example.com"), ("password", PASSWORD)],
        )
        if status != 302:
            raise RuntimeError(f"user{self.n} could not log in ({status})")

    def edit(self, entity: str, row_id: int, path: str, field_name: str) -> None:
        status, page = self.request(f"{entity} form", path)
        if status != 200:
            return
        form = _Form(path)
        form.feed(page)
        self.edits += 1
        marker = f"u{self.n}-{self.edits}"
        data = [(k, v) for k, v in form.fields if k != field_name] + [(field_name, marker)]
        status, _ = self.request(f"{entity} save", path, data)
        with self.stats.lock:
            if status == 302:
                self.stats.landed.append((entity, row_id, marker))
            elif status == 409:
                self.stats.conflicts += 1

    def export(self) -> None:
        """The backlog's "Export to Excel" as the page does it: the form's POST starts a job
        (its answer, a 303 to the job's page, is what the user waits for), the page asks
        how far it is every 0.6 s, and the download follows when it is done. The whole
        wait, start to file, is counted apart (`Stats.exports`): it is no one request."""
        started = time.perf_counter()
        status, page = self.request("backlog", "/backlog")
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
        if status != 200 or not token:
            return
        status, _, headers = self.request(
            "export start", "/backlog/export", [("csrf_token", token[1])], headers=True
        )
        job = re.search(r"/jobs/(\d+)", headers.get("Location", ""))
        if status != 303 or not job:
            return
        with self.stats.lock:
            self.stats.exports_started += 1
        while True:
            time.sleep(0.6)
            status, answer = self.request("export progress", f"/jobs/{job[1]}.json")
            view = json.loads(answer) if status == 200 else {}
            if status != 200 or view.get("status") not in ("queued", "running"):
                break
        if view.get("download"):
            self.request("export download", view["download"])
            with self.stats.lock:
                self.stats.exports.append(time.perf_counter() - started)

    def step(self, blueprint_ids: list[int]) -> None:
        now = time.monotonic()
        with self.stats.lock:
            export = now - self.stats.last_export >= EXPORT_EVERY
            if export:
                self.stats.last_export = now
        if export:
            self.export()
            return
        roll = random.random()
        if roll < 0.30:
            self.request("board", f"/blueprints/{random.choice(blueprint_ids)}")
        elif roll < 0.55:
            self.request("backlog", "/backlog")
        elif roll < 0.65:
            self.request("task page", f"/tasks/{random.choice(self.tasks)}")
        elif roll < 0.85:
            task = random.choice(self.tasks)
            self.edit("improvement_task", task, f"/tasks/{task}/edit", "team")
        else:
            element = random.choice(self.elements)
            self.edit("element", element, f"/elements/{element}/edit", "description")


# --- checks ----------------------------------------------------------------------------------


def lost_updates(url: str, landed: list[tuple[str, int, str]], initial: dict) -> list[str]:
    """Every landed edit is in its row's chain of changes, the chain is unbroken, and the
    row holds the last value."""
    engine = create_engine(url)
    problems = []
    fields = {"improvement_task": "team", "element": "description"}
    with engine.connect() as conn:
        for (entity, row_id), first in initial.items():
            name = fields[entity]
            chain = [
                json.loads(c)[name]
                for (c,) in conn.execute(
                    text(
                        "SELECT changes FROM audit_event WHERE entity = :e AND entity_id = :i "
                        "AND action = 'update' ORDER BY id"
                    ),
                    {"e": entity, "i": row_id},
                )
                if name in json.loads(c)
            ]
            value = first
            for old, new in chain:
                if old != value:
                    problems.append(f"{entity} {row_id}: a change from {old!r} over {value!r}")
                value = new
            now = conn.scalar(text(f"SELECT {name} FROM {entity} WHERE id = :i"), {"i": row_id})
            if now != value:
                problems.append(f"{entity} {row_id}: holds {now!r}, the last change was {value!r}")
            written = {new for _, new in chain}
            for e, i, marker in landed:
                if (e, i) == (entity, row_id) and marker not in written:
                    problems.append(f"{entity} {row_id}: the saved {marker} is gone")
    engine.dispose()
    return problems


def shared_rows(url: str, workspace_id: int) -> tuple[list[int], list[int], list[int], dict]:
    engine = create_engine(url)
    mine = {"w": workspace_id}
    with engine.connect() as conn:
        blueprints = [
            r[0]
            for r in conn.execute(
                text("SELECT id FROM service_blueprint WHERE workspace_id = :w"), mine
            )
        ]
        tasks = conn.execute(
            text(
                "SELECT id, team FROM improvement_task WHERE workspace_id = :w "
                f"ORDER BY id LIMIT {SHARED}"
            ),
            mine,
        ).all()
        elements = conn.execute(
            text(
                "SELECT id, description FROM element WHERE workspace_id = :w "
                f"AND stage_id IS NOT NULL ORDER BY id LIMIT {SHARED}"
            ),
            mine,
        ).all()
    engine.dispose()
    initial = {("improvement_task", i): v for i, v in tasks}
    initial |= {("element", i): v for i, v in elements}
    return blueprints, [i for i, _ in tasks], [i for i, _ in elements], initial


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def bare_latencies(
    url: str, users: int, seconds: float, workers: int, log: Path, port: int | None
) -> list[float]:
    """`users` threads asking the bare page for `seconds`, served by the same gunicorn
    configuration as Rootline (devsupport/hello.py): each request's seconds."""
    found: list[float] = []
    lock = threading.Lock()
    with gunicorn(url, workers, log, app="devsupport.hello:app", port=port) as base:
        stop = time.monotonic() + seconds

        def work() -> None:
            opener = urllib.request.build_opener()
            while time.monotonic() < stop:
                start = time.perf_counter()
                with opener.open(base + "/hello", timeout=120) as response:
                    response.read()
                with lock:
                    found.append(time.perf_counter() - start)

        threads = [threading.Thread(target=work) for _ in range(users)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return found


GOAL = 10.0  # Rootline's p95 against the bare page's


def run(
    kind: str,
    users: int,
    seconds: float,
    workers: int,
    size: Size = Size(),
    port: int | None = None,
    prefix: str = "rootline_load_",
) -> bool:
    with tempfile.TemporaryDirectory() as tmp_name, database(kind, Path(tmp_name), prefix) as url:
        tmp = Path(tmp_name)
        started = time.monotonic()
        workspace_id = seed(url, users, size)
        if size.synthetic:
            print(
                f"\n{kind}: built a workspace of {size.elements:,} elements and {size.tasks:,} "
                f"tasks next to {size.neighbours} others in {time.monotonic() - started:.0f} s"
            )
        blueprints, tasks, elements, initial = shared_rows(url, workspace_id)
        bare = bare_latencies(
            url, users, min(seconds, 20), workers, tmp / "hello.log", port and port + 1
        )
        log = tmp / "gunicorn.log"
        stats = Stats()
        jobs_url = f"sqlite:///{tmp / 'jobs.sqlite'}"
        with (
            gunicorn(url, workers, log, port=port, jobs_url=jobs_url) as base,
            jobs_worker(url, jobs_url, tmp / "worker.log"),
        ):
            people = [User(base, n, stats, tasks, elements) for n in range(users)]
            for person in people:
                person.login()
            for person in people[:workers]:  # each worker has drawn the pages once
                person.request("warm-up", f"/blueprints/{blueprints[0]}")
                person.request("warm-up", "/backlog")
            stats.latencies.clear()
            stats.statuses.clear()
            stop = time.monotonic() + seconds

            def work(person: User) -> None:
                while time.monotonic() < stop:
                    person.step(blueprints)

            threads = [threading.Thread(target=work, args=(p,)) for p in people]
            started = time.monotonic()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.monotonic() - started
        server_log = log.read_text(errors="replace")

        every = [t for values in stats.latencies.values() for t in values]
        fives = sum(n for status, n in stats.statuses.items() if status >= 500)
        locked = server_log.count("database is locked")
        lost = lost_updates(url, stats.landed, initial)
        print(f"\n{kind}: {users} users, {workers} gunicorn workers, {elapsed:.0f} s")
        p50, p95, p99 = (percentile(every, p) * 1000 for p in (50, 95, 99))
        print(
            f"  {len(every)} requests, {len(every) / elapsed:.1f} per second; "
            f"latency p50 {p50:.0f} ms, p95 {p95:.0f} ms, p99 {p99:.0f} ms"
        )
        b50, b95, b99 = (percentile(bare, p) * 1000 for p in (50, 95, 99))
        print(
            f"  bare hello page, same gunicorn: {len(bare)} requests; "
            f"latency p50 {b50:.1f} ms, p95 {b95:.1f} ms, p99 {b99:.1f} ms"
        )
        ratio = p95 / b95 if b95 else float("inf")
        print(
            f"  against the bare page: p50 {p50 / b50:.1f}×, p95 {ratio:.1f}×, "
            f"p99 {p99 / b99:.1f}× (goal p95 ≤ {GOAL:.0f}×, {'met' if ratio <= GOAL else 'missed'})"
        )
        for name, values in sorted(stats.latencies.items()):
            print(
                f"    {name:<22} {len(values):>6}  p50 {statistics.median(values) * 1000:7.0f} ms"
                f"  p95 {percentile(values, 95) * 1000:7.0f} ms"
            )
        exported = len(stats.exports)
        print(f"  exports started: {stats.exports_started}, downloaded: {exported}")
        if exported:
            print(
                f"    wait, start to file (through the job worker): "
                f"p50 {statistics.median(stats.exports) * 1000:.0f} ms, "
                f"max {max(stats.exports) * 1000:.0f} ms"
            )
        print(f"  statuses: {dict(sorted(stats.statuses.items()))}")
        print(f"  edits saved: {len(stats.landed)}, conflicts (409): {stats.conflicts}")
        print(f"  5xx: {fives}")
        print(f"  lost updates: {len(lost)}")
        for problem in lost[:10]:
            print(f"    {problem}")
        if kind == "sqlite":
            print(f'  "database is locked": {locked}')
        if fives:
            print(server_log[-3000:])
        everything = fives == 0 and not lost and locked == 0 and bool(stats.landed)
        return everything and stats.exports_started == exported > 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["postgresql", "sqlite", "both"], default="both")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--elements", type=int, default=0, help="a synthetic workspace's")
    parser.add_argument("--tasks", type=int, default=0, help="a synthetic workspace's")
    parser.add_argument("--neighbours", type=int, default=0, help="workspaces of the same size")
    parser.add_argument("--port", type=int, help="Rootline's port (the bare page: the next)")
    parser.add_argument("--db-prefix", default="rootline_load_", help="PostgreSQL database name")
    args = parser.parse_args()
    kinds = ["postgresql", "sqlite"] if args.db == "both" else [args.db]
    size = Size(args.elements, args.tasks, args.neighbours)
    ok = all(
        [
            run(kind, args.users, args.seconds, args.workers, size, args.port, args.db_prefix)
            for kind in kinds
        ]
    )
    print("\nall checks passed" if ok else "\nCHECKS FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

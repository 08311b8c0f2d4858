"""The backlog pages at 500, 5,000 and 50,000 tasks (twice as many insights), each in a
database that also holds ten other workspaces of the same size, and the ratios.

The database orders and pages the backlog (only the page's 50 tasks become objects) and
every query keeps to its workspace, so the neighbours must cost nothing; what is left grows
with the workspace's own backlog (the order is computed over all of its tasks; the matrix
draws the first 500 of the order, `backlog.queries.MATRIX_POINTS`, and counts the rest).
Target: 10× the tasks ≤ 12× the time, for the backlog's first page (by the workspace's
framework and by RICE) and the impact/effort matrix.
Baseline: the page of an empty backlog, measured in the same run.
Run: .venv/bin/python benchmarks/backlog.py [--quick] [--sizes 5000,50000] [--neighbours N]
(--quick: 500 and 5,000 tasks only; the default builds 550,000 tasks for the last size,
which takes some minutes on a small machine.)
"""

from __future__ import annotations

import sys
import time

from _harness import bench_app, median_time

from accounts import services as accounts
from devsupport.synthetic import build_backlog, build_blueprint
from extensions import db

QUICK = "--quick" in sys.argv


def _option(name: str, default: str) -> str:
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


# --sizes 5000,50000 and --neighbours 1 measure fewer or smaller databases (say so when
# quoting the figures)
SIZES = tuple(
    int(n) for n in _option("--sizes", "500,5000" if QUICK else "500,5000,50000").split(",")
)
NEIGHBOURS = int(_option("--neighbours", "10"))
TARGET = 12.0
PAGES = {
    "backlog": "/backlog",
    "backlog by RICE": "/backlog?framework=rice",
    "matrix": "/backlog/matrix",
}


def _workspace(owner, name: str, tasks: int, seed: int) -> int:
    ws = accounts.create_workspace(name, owner)
    build_blueprint(ws.id, elements=600, links=1500, seed=seed)
    build_backlog(ws.id, tasks=tasks, insights=2 * tasks, seed=seed)
    db.session.commit()
    return ws.id


def main() -> int:
    times: dict[int, dict[str, float]] = {}
    baseline = {}
    for n in SIZES:
        with bench_app() as (_app, client, _workspace_):  # a database of its own per size
            owner = accounts.find_user("bench@example.com")

            def get(url):
                response = client.get(url)
                assert response.status_code == 200, url

            if not baseline:
                baseline = {
                    name: median_time(lambda u=url: get(u), 9) for name, url in PAGES.items()
                }
            start = time.perf_counter()
            measured = _workspace(owner, f"Backlog {n}", n, seed=n)
            for i in range(NEIGHBOURS):
                _workspace(owner, f"Neighbour {i}", n, seed=n + i + 1)
            took = time.perf_counter() - start
            print(f"built {1 + NEIGHBOURS} workspaces of {n:,} tasks in {took:.0f} s")
            client.post(f"/workspaces/{measured}/switch")
            times[n] = {
                name: median_time(lambda u=url: get(u), 5 if n < 50_000 else 3)
                for name, url in PAGES.items()
            }
    print()
    print(f"{'median ms':<18}{'empty':>9}" + "".join(f"{n:>10,}" for n in SIZES))
    for name in PAGES:
        cells = "".join(f"{times[n][name] * 1000:>10.1f}" for n in SIZES)
        print(f"{name:<18}{baseline[name] * 1000:>9.1f}{cells}")
    ok = True
    for small, large in zip(SIZES, SIZES[1:], strict=False):
        for name in PAGES:
            ratio = times[large][name] / times[small][name]
            met = ratio <= TARGET
            ok &= met
            print(
                f"{name}: {large:,} / {small:,} tasks = {ratio:.2f} (target ≤ {TARGET}) "
                f"{'met' if met else 'MISSED'}"
            )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

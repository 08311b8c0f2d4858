"""Backlog page time for 500 and 5,000 tasks (with twice as many insights), and the ratio.

The page ranks every task (scores are computed for all, then one page of 50 is shown), so
time grows with the backlog; the target is linear growth: 10× the tasks ≤ 12× the time.
Baseline: the page of an empty backlog, measured in the same run.
Run: .venv/bin/python benchmarks/backlog.py
"""

from __future__ import annotations

from _harness import bench_app, median_time

from accounts import services as accounts
from devsupport.synthetic import build_backlog, build_blueprint
from extensions import db

SIZES = (500, 5000)
TARGET = 12.0


def main() -> int:
    with bench_app() as (app, client, workspace):
        times = {}

        def page():
            response = client.get("/backlog")
            assert response.status_code == 200
            return response

        baseline = median_time(page, repeat=9)
        print(f"{'tasks':>6}  {'insights':>8}  {'median ms':>10}  {'vs empty':>9}")
        print(f"{0:>6}  {0:>8}  {baseline * 1000:>10.1f}  {1:>9.1f}")
        owner = accounts.find_user("bench@example.com")
        for n in SIZES:
            ws = accounts.create_workspace(f"Backlog {n}", owner)
            build_blueprint(ws.id, elements=600, links=1500, seed=n)
            build_backlog(ws.id, tasks=n, insights=2 * n, seed=n)
            db.session.commit()
            client.post(f"/workspaces/{ws.id}/switch")
            times[n] = median_time(page, repeat=5)
            print(f"{n:>6}  {2 * n:>8}  {times[n] * 1000:>10.1f}  {times[n] / baseline:>9.1f}")
        ratio = times[SIZES[1]] / times[SIZES[0]]
        ok = ratio <= TARGET
        print(
            f"{SIZES[1]}/{SIZES[0]} tasks: time ratio {ratio:.2f} (target ≤ {TARGET}) "
            f"{'ok' if ok else 'OVER TARGET'}"
        )
        return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

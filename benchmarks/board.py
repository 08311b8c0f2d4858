"""Board render time for blueprints of 60, 600 and 6,000 elements.

Target: 10× the elements cost at most 12× the time (the board is linear in its size).
Baseline: the board of an empty blueprint, measured in the same run.
Run: .venv/bin/python benchmarks/board.py
"""

from __future__ import annotations

from _harness import bench_app, median_time

from devsupport.synthetic import build_blueprint
from extensions import db

SIZES = (60, 600, 6000)
TARGET = 12.0


def main() -> int:
    with bench_app() as (_app, client, workspace):
        empty = build_blueprint(workspace.id, elements=0, links=0, catalog=0, name="Empty")
        ids = {
            n: build_blueprint(workspace.id, elements=n, links=int(n * 3.4), seed=n).id
            for n in SIZES
        }
        db.session.commit()

        def render(blueprint_id: int):
            response = client.get(f"/blueprints/{blueprint_id}")
            assert response.status_code == 200
            return response

        baseline = median_time(lambda: render(empty.id), repeat=15)
        print(f"{'elements':>8}  {'median ms':>10}  {'vs empty':>9}")
        print(f"{0:>8}  {baseline * 1000:>10.1f}  {1:>9.1f}")
        times = {}
        for n in SIZES:
            times[n] = median_time(lambda n=n: render(ids[n]), repeat=7 if n < 6000 else 3)
            print(f"{n:>8}  {times[n] * 1000:>10.1f}  {times[n] / baseline:>9.1f}")
        ok = True
        for small, large in zip(SIZES, SIZES[1:], strict=False):
            ratio = times[large] / times[small]
            verdict = "ok" if ratio <= TARGET else "OVER TARGET"
            ok &= ratio <= TARGET
            print(f"{large}/{small} elements: time ratio {ratio:.2f} (target ≤ {TARGET}) {verdict}")
        return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

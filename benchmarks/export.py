"""Action-plan export at 10,000 and 100,000 tasks (half as many insights) against bare
openpyxl write-only writing the same cell values; and the preview of a backlog update of the
smaller size against a bare openpyxl read-only pass over the same file. Prints times,
ratios and peak memory.

Targets: the export ≤ 1.3× the bare writer's time at each size; its peak memory grows from
the smaller size to the larger within 1.2× of what the bare writer's grows; the update
preview < 3× the bare reader. `--quick` (1,000 and 10,000 tasks) has the same targets.
Each export and each bare write runs in a process forked for it: timed there, and its peak
memory (what Python allocated, tracemalloc) taken in a run of its own.
Run: .venv/bin/python benchmarks/export.py [--quick]
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import time
import tracemalloc

from _harness import bench_app, settle
from openpyxl import Workbook, load_workbook

from accounts import services as accounts
from backlog import updates
from backlog.export import action_plan_bytes
from devsupport.synthetic import build_backlog, build_blueprint
from extensions import db

QUICK = "--quick" in sys.argv
SIZES = (1_000, 10_000) if QUICK else (10_000, 100_000)
TIME_TARGET, MEMORY_TARGET, PREVIEW_TARGET = 1.3, 1.2, 3.0


def forked(fn, trace: bool = False) -> float:
    """One run of `fn` in a forked process (fresh database connections, nothing it
    allocates outlives it): its seconds, or with `trace` the peak bytes it allocated
    (tracemalloc slows everything down, so it never shares a run with the clock)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        try:
            db.engine.dispose(close=False)
            if trace:
                tracemalloc.start()
            start = time.perf_counter()
            fn()
            found = tracemalloc.get_traced_memory()[1] if trace else time.perf_counter() - start
            os.write(write, repr(found).encode())
        finally:
            os._exit(0)
    os.close(write)
    answer = os.read(read, 200).decode()
    os.close(read)
    os.waitpid(pid, 0)
    return float(answer)


def compare(app_fn, bare_fn, repeat: int) -> tuple[tuple[float, int], tuple[float, int]]:
    """(median seconds, peak bytes) of each: timed alternately `repeat` times so drift in
    the machine's speed falls on both alike, then traced once each."""
    settle()
    app_times, bare_times = [], []
    for _ in range(repeat):
        app_times.append(forked(app_fn))
        bare_times.append(forked(bare_fn))
    return (
        (statistics.median(app_times), int(forked(app_fn, trace=True))),
        (statistics.median(bare_times), int(forked(bare_fn, trace=True))),
    )


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def mib(n: float) -> str:
    return f"{n / 2**20:7.1f} MiB"


def bare_write(sheets: dict[str, list[list]]) -> bytes:
    wb = Workbook(write_only=True)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def bare_read(content: bytes) -> int:
    wb = load_workbook(io.BytesIO(content), read_only=True)
    count = sum(1 for _ in wb["Action plan"].iter_rows(values_only=True))
    wb.close()
    return count


def cell_values(content: bytes) -> dict[str, list[list]]:
    return {
        ws.title: [list(row) for row in ws.iter_rows(values_only=True)]
        for ws in load_workbook(io.BytesIO(content), read_only=True).worksheets
    }


def main() -> int:
    found = {}
    with bench_app() as (app, _client, workspace):
        owner = workspace.memberships[0].user
        spaces = {}
        for n in SIZES:
            ws = accounts.create_workspace(f"Backlog {n}", owner)
            build_blueprint(ws.id, elements=2000, links=6000, seed=3)
            build_backlog(ws.id, tasks=n, insights=n // 2, seed=3)
            db.session.commit()
            spaces[n] = ws
        with app.test_request_context():
            for n, ws in spaces.items():
                content = action_plan_bytes(ws)
                values = cell_values(content)
                rows = sum(len(v) for v in values.values())
                repeat = 3 if n == SIZES[0] else 1
                (t_app, m_app), (t_bare, m_bare) = compare(
                    lambda ws=ws: action_plan_bytes(ws), lambda v=values: bare_write(v), repeat
                )
                found[n] = (t_app, m_app, t_bare, m_bare)
                print(f"export: {n:,} tasks, {n // 2:,} insights, {rows:,} rows in all "
                      f"(median of {repeat})")  # fmt: skip
                print(f"  app export        {t_app * 1000:9.0f} ms   peak {mib(m_app)}")
                print(f"  bare openpyxl     {t_bare * 1000:9.0f} ms   peak {mib(m_bare)}")
                print(f"  time ratio {t_app / t_bare:.2f} (target ≤ {TIME_TARGET})")
                del values
                if n == SIZES[0]:
                    preview_ratio = preview_against_bare(workspace=ws, content=content)
    (small, large) = SIZES
    grow_app, grow_bare = found[large][1] - found[small][1], found[large][3] - found[small][3]
    memory_ratio = grow_app / grow_bare if grow_bare > 0 else float("inf")
    print(f"peak memory growth from {small:,} to {large:,} tasks: app {mib(grow_app)}, "
          f"bare {mib(grow_bare)}, ratio {memory_ratio:.2f} "
          f"(target ≤ {MEMORY_TARGET})")  # fmt: skip
    ok = True
    for n in SIZES:
        met = found[n][0] / found[n][2] <= TIME_TARGET
        ok &= met
        print(f"time at {n:,} tasks: {found[n][0] / found[n][2]:.2f} {'met' if met else 'MISSED'}")
    for what, met in (
        ("memory growth", memory_ratio <= MEMORY_TARGET),
        ("update preview", preview_ratio < PREVIEW_TARGET),
    ):
        ok &= met
        print(f"{what}: {'met' if met else 'MISSED'}")
    return 0 if ok else 1


def preview_against_bare(workspace, content: bytes) -> float:
    """The preview of an edited copy (every task's team changed) against a bare read."""
    wb = load_workbook(io.BytesIO(content))
    ws = wb["Action plan"]
    team = [c.value for c in ws[1]].index("Team") + 1
    for r in range(2, ws.max_row + 1):
        ws.cell(r, team).value = "Edited"
    edited = io.BytesIO()
    wb.save(edited)
    edited = edited.getvalue()

    def preview():
        rows, _problems = updates.read_rows(edited)
        return updates.preview(workspace.id, rows)

    result = preview()
    settle()
    t_preview, t_read = [], []
    for _ in range(3):
        t_preview.append(timed(preview))
        t_read.append(timed(lambda: bare_read(edited)))
    t_preview, t_read = statistics.median(t_preview), statistics.median(t_read)
    print(f"update preview of {result.rows:,} rows ({len(result.changes):,} changes)")
    print(f"  app preview       {t_preview * 1000:9.0f} ms")
    print(f"  bare read-only    {t_read * 1000:9.0f} ms")
    ratio = t_preview / t_read
    print(f"  ratio {ratio:.2f} (target < {PREVIEW_TARGET:.0f})")
    return ratio


if __name__ == "__main__":
    raise SystemExit(main())

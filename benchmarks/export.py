"""Action-plan export of 10,000 tasks and 5,000 insights against bare openpyxl write-only
writing the same cell values; and the preview of a 10,000-row backlog update against a
bare openpyxl read-only pass over the same file. Prints times, ratios and peak memory.

Targets: export ≤ 1.5× the bare writer; update preview < 3× the bare reader.
Run: .venv/bin/python benchmarks/export.py [--quick]
"""

from __future__ import annotations

import io
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
TASKS, INSIGHTS = (1_000, 500) if QUICK else (10_000, 5_000)
SMALL = TASKS // 10  # a second workspace a tenth of the size, to see what grows with rows
REPEAT = 3 if QUICK else 5


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def compare(app_fn, bare_fn) -> tuple[float, float]:
    """Median seconds of each, the two run alternately so drift in the machine's speed
    falls on both alike."""
    settle()
    app_fn(), bare_fn()  # warm-up
    app_times, bare_times = [], []
    for _ in range(REPEAT):
        app_times.append(timed(app_fn))
        bare_times.append(timed(bare_fn))
    return statistics.median(app_times), statistics.median(bare_times)


def peak(fn) -> int:
    """Peak bytes allocated while `fn` runs (tracemalloc slows everything down, so it never
    shares a run with the clock)."""
    tracemalloc.start()
    fn()
    result = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return result


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
    with bench_app() as (app, _client, workspace):
        small = accounts.create_workspace("Small", workspace.memberships[0].user)
        for ws, tasks, insights in ((workspace, TASKS, INSIGHTS), (small, SMALL, SMALL // 2)):
            build_blueprint(ws.id, elements=2000, links=6000, seed=3)
            build_backlog(ws.id, tasks=tasks, insights=insights, seed=3)
        db.session.commit()
        with app.test_request_context():
            content = action_plan_bytes(workspace)
            values = cell_values(content)
            small_values = cell_values(action_plan_bytes(small))
            t_app, t_bare = compare(
                lambda: action_plan_bytes(workspace), lambda: bare_write(values)
            )
            rows = sum(len(v) for v in values.values())
            print(f"export: {TASKS:,} tasks, {INSIGHTS:,} insights, {rows:,} rows in all")
            print(f"  app export        {t_app * 1000:9.0f} ms (median of {REPEAT})")
            print(f"  bare openpyxl     {t_bare * 1000:9.0f} ms")
            export_ratio = t_app / t_bare
            print(f"  ratio {export_ratio:.2f} (target ≤ 1.5)")
            m_app, m_app_small = (
                peak(lambda: action_plan_bytes(workspace)),
                peak(lambda: action_plan_bytes(small)),
            )
            m_bare, m_bare_small = (
                peak(lambda: bare_write(values)),
                peak(lambda: bare_write(small_values)),
            )
            grow_app, grow_bare = m_app - m_app_small, m_bare - m_bare_small
            print(f"  peak memory, {TASKS:,} tasks / {SMALL:,} tasks / growth:")
            print(f"    app export      {mib(m_app)} {mib(m_app_small)} {mib(grow_app)}")
            print(f"    bare openpyxl   {mib(m_bare)} {mib(m_bare_small)} {mib(grow_bare)}")
            # The app keeps the backlog's order (25 bytes a task) and the bare writer is
            # handed its values: allow the order's size on top of the bare writer's growth.
            memory_ok = grow_app <= grow_bare + 25 * (TASKS - SMALL) + 2**19
            print(f"  growth {'within' if memory_ok else 'OVER'} the bare writer's + the order")

            # an edited copy: every task's team changed
            wb = load_workbook(io.BytesIO(content))
            ws = wb["Action plan"]
            team = [c.value for c in ws[1]].index("Team") + 1
            for r in range(2, ws.max_row + 1):
                ws.cell(r, team).value = "Edited"
            edited = io.BytesIO()
            wb.save(edited)
            edited = edited.getvalue()

            def preview():
                rows, problems = updates.read_rows(edited)
                return updates.preview(workspace.id, rows)

            result = preview()
            t_preview, t_read = compare(preview, lambda: bare_read(edited))
            m_preview, m_read = peak(preview), peak(lambda: bare_read(edited))
            print(f"update preview of {result.rows:,} rows ({len(result.changes):,} changes)")
            print(f"  app preview       {t_preview * 1000:9.0f} ms   peak {mib(m_preview)}")
            print(f"  bare read-only    {t_read * 1000:9.0f} ms   peak {mib(m_read)}")
            preview_ratio = t_preview / t_read
            print(f"  ratio {preview_ratio:.2f} (target < 3)")
    ok = export_ratio <= 1.5 and memory_ok and preview_ratio < 3
    print("within targets" if ok else "OVER TARGET")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

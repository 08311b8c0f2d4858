"""Action-plan export of 10,000 tasks and 5,000 insights against bare openpyxl write-only
writing the same cell values; and the preview of a 10,000-row backlog update against a
bare openpyxl read-only pass over the same file. Prints times, ratios and peak memory.

Targets: export ≤ 1.5× the bare writer; update preview < 3× the bare reader.
Run: .venv/bin/python benchmarks/export.py [--quick]
"""

from __future__ import annotations

import io
import sys
import time
import tracemalloc

from _harness import bench_app, settle
from openpyxl import Workbook, load_workbook

from backlog import updates
from backlog.export import action_plan_bytes
from backlog.synthetic import build_backlog
from blueprint.synthetic import build_blueprint
from extensions import db

QUICK = "--quick" in sys.argv
TASKS, INSIGHTS = (1_000, 500) if QUICK else (10_000, 5_000)


def measure(fn):
    """(result, seconds, peak bytes): timed on its own, then once more under tracemalloc
    (which slows everything down, so it never shares a run with the clock)."""
    settle()
    start = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - start
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return result, elapsed, peak


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


def main() -> int:
    with bench_app() as (app, _client, workspace):
        build_blueprint(workspace.id, elements=2000, links=6000, seed=3)
        build_backlog(workspace.id, tasks=TASKS, insights=INSIGHTS, seed=3)
        db.session.commit()
        with app.test_request_context():
            content, t_app, m_app = measure(lambda: action_plan_bytes(workspace))
            values = {
                ws.title: [[c for c in row] for row in ws.iter_rows(values_only=True)]
                for ws in load_workbook(io.BytesIO(content), read_only=True).worksheets
            }
            _, t_bare, m_bare = measure(lambda: bare_write(values))
            rows = sum(len(v) for v in values.values())
            print(f"export: {TASKS:,} tasks, {INSIGHTS:,} insights, {rows:,} rows in all")
            print(f"  app export        {t_app * 1000:9.0f} ms   peak {m_app / 2**20:7.1f} MiB")
            print(f"  bare openpyxl     {t_bare * 1000:9.0f} ms   peak {m_bare / 2**20:7.1f} MiB")
            export_ratio = t_app / t_bare
            print(f"  ratio {export_ratio:.2f} (target ≤ 1.5)")

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

            result, t_preview, m_preview = measure(preview)
            _, t_read, m_read = measure(lambda: bare_read(edited))
            print(f"update preview of {result.rows:,} rows ({len(result.changes):,} changes)")
            print(
                f"  app preview       {t_preview * 1000:9.0f} ms   peak "
                f"{m_preview / 2**20:7.1f} MiB"
            )
            print(f"  bare read-only    {t_read * 1000:9.0f} ms   peak {m_read / 2**20:7.1f} MiB")
            preview_ratio = t_preview / t_read
            print(f"  ratio {preview_ratio:.2f} (target < 3)")
    ok = export_ratio <= 1.5 and preview_ratio < 3
    print("within targets" if ok else "OVER TARGET")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

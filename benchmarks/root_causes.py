"""Root-cause ranking on a synthetic workspace: 20,000 elements, 80,000 dependency links,
2,000 pain points (ten blueprints sharing one catalog of people and systems).

Prints, from one run: the graph build time from the database (and its query count), the
ranking time, two BFS baselines over the same graph, the naive per-pain-point ranking, the
ratios, and peak memory. Target: ranking within 3× one plain BFS (nx.bfs_edges from every
source node); the strict single-traversal BFS is printed beside it for honesty.
Run: .venv/bin/python benchmarks/root_causes.py [--quick]
"""

from __future__ import annotations

import random
import sys
import time
import tracemalloc
from collections import deque

import networkx as nx
from _harness import bench_app, median_time
from sqlalchemy import event

from blueprint.analysis.dependencies import dependency_graph
from blueprint.analysis.ranking import rank_root_causes
from blueprint.graph import workspace_graph
from devsupport.synthetic import build_blueprint
from extensions import db

QUICK = "--quick" in sys.argv
ELEMENTS, LINKS, PAINS, BLUEPRINTS = (
    (2_000, 8_000, 200, 4) if QUICK else (20_000, 80_000, 2_000, 10)
)
TARGET = 3.0


def single_bfs(G: nx.DiGraph) -> int:
    """Visit every node and edge once (the bare minimum any traversal costs)."""
    seen: set = set()
    for start in G:
        if start in seen:
            continue
        seen.add(start)
        queue = deque([start])
        while queue:
            for nxt in G._succ[queue.popleft()]:
                if nxt not in seen:
                    seen.add(nxt)
                    queue.append(nxt)
    return len(seen)


def bfs_from_every_source(G: nx.DiGraph) -> int:
    edges = 0
    for source in [n for n in G if G.in_degree(n) == 0]:
        edges += sum(1 for _ in nx.bfs_edges(G, source))
    return edges


def naive_ranking(G: nx.DiGraph, pains: dict) -> dict:
    D = dependency_graph(G)
    score: dict = {}
    for p, w in pains.items():
        for v in nx.descendants(D, p):
            score[v] = score.get(v, 0) + w
    return score


def main() -> int:
    with bench_app() as (_app, _client, workspace):
        per = ELEMENTS // BLUEPRINTS
        for i in range(BLUEPRINTS):
            # ~11% of generated links are `next`; ask for enough to get LINKS dependencies.
            build_blueprint(
                workspace.id,
                elements=per,
                links=int(LINKS / BLUEPRINTS / 0.89),
                catalog=20,
                seed=i,
                name=f"Journey {i}",
            )
        db.session.commit()
        statements = []

        def record(*_args):
            statements.append(1)

        event.listen(db.engine, "before_cursor_execute", record)
        start = time.perf_counter()
        G = workspace_graph(workspace.id)
        build = time.perf_counter() - start
        event.remove(db.engine, "before_cursor_execute", record)
    dependencies = sum(1 for *_, k in G.edges(data="kind") if k != "next")
    rng = random.Random(7)
    lane_nodes = [n for n, k in G.nodes(data="kind") if k not in ("person", "system")]
    pains = {n: rng.randint(1, 5) * rng.randint(1, 5) for n in rng.sample(lane_nodes, PAINS)}

    print(
        f"graph: {G.number_of_nodes():,} elements, {dependencies:,} dependency links, "
        f"{len(pains):,} pain points"
    )
    print(f"graph build from the database: {build * 1000:8.1f} ms in {len(statements)} queries")
    t_rank = median_time(lambda: rank_root_causes(G, pains), repeat=5)
    t_bfs = median_time(lambda: single_bfs(G), repeat=5)
    t_sources = median_time(lambda: bfs_from_every_source(G), repeat=1, warmup=0)
    t_naive = median_time(lambda: naive_ranking(G, pains), repeat=1, warmup=0)
    print(f"ranking (one pass):               {t_rank * 1000:8.1f} ms")
    print(
        f"BFS, nx.bfs_edges from every source: {t_sources * 1000:8.1f} ms  "
        f"ranking / it = {t_rank / t_sources:5.2f} (target ≤ {TARGET})"
    )
    print(
        f"BFS, one traversal of the graph:  {t_bfs * 1000:8.1f} ms  "
        f"ranking / it = {t_rank / t_bfs:5.2f}"
    )
    print(
        f"naive per-pain-point ranking:     {t_naive * 1000:8.1f} ms  "
        f"naive / ranking = {t_naive / t_rank:5.1f}×"
    )

    tracemalloc.start()
    single_bfs(G)
    bfs_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.reset_peak()
    rank_root_causes(G, pains)
    rank_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(
        f"peak memory: ranking {rank_peak / 2**20:.1f} MiB, single BFS {bfs_peak / 2**20:.1f} MiB"
    )
    ok = t_rank / t_sources <= TARGET
    print("ranking within target" if ok else "RANKING OVER TARGET")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""Root causes at 2,000 and 20,000 elements: the ranking against one traversal of the same
dependency edges, the graph's build from the database, what one workspace's built graph and
ranking hold in memory, and the pages a user opens — the root-cause ranking, a cause trace,
a blast radius and a task page (its suggested impact) — cold (the first request after a
change, which builds the graph and ranking) and warm (built and current: one query asks).

Each size is one workspace: blueprints of 2,000 elements (one at 2,000, ten at 20,000)
sharing the workspace's people and systems, about four dependency links per element, a
pain-point insight on one element in ten; and in both the same small probe journey (three
customer actions down to a support process, a team and a system, three pain points, a task
changing the support process), whose elements the trace, blast radius and task page open,
so that those pages show the same thing at both sizes: what grows is the workspace.

Baselines (same run, same graph, timed in turn with the ranking): one breadth-first
search from a virtual root above every node, over the edges the ranking follows
(predecessor lists, `next` skipped), and one strongly-connected-components pass
(iterative Tarjan) over the same edges, which is the traversal the ranking makes; the
ranking adds the bitsets of the pain points and customer actions above each node and the
candidates' scores.

Targets: ranking ≤ 3× one traversal (the SCC pass; the bare search printed beside it);
each warm page at 20,000 elements ≤ 2× the same warm page at 2,000.
Pages are requested through Flask's test client in this process (no HTTP), as the other
benchmarks do; SQLite in a temporary file unless --database URL names another database.
Run: .venv/bin/python benchmarks/root_causes.py [--quick] [--database URL]
(--quick: 500 and 2,000 elements.)
"""

from __future__ import annotations

import random
import statistics
import sys
import time
import tracemalloc
from collections import deque

from _harness import bench_app, settle
from sqlalchemy import event, insert, select, update

from accounts import services as accounts
from accounts.models import Workspace
from backlog.models import ImprovementTask, Insight, InsightKind
from backlog.services import save_task
from blueprint.analysis.dependencies import NEXT
from blueprint.analysis.ranking import rank_root_causes
from blueprint.graph import build_workspace_graph, read_only
from blueprint.graph_cache import new_version
from blueprint.models import Element, ElementKind, Link, LinkKind
from blueprint.root_causes import build_root_causes, pain_points, pain_weights
from blueprint.services import add_catalog_element, add_element, add_stage, create_blueprint
from devsupport.synthetic import build_blueprint
from extensions import db

QUICK = "--quick" in sys.argv
DATABASE = sys.argv[sys.argv.index("--database") + 1] if "--database" in sys.argv else None
SIZES = (500, 2_000) if QUICK else (2_000, 20_000)
PER_BLUEPRINT = 500 if QUICK else 2_000
RANKING_TARGET, PAGE_TARGET = 3.0, 2.0
PAGES = ("/root-causes", "trace", "blast radius", "task page")


# --- the workspaces ----------------------------------------------------------------------


def _pains(workspace_id: int, every: int, seed: int) -> None:
    """A pain-point insight on one lane element in `every`."""
    rng = random.Random(seed)
    elements = db.session.execute(
        select(Element.id, Element.blueprint_id).where(
            Element.workspace_id == workspace_id, Element.blueprint_id.is_not(None)
        )
    ).all()
    chosen = rng.sample(elements, len(elements) // every)
    db.session.execute(
        insert(Insight),
        [
            {
                "workspace_id": workspace_id,
                "element_id": e,
                "blueprint_id": b,
                "kind": InsightKind.PAIN_POINT,
                "title": f"Pain {i}",
                "severity": rng.randint(1, 5),
                "frequency": rng.randint(1, 5),
            }
            for i, (e, b) in enumerate(chosen)
        ],
    )


def _probe(workspace_id: int) -> dict[str, int]:
    """The same small journey in every workspace: ids of what the pages open."""
    blueprint = create_blueprint(workspace_id, {"name": "Probe journey"})
    order, deliver = add_stage(blueprint, "Order"), add_stage(blueprint, "Deliver")
    team = add_catalog_element(workspace_id, ElementKind.PERSON, {"title": "Probe team"})
    system = add_catalog_element(workspace_id, ElementKind.SYSTEM, {"title": "Probe system"})

    def step(stage, kind, title):
        return add_element(stage, kind, {"title": title})

    actions = [step(order, ElementKind.CUSTOMER_ACTION, f"Probe action {i}") for i in range(3)]
    desks = [step(order, ElementKind.FRONTSTAGE, f"Probe desk {i}") for i in range(3)]
    back = [step(deliver, ElementKind.BACKSTAGE, f"Probe back office {i}") for i in range(2)]
    support = step(deliver, ElementKind.SUPPORT, "Probe support")
    links = [(a, d, LinkKind.RELIES_ON) for a, d in zip(actions, desks, strict=True)]
    links += [(d, back[i % 2], LinkKind.RELIES_ON) for i, d in enumerate(desks)]
    links += [(b, support, LinkKind.RELIES_ON) for b in back]
    links += [(support, team, LinkKind.PERFORMED_BY), (support, system, LinkKind.USES)]
    db.session.execute(
        insert(Link),
        [
            {"workspace_id": workspace_id, "source_id": s.id, "target_id": t.id, "kind": k}
            for s, t, k in links
        ],
    )
    insights = [
        Insight(
            workspace_id=workspace_id,
            blueprint_id=blueprint.id,
            element_id=a.id,
            kind=InsightKind.PAIN_POINT,
            title=f"Probe pain {i}",
            severity=4,
            frequency=3,
        )
        for i, a in enumerate(actions)
    ]
    db.session.add_all(insights)
    db.session.flush()
    task = save_task(
        ImprovementTask(workspace_id=workspace_id),
        {"title": "Probe task", "impact": 3, "effort": 2},
        [insights[0].id],
        [support.id],
    )
    return {"action": actions[0].id, "support": support.id, "task": task.id}


def build_workspace(owner, elements: int) -> tuple[int, dict[str, int]]:
    workspace = accounts.create_workspace(f"Root causes {elements}", owner)
    for i in range(elements // PER_BLUEPRINT):
        # ~11% of generated links are `next`: ask for enough to get four dependencies each
        build_blueprint(
            workspace.id,
            elements=PER_BLUEPRINT,
            links=int(PER_BLUEPRINT * 4 / 0.89),
            catalog=20,
            seed=elements + i,
            name=f"Journey {i}",
        )
    _pains(workspace.id, 10, seed=elements)
    probe = _probe(workspace.id)
    db.session.commit()
    return workspace.id, probe


# --- baselines ---------------------------------------------------------------------------


def one_search(G) -> int:
    """One breadth-first search from a virtual root above every node, over the dependency
    edges the ranking follows (each node's predecessors, `next` skipped)."""
    pred, seen = G._pred, set()
    for start in G:  # the virtual root's children: every node
        if start in seen:
            continue
        seen.add(start)
        queue = deque([start])
        while queue:
            for other, data in pred[queue.popleft()].items():
                if data["kind"] != NEXT and other not in seen:
                    seen.add(other)
                    queue.append(other)
    return len(seen)


def one_scc_pass(G) -> int:
    """One iterative Tarjan pass over the same edges, finding the strongly connected
    components (the traversal the ranking makes, without its bitsets)."""
    nodes = list(G)
    position = {node: i for i, node in enumerate(nodes)}
    pred = G._pred
    edges_of = [[position[u] for u, d in pred[v].items() if d["kind"] != NEXT] for v in nodes]
    n = len(nodes)
    index, low, on_stack, next_edge = [-1] * n, [0] * n, [False] * n, [0] * n
    stack, counter, components = [], 0, 0
    for start in range(n):
        if index[start] >= 0:
            continue
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack[start] = True
        work = [start]
        while work:
            node = work[-1]
            edges, i = edges_of[node], next_edge[node]
            descended = False
            while i < len(edges):
                other = edges[i]
                i += 1
                if index[other] < 0:
                    next_edge[node] = i
                    index[other] = low[other] = counter
                    counter += 1
                    stack.append(other)
                    on_stack[other] = True
                    work.append(other)
                    descended = True
                    break
                if on_stack[other] and index[other] < low[node]:
                    low[node] = index[other]
            if descended:
                continue
            work.pop()
            if low[node] == index[node]:
                components += 1
                while True:
                    member = stack.pop()
                    on_stack[member] = False
                    if member == node:
                        break
            if work and low[node] < low[work[-1]]:
                low[work[-1]] = low[node]
    return components


def timed(fn, repeat: int) -> float:
    """Median seconds of `repeat` runs, after the data is settled (see _harness.settle)."""
    settle()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def alternately(runs: dict, repeat: int) -> dict[str, float]:
    """Median seconds of each of `runs`, taking turns, so that the machine's other work
    weighs on all of them alike."""
    settle()
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeat):
        for name, fn in runs.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(found) for name, found in times.items()}


# --- one size ----------------------------------------------------------------------------


def measure(client, workspace_id: int, probe: dict[str, int]) -> dict[str, float]:
    queries = []

    def count(*_args):
        queries.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    G = build_workspace_graph(workspace_id)
    event.remove(db.engine, "before_cursor_execute", count)
    build = timed(lambda: build_workspace_graph(workspace_id), 3)
    G = read_only(G)
    causes = build_root_causes(G, workspace_id)
    weights = dict(pain_weights(causes.pains))
    dependencies = sum(1 for *_, k in G.edges(data="kind") if k != NEXT)
    figures = {
        "elements": G.number_of_nodes(),
        "dependencies": dependencies,
        "pains": len(weights),
        "candidates": len(causes.ranking),
        "build": build,
        "queries": len(queries),
        "pains_query": timed(lambda: pain_points(workspace_id, G), 3),
        **alternately(
            {
                "ranking": lambda: rank_root_causes(G, weights),
                "scc": lambda: one_scc_pass(G),
                "search": lambda: one_search(G),
            },
            repeat=9 if G.number_of_nodes() > 10_000 else 25,
        ),
    }
    tracemalloc.start()
    kept_graph = read_only(build_workspace_graph(workspace_id))
    kept_causes = build_root_causes(kept_graph, workspace_id)
    figures["memory"] = tracemalloc.get_traced_memory()[0] / 2**20
    tracemalloc.stop()
    del kept_graph, kept_causes

    client.post(f"/workspaces/{workspace_id}/switch")
    pages = {
        "/root-causes": "/root-causes",
        "trace": f"/elements/{probe['action']}/trace",
        "blast radius": f"/elements/{probe['support']}/blast-radius",
        "task page": f"/tasks/{probe['task']}",
    }

    def get(url):
        response = client.get(url)
        assert response.status_code == 200, url

    def change():  # what any edit does to the version; the next request builds again
        db.session.execute(
            update(Workspace)
            .where(Workspace.id == workspace_id)
            .values(graph_version=new_version())
        )
        db.session.commit()

    for name, url in pages.items():
        cold = []
        for _ in range(3):
            change()
            settle()
            start = time.perf_counter()
            get(url)
            cold.append(time.perf_counter() - start)
        figures[f"cold {name}"] = statistics.median(cold)
        get(url)
        figures[f"warm {name}"] = timed(lambda url=url: get(url), 9)
    return figures


def main() -> int:
    with bench_app(DATABASE) as (_app, client, workspace):
        owner = accounts.find_user("bench@example.com")
        built = {}
        for size in SIZES:
            start = time.perf_counter()
            built[size] = build_workspace(owner, size)
            print(
                f"built the workspace of {size:,} elements in {time.perf_counter() - start:.0f} s"
            )
        found = {size: measure(client, *built[size]) for size in SIZES}
    small, large = SIZES
    print()
    print(f"{'':<34}{small:>14,}{large:>14,}")
    rows = [
        ("elements in the graph", "elements", "{:,.0f}"),
        ("dependency links", "dependencies", "{:,.0f}"),
        ("pain points", "pains", "{:,.0f}"),
        ("candidate causes", "candidates", "{:,.0f}"),
        ("graph build from the database, ms", "build", "ms"),
        ("  its queries", "queries", "{:,.0f}"),
        ("pain points' query, ms", "pains_query", "ms"),
        ("ranking, ms", "ranking", "ms"),
        ("one SCC pass (baseline), ms", "scc", "ms"),
        ("one search (bare baseline), ms", "search", "ms"),
        ("built graph + ranking kept, MiB", "memory", "{:,.1f}"),
    ]
    for page in PAGES:
        rows += [(f"{kind} {page}, ms", f"{kind} {page}", "ms") for kind in ("cold", "warm")]
    for label, key, fmt in rows:
        cells = [
            f"{found[s][key] * 1000:,.1f}" if fmt == "ms" else fmt.format(found[s][key])
            for s in SIZES
        ]
        print(f"{label:<34}{cells[0]:>14}{cells[1]:>14}")
    print()
    ok = True
    for size in SIZES:
        f = found[size]
        scc, search = f["ranking"] / f["scc"], f["ranking"] / f["search"]
        met = scc <= RANKING_TARGET
        ok &= met
        print(
            f"{size:,} elements: ranking = {scc:.2f}× one SCC pass (target ≤ {RANKING_TARGET}) "
            f"{'met' if met else 'MISSED'}; {search:.2f}× the bare search"
        )
    for page in PAGES:
        ratio = found[large][f"warm {page}"] / found[small][f"warm {page}"]
        met = ratio <= PAGE_TARGET
        ok &= met
        print(
            f"warm {page}: {large:,} / {small:,} elements = {ratio:.2f} "
            f"(target ≤ {PAGE_TARGET}) {'met' if met else 'MISSED'}"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""Every query is scoped to its workspace: the backlog, the matrix, the action plan, the
insights, the root causes, and a blueprint's summary, board, health, workbook and drawing
of a small workspace read no rows of a big one beside it.

What a page reads is counted by the database itself, so a query that filters late (an
aggregate over every workspace's rows, joined to one workspace's tasks afterwards) counts
as reading them:

- SQLite: the virtual machine's steps while the page runs. Each row visited costs steps,
  while an index lookup costs as many in a big table as in a small one, so the figure must
  not grow when a big workspace moves in next door (but for two steps a statement: an
  index range that ends where the neighbour's keys begin takes a comparison more to end).
- PostgreSQL: each statement the page ran is run again under EXPLAIN ANALYZE, with
  sequential scans, hash and merge joins disabled (so wherever an index can keep to the
  workspace, it does), and no scan may read more rows of a table per loop (those its
  filter removed included) than the small workspace has in that table, unless the table
  fits one page (read whole at the cost of one row whatever the query asks).
"""

from __future__ import annotations

import pytest
from sqlalchemy import event, func, select, text

from accounts.models import Membership, Role, User
from backlog.models import ImprovementTask
from devsupport.synthetic import build_backlog, build_blueprint
from extensions import db
from tests import factories as f

PAGES = [
    "/backlog",
    "/backlog?framework=rice&page=2",
    "/backlog?quadrant=quick_win&status=idea",
    "/backlog/matrix",
    "/backlog/export.xlsx",
    "/backlog/export.xlsx?framework=wsjf",
    "/root-causes",
    "/insights",
    "/insights?kind=pain_point&has_cause=no",
    "/blueprints/{blueprint}/summary",
    "/blueprints/{blueprint}",
    "/blueprints/{blueprint}/health",
    "/blueprints/{blueprint}/workbook.xlsx",
    "/blueprints/{blueprint}/board.svg",
]
SCANS = ("Seq Scan", "Index Scan", "Index Only Scan", "Bitmap Heap Scan")


@pytest.fixture
def small(make_app, world):
    """The small workspace's viewer, logged in to an app that keeps no graph built (so the
    root-cause graph is read for every page, and counted)."""
    blueprint = build_blueprint(world.workspace.id, elements=40, links=100, seed=2).id
    build_backlog(world.workspace.id, tasks=30, insights=60, seed=2)
    f.commit()
    app = make_app(GRAPH_CACHE_SIZE=0)
    with app.app_context():
        engine = db.engine
    client = app.test_client()
    client.post("/login", data={"email": world.viewer.email, "password": f.PASSWORD})
    return world, client, engine, [path.format(blueprint=blueprint) for path in PAGES]


def _big_neighbour(world) -> None:
    """A workspace a hundred times bigger, with members of its own."""
    members = {
        f.make_user(f"member{i}@example.com", f"Member {i}").email: Role.EDITOR for i in range(40)
    }
    big = f.make_workspace("Big neighbour", world.outsider, **members)
    for seed in range(3):
        build_blueprint(big.id, elements=400, links=1200, seed=seed)
    build_backlog(big.id, tasks=3000, insights=6000, seed=9)
    f.commit()
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("ANALYZE"))
        db.session.commit()


def _get(client, engine, path: str, before_statement) -> int:
    """GET `path` (it must answer 200), calling `before_statement(conn, statement,
    parameters)` before each of its statements; how many statements it ran."""
    count = [0]

    def record(conn, _cursor, statement, parameters, *_args):
        count[0] += 1
        before_statement(conn, statement, parameters)

    event.listen(engine, "before_cursor_execute", record)
    try:
        response = client.get(path)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert response.status_code == 200, path
    return count[0]


# --- SQLite: virtual-machine steps ----------------------------------------------------------


def _sqlite_steps(client, engine, path: str) -> tuple[int, int]:
    """(the steps of every statement of GET `path`, how many statements)."""
    steps, connections = [0], []

    def tick():
        steps[0] += 1
        return 0

    def before(conn, _statement, _parameters):
        raw = conn.connection.dbapi_connection
        if raw not in connections:
            raw.set_progress_handler(tick, 1)
            connections.append(raw)

    try:
        statements = _get(client, engine, path, before)
    finally:
        for raw in connections:
            raw.set_progress_handler(None, 1)
    return steps[0], statements


# --- PostgreSQL: rows read per scan -----------------------------------------------------------


def _rows_in_small(workspace_id: int) -> dict[str, int]:
    """Per table, how many of its rows the small workspace has (or, for people and
    sessions, its members)."""
    found = {}
    tasks = select(ImprovementTask.id).where(ImprovementTask.workspace_id == workspace_id)
    members = select(Membership.user_id).where(Membership.workspace_id == workspace_id)
    for table in db.metadata.sorted_tables:
        if "workspace_id" in table.c:
            where = table.c.workspace_id == workspace_id
        elif "task_id" in table.c:
            where = table.c.task_id.in_(tasks)
        elif "user_id" in table.c:
            where = table.c.user_id.in_(members)
        elif table is User.__table__:
            where = table.c.id.in_(members)
        elif table.name == "workspace":
            where = table.c.id == workspace_id
        else:
            continue
        found[table.name] = db.session.scalar(select(func.count()).select_from(table).where(where))
    return found


def _scans(plan: dict):
    if plan["Node Type"] in SCANS:
        yield plan
    for child in plan.get("Plans", []):
        yield from _scans(child)


def _one_page_tables(conn) -> set[str]:
    """Tables PostgreSQL keeps in one page: it reads such a table whole, whatever a query
    asks of it, at the cost of one row (the neighbour's few blueprints, say)."""
    sizes = conn.execute(
        text("SELECT relname, pg_relation_size(oid) FROM pg_class WHERE relkind = 'r'")
    )
    return {name for name, size in sizes if size <= 8192}


def _pg_over_reads(client, engine, path: str, bounds: dict[str, int]) -> list[str]:
    """Every scan of GET `path`'s statements that read more rows of a table per loop than
    the small workspace has in it."""
    statements = []

    def before(_conn, statement, parameters):
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            statements.append((statement, parameters))

    _get(client, engine, path, before)
    over = []
    with engine.connect() as conn:
        one_page = _one_page_tables(conn)
        with conn.connection.dbapi_connection.cursor() as cursor:
            for method in ("seqscan", "hashjoin", "mergejoin"):
                cursor.execute(f"SET enable_{method} = off")
            for statement, parameters in statements:
                cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + statement, parameters)
                for scan in _scans(cursor.fetchone()[0][0]["Plan"]):
                    read = scan["Actual Rows"] + scan.get("Rows Removed by Filter", 0)
                    read += scan.get("Rows Removed by Index Recheck", 0)
                    table = scan["Relation Name"]
                    if read > bounds.get(table, 0) and table not in one_page:
                        over.append(f"{path}: {read} rows of {table} in {statement}")
        conn.rollback()
    return over


def test_a_small_workspace_reads_no_row_of_a_big_one(small):
    world, client, engine, pages = small
    if engine.dialect.name == "sqlite":
        alone = {path: _sqlite_steps(client, engine, path) for path in pages}
        _big_neighbour(world)
        for path, (steps, statements) in alone.items():
            beside, same = _sqlite_steps(client, engine, path)
            assert same == statements, path
            assert beside <= steps + 2 * statements, path
    else:
        _big_neighbour(world)
        bounds = _rows_in_small(world.workspace.id)
        over = [line for path in pages for line in _pg_over_reads(client, engine, path, bounds)]
        assert not over, "\n".join(over)

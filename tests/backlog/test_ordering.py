"""The backlog is ordered and paged by the database: its scores (backlog/ordering.py) are
backlog.scoring's to the last bit, for every framework, valid and invalid inputs alike, so
the pages come in the order the rules define; and a page makes objects of its own tasks only.
"""

from __future__ import annotations

import math
import random
import re
from datetime import timedelta

import pytest
from sqlalchemy import event, insert, select

from backlog import ordering
from backlog.models import ImprovementTask, Insight, InsightKind, task_insight
from backlog.queries import backlog_page, task_rows
from backlog.scoring import FRAMEWORKS, MAX_INPUT, MIN_DIVISOR, RICE_IMPACTS
from backlog.services import task_score
from clock import utcnow
from extensions import db
from tests import factories as f
from tests.helpers import count_queries

# the last two: products PostgreSQL would refuse
EDGES = [None, 0.0, -0.0, 1.0, 10.0, MIN_DIVISOR, MIN_DIVISOR / 2, MAX_INPUT, MAX_INPUT * 1.01,
         -1.0, 0.1, 1 / 3, 2.675, 1e-7, math.inf, -math.inf, math.nan,
         1e-300, 5e-324]  # fmt: skip


def _value(rng: random.Random, *choices):
    roll = rng.random()
    if roll < 0.35:
        return rng.choice(EDGES)
    if roll < 0.55 and choices:
        return rng.choice(choices)
    return rng.choice([rng.uniform(0, 10), float(rng.randint(0, 12)), rng.uniform(0, 5000)])


def _tasks(workspace_id: int, count: int, seed: int) -> None:
    """Tasks with every kind of input, written past the services' checks (as rows saved
    before the inputs were bounded are), a third pinned, many sharing a score."""
    rng = random.Random(seed)
    now = utcnow()
    rows = []
    for i in range(count):
        ice = [rng.choice([None, 0, 1, 5, 10, 11, rng.randint(1, 10)]) for _ in range(3)]
        rows.append(
            {
                "workspace_id": workspace_id,
                "title": f"Task {i}",
                "impact": rng.randint(1, 5),
                "effort": rng.randint(1, 5),
                "pinned": rng.random() < 0.3,
                "created_at": now - timedelta(seconds=rng.randint(0, 5)),  # ties, on purpose
                "reach": _value(rng, 100.0, 250.0),
                "rice_impact": rng.choice([*RICE_IMPACTS, None, 0.3, 4.0, math.nan]),
                "confidence": _value(rng, 0.5, 0.8, 1.0),
                "effort_months": _value(rng, 0.5, 2.0, 3.0),
                "ice_impact": ice[0],
                "ice_confidence": ice[1],
                "ice_ease": ice[2],
                "business_value": _value(rng, 1.0, 8.0),
                "time_criticality": _value(rng, 2.0, 3.0),
                "risk_reduction": _value(rng, 0.0, 1.0),
                "job_size": _value(rng, 1.0, 2.0, 3.0),
            }
        )
    db.session.execute(insert(ImprovementTask), rows)


def _pains(workspace, seed: int) -> None:
    """Pain-point insights (and an observation, which weighs nothing) addressed by tasks."""
    rng = random.Random(seed)
    insights = [
        f.make_insight(
            workspace,
            f"Insight {i}",
            kind="pain_point" if i % 4 else "observation",
            severity=rng.randint(1, 5),
            frequency=rng.randint(1, 5),
        )
        for i in range(12)
    ]
    task_ids = db.session.scalars(
        select(ImprovementTask.id).where(ImprovementTask.workspace_id == workspace.id)
    ).all()
    pairs = {(t, rng.choice(insights).id) for t in task_ids for _ in range(rng.randint(0, 2))}
    db.session.execute(insert(task_insight), [{"task_id": t, "insight_id": i} for t, i in pairs])


def _expected_order(workspace_id: int, framework: str) -> list[int]:
    """The order the rules define, worked out in Python from the objects."""
    pain: dict[int, int] = {}
    for task_id, severity, frequency in db.session.execute(
        select(task_insight.c.task_id, Insight.severity, Insight.frequency)
        .join(Insight, Insight.id == task_insight.c.insight_id)
        .where(Insight.kind == InsightKind.PAIN_POINT)
    ):
        pain[task_id] = pain.get(task_id, 0) + severity * frequency
    tasks = db.session.scalars(
        select(ImprovementTask).where(ImprovementTask.workspace_id == workspace_id)
    ).all()
    scored = [(t, task_score(t, framework)) for t in tasks]
    ranked = sorted(
        ((t, s) for t, s in scored if s is not None),
        key=lambda x: (not x[0].pinned, -x[1], -pain.get(x[0].id, 0), x[0].created_at, x[0].id),
    )
    unscored = sorted(
        (t for t, s in scored if s is None),
        key=lambda t: (not t.pinned, -pain.get(t.id, 0), t.created_at, t.id),
    )
    return [t.id for t, _ in ranked] + [t.id for t in unscored]


@pytest.mark.parametrize("framework", list(FRAMEWORKS))
def test_the_database_scores_every_task_as_the_scoring_rules_do(app, world, framework):
    _tasks(world.workspace.id, 400, seed=len(framework))
    f.commit()
    by_database = dict(
        db.session.execute(
            select(ImprovementTask.id, ordering.score(framework)).where(
                ImprovementTask.workspace_id == world.workspace.id
            )
        ).all()
    )
    tasks = db.session.scalars(select(ImprovementTask)).all()
    expected = {t.id: task_score(t, framework) for t in tasks}
    assert by_database == expected
    assert any(v for v in expected.values())
    # impact and effort are bounded by the database itself: every task has a value ÷ effort
    assert any(v is None for v in expected.values()) == (framework != "value_effort")


@pytest.mark.parametrize("framework", list(FRAMEWORKS))
def test_the_backlog_comes_in_the_order_of_the_rules_page_after_page(app, world, framework):
    _tasks(world.workspace.id, 230, seed=7)
    _pains(world.workspace, seed=7)
    f.commit()
    expected = _expected_order(world.workspace.id, framework)
    ranked, unscored = task_rows(world.workspace.id, framework, 3)
    assert [r.task.id for r in (*ranked, *unscored)] == expected
    assert all(r.score is not None for r in ranked) and all(r.score is None for r in unscored)
    paged = []
    for number in range(1, 6):
        page = backlog_page(world.workspace.id, framework, 3, number, 50)
        assert (page.page, page.pages, page.first_rank) == (number, 5, (number - 1) * 50 + 1)
        assert (page.ranked_total, page.unscored_total) == (len(ranked), len(unscored))
        paged += [r.task.id for r in (*page.ranked, *page.unscored)]
    assert paged == expected
    assert backlog_page(world.workspace.id, framework, 3, 99, 50).page == 5  # the last


def test_filters_apply_in_the_database_as_before(app, world):
    _tasks(world.workspace.id, 120, seed=3)
    f.commit()
    everything = task_rows(world.workspace.id, "value_effort", 3)[0]
    for quadrant in ("quick_win", "major_project", "fill_in", "thankless"):
        ranked, _ = task_rows(world.workspace.id, "value_effort", 3, quadrant=quadrant)
        assert [r.task.id for r in ranked] == [
            r.task.id for r in everything if r.quadrant == quadrant
        ]
        page = backlog_page(world.workspace.id, "value_effort", 3, 1, 50, quadrant=quadrant)
        assert page.ranked_total == len(ranked)


def test_a_backlog_page_makes_objects_of_its_own_tasks_only(client, world, login):
    _tasks(world.workspace.id, 700, seed=11)
    f.commit()
    login(world.viewer)
    loaded = []

    def record(_target, _context):
        loaded.append(1)

    event.listen(ImprovementTask, "load", record)
    try:
        assert client.get("/backlog?framework=rice&page=3").status_code == 200
        on_page = len(loaded)
        loaded.clear()
        assert client.get("/backlog/matrix").status_code == 200
    finally:
        event.remove(ImprovementTask, "load", record)
    assert on_page == 50
    assert loaded == []  # the matrix draws from plain rows


@pytest.mark.parametrize("path", ["/backlog", "/backlog?framework=wsjf&page=9", "/backlog/matrix"])
def test_backlog_pages_cost_the_same_queries_at_any_size(client, world, login, path):
    _tasks(world.workspace.id, 60, seed=1)
    f.commit()
    login(world.viewer)
    small = count_queries(client, path)
    _tasks(world.workspace.id, 1500, seed=2)
    f.commit()
    assert count_queries(client, path) == small


def test_the_pager_links_a_few_pages_around_this_one(client, world, login):
    _tasks(world.workspace.id, 1000, seed=4)
    f.commit()
    login(world.viewer)
    page = client.get("/backlog?page=10").get_data(as_text=True)
    linked = [int(p) for p in re.findall(r'class="page-link" href="[^"]*page=(\d+)"', page)]
    assert linked == [1, 7, 8, 9, 10, 11, 12, 13, 20]
    assert 'aria-current="page">10<' in page

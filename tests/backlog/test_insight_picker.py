"""The task form's insight picker: the insights a task addresses shown ticked by title, a
bounded number of suggestions, and a search (Find without JavaScript, GET /search/insights
with it) instead of a box for every insight of the workspace."""

from __future__ import annotations

import re

from sqlalchemy import func, insert, select

from backlog.insight_search import LIMIT, SUGGESTED_PAINS
from backlog.models import ImprovementTask, Insight, task_insight
from extensions import db
from tests import factories as f
from tests.helpers import count_queries

URL = "/search/insights"
FORM = {"title": "Shorter queue", "status": "idea", "impact": "4", "effort": "2"}


def boxes(page: str) -> list[str]:
    """The values of the insight boxes on the page, in order."""
    return re.findall(r'type="checkbox" name="insight_ids" value="(\d+)"', page)


def ticked(page: str) -> list[str]:
    return re.findall(r'type="checkbox" name="insight_ids" value="(\d+)" id="[^"]*" checked', page)


def many_insights(workspace, n: int, title: str = "Filler", **values) -> None:
    """`n` light pain points, inserted in bulk (the column default folds their titles)."""
    rows = [
        {
            "workspace_id": workspace.id,
            "kind": "pain_point",
            "title": f"{title} {i:04d}",
            "severity": 1,
            "frequency": 1,
            **values,
        }
        for i in range(n)
    ]
    db.session.execute(insert(Insight), rows)
    db.session.commit()


def links() -> set[int]:
    return set(db.session.scalars(select(task_insight.c.insight_id)))


def test_the_form_stays_the_same_size_whatever_the_number_of_insights(client, world, login):
    task = f.make_task(world.workspace, "Faster desk")
    f.commit()
    login(world.editor)
    sizes = {}
    for total in (SUGGESTED_PAINS + 5, 300):
        already = db.session.scalar(select(func.count()).select_from(Insight))
        many_insights(world.workspace, total - already, title=f"Batch {total}")
        url = f"/tasks/{task.id}/edit"
        page = client.get(url).get_data(as_text=True)
        sizes[total] = (len(boxes(page)), count_queries(client, url), len(page))
        new = client.get("/tasks/new").get_data(as_text=True)
        assert len(boxes(new)) == len(boxes(page))
    small, large = sizes[SUGGESTED_PAINS + 5], sizes[300]
    assert small[0] == large[0] == SUGGESTED_PAINS
    assert small[1] == large[1]  # as many statements
    assert abs(large[2] - small[2]) < 200  # the same page, give or take a title


def test_a_chosen_insight_far_down_the_list_is_shown_ticked_by_title(client, world, login):
    many_insights(world.workspace, 200, severity=5, frequency=5)
    light = f.make_insight(
        world.workspace, "Rarely noticed typo", kind="observation", severity=1, frequency=2
    )
    task = f.make_task(world.workspace, "Fix typos", insights=[light])
    f.commit()
    login(world.editor)
    page = client.get(f"/tasks/{task.id}/edit").get_data(as_text=True)
    assert ticked(page) == [str(light.id)]
    assert "Rarely noticed typo (observation, 1×2)" in page
    assert len(boxes(page)) == 1 + SUGGESTED_PAINS  # it, and the heaviest pain points


def test_suggestions_start_with_the_insights_at_the_elements_it_changes(client, world, login, bmap):
    many_insights(world.workspace, 50, severity=5, frequency=5)
    at_desk = f.make_insight(world.workspace, "Desk is slow", bmap.desk, severity=1, frequency=1)
    task = f.make_task(world.workspace, "Faster desk", targets=[bmap.desk])
    f.commit()
    login(world.editor)
    page = client.get(f"/tasks/{task.id}/edit").get_data(as_text=True)
    assert boxes(page)[0] == str(at_desk.id) and ticked(page) == []
    assert len(boxes(page)) == 1 + SUGGESTED_PAINS


def test_find_offers_matches_saves_nothing_then_a_ticked_one_is_linked(client, world, login):
    many_insights(world.workspace, 40, severity=5, frequency=5)
    first = f.make_insight(world.workspace, "Invoice arrives late", severity=1, frequency=1)
    wanted = f.make_insight(world.workspace, "Łódź office invoices wrong", severity=1)
    f.make_insight(world.other_workspace, "Their invoice", severity=1)
    f.commit()
    login(world.editor)
    found = client.post(
        "/tasks/new",
        data={
            **FORM,
            "insight_ids": [first.id],
            "insight_ids-q": "INVOIC",
            "insight_ids-find": "1",
        },
    )
    assert found.status_code == 200
    page = found.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ImprovementTask)) == 0
    assert 'value="Shorter queue"' in page  # what was typed stays
    assert ticked(page) == [str(first.id)]  # and what was ticked
    assert boxes(page) == [str(first.id), str(wanted.id)]  # found by a word of the title
    assert "Łódź office invoices wrong (pain point, 1×3)" in page and "Their invoice" not in page
    saved = client.post("/tasks/new", data={**FORM, "insight_ids": [first.id, wanted.id]})
    assert saved.status_code == 302
    assert links() == {first.id, wanted.id}


def test_find_says_when_nothing_matches_and_when_there_are_more(client, world, login):
    many_insights(world.workspace, LIMIT + 5, title="Queue")
    login(world.editor)
    page = client.post(
        "/tasks/new", data={**FORM, "insight_ids-q": "lodz", "insight_ids-find": "1"}
    ).get_data(as_text=True)
    assert "No insight matches “lodz”." in page and boxes(page) == []
    page = client.post(
        "/tasks/new", data={**FORM, "insight_ids-q": "queue", "insight_ids-find": "1"}
    ).get_data(as_text=True)
    assert len(boxes(page)) == LIMIT
    assert f"Only the first {LIMIT} are shown: type more to narrow them." in page


def test_an_insight_of_another_workspace_is_refused_and_never_linked(client, world, login):
    theirs = f.make_insight(world.other_workspace, "Their secret pain")
    f.commit()
    login(world.editor)
    refused = client.post("/tasks/new", data={**FORM, "insight_ids": [theirs.id]})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "Choose from this workspace only." in page
    assert "Their secret pain" not in page and str(theirs.id) not in boxes(page)
    assert links() == set()
    assert db.session.scalar(select(func.count()).select_from(ImprovementTask)) == 0


def test_a_quick_task_from_an_insight_opens_with_it_ticked(client, world, login):
    many_insights(world.workspace, 100, severity=5, frequency=5)
    insight = f.make_insight(world.workspace, "Nobody calls back", severity=1, frequency=1)
    f.commit()
    login(world.editor)
    response = client.post("/tasks/quick", data={"source": "insight", "insight_id": insight.id})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert ticked(page) == [str(insight.id)]
    assert "Nobody calls back (pain point, 1×1)" in page


def search(client, **params):
    return client.get(URL, query_string=params, headers={"Accept": "application/json"})


def test_the_search_finds_only_the_current_workspaces_insights(client, world, login):
    mine = f.make_insight(world.workspace, "Café queue", kind="opportunity")
    f.make_insight(world.other_workspace, "Cafe queue elsewhere")
    f.commit()
    login(world.viewer)  # viewers may search
    answer = search(client, q="cafe").get_json()
    assert [o["id"] for g in answer["groups"] for o in g["options"]] == [mine.id]
    assert answer["groups"][0]["label"] == "Opportunity"
    assert answer["groups"][0]["options"][0]["label"] == "Café queue (opportunity, 3×3)"
    assert answer["count"] == 1 and answer["more"] is False
    excluded = search(client, q="cafe", exclude=str(mine.id)).get_json()
    assert excluded["count"] == 0


def test_the_search_is_bounded_and_says_there_are_more(client, world, login):
    many_insights(world.workspace, LIMIT + 1, title="Queue")
    login(world.viewer)
    answer = search(client, q="que").get_json()
    assert answer["count"] == LIMIT and answer["more"] is True


def test_the_search_needs_a_login(client, world):
    response = search(client, q="x")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_renaming_an_insight_makes_it_found_by_its_new_title(client, world, login):
    insight = f.make_insight(world.workspace, "Old words")
    f.commit()
    insight.title = "Zażółć gęślą"
    f.commit()
    login(world.viewer)
    assert search(client, q="zazolc").get_json()["count"] == 1
    assert search(client, q="old").get_json()["count"] == 0

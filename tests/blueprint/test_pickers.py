"""The element pickers of the forms (task targets, an insight's element, a why's element, a
link's target): the chosen elements shown by name, a search instead of every element of the
workspace, a Find button that works without JavaScript, and pages that stay small and cheap
in a workspace of 20,000 elements."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from backlog.models import ImprovementTask, Insight, task_target
from blueprint.models import Element, Link
from devsupport.synthetic import build_blueprint
from extensions import db
from tests import factories as f
from tests.helpers import count_queries


def count(model, **where):
    return db.session.scalar(select(func.count()).select_from(model).filter_by(**where))


def options(page: str, name: str) -> list[str]:
    """The option values of the select called `name` on the page."""
    select_ = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select_, name
    return re.findall(r'<option[^>]*value="([^"]*)"', select_.group(1))


def test_a_task_form_shows_its_targets_by_name_and_no_other_element(client, world, login, bmap):
    task = f.make_task(world.workspace, "Faster desk", targets=[bmap.desk, bmap.person])
    f.commit()
    login(world.editor)
    page = client.get(f"/tasks/{task.id}/edit").get_data(as_text=True)
    assert options(page, "target_ids") == [str(bmap.desk.id), str(bmap.person.id)]
    assert f'<option selected value="{bmap.desk.id}">Desk confirms (Frontstage, Order)' in page
    assert '<optgroup label="Order to cash · Frontstage">' in page
    assert "Allocate stock" not in page  # not chosen: found by searching, not listed
    assert 'data-search-url="/search/elements"' in page


def test_find_without_javascript_offers_matches_and_saves_nothing(client, world, login, bmap):
    login(world.editor)
    form = {"title": "Shorter queue", "status": "idea", "impact": "4", "effort": "2"}
    found = client.post(
        "/tasks/new",
        data={**form, "target_ids": [bmap.desk.id], "target_ids-q": "STOCK", "target_ids-find": ""},
    )
    assert found.status_code == 200
    page = found.get_data(as_text=True)
    assert count(ImprovementTask) == 0
    assert 'value="Shorter queue"' in page  # what was typed stays
    assert f'<option selected value="{bmap.desk.id}">' in page  # and what was chosen
    ticks = re.findall(r'type="checkbox" name="target_ids" value="(\d+)"', page)
    assert ticks == [str(bmap.backoffice.id)]
    assert "Allocate stock (Backstage, Deliver)" in page
    saved = client.post(
        "/tasks/new", data={**form, "target_ids": [bmap.desk.id, bmap.backoffice.id]}
    )
    assert saved.status_code == 302
    assert set(db.session.scalars(select(task_target.c.element_id))) == {
        bmap.desk.id,
        bmap.backoffice.id,
    }


def test_find_says_when_nothing_matches_and_never_shows_another_workspace(
    client, world, login, bmap
):
    login(world.editor)
    page = client.post(
        "/tasks/new",
        data={"title": "T", "target_ids-q": "their step", "target_ids-find": "1"},
    ).get_data(as_text=True)
    assert "No element matches “their step”." in page and "Their step" not in page
    refused = client.post(
        "/tasks/new",
        data={"title": "T", "impact": "3", "effort": "3", "target_ids": [bmap.foreign.id]},
    )
    assert refused.status_code == 422
    assert "Their step" not in refused.get_data(as_text=True)
    assert options(refused.get_data(as_text=True), "target_ids") == []


def test_an_id_sent_twice_is_one_target(client, world, login, bmap):
    login(world.editor)
    response = client.post(
        "/tasks/new",
        data={"title": "T", "impact": "3", "effort": "3", "target_ids": [bmap.desk.id] * 2},
    )
    assert response.status_code == 302 and count(task_target) == 1


def test_the_insight_form_finds_its_element_without_javascript(client, world, login, bmap):
    login(world.editor)
    page = client.get("/insights/new").get_data(as_text=True)
    assert options(page, "element_id") == [""]  # the blueprint as a whole, nothing listed
    found = client.post(
        "/insights/new",
        data={"title": "Slow", "element_id": "", "element_id-q": "desk", "element_id-find": "1"},
    )
    assert found.status_code == 200 and count(Insight) == 0
    page = found.get_data(as_text=True)
    assert options(page, "element_id") == ["", str(bmap.desk.id), str(bmap.person.id)]
    assert "2 found for “desk”: choose one above, then save." in page
    insight = f.make_insight(world.workspace, "Known", bmap.buyer)
    f.commit()
    edit = client.get(f"/insights/{insight.id}/edit").get_data(as_text=True)
    assert f'<option selected value="{bmap.buyer.id}">Places order (Customer actions' in edit


def test_the_why_form_suggests_the_insights_element_and_its_causes(client, world, login, bmap):
    insight = f.make_insight(world.workspace, "Late", bmap.buyer)
    f.commit()
    login(world.editor)
    page = client.get(f"/insights/{insight.id}").get_data(as_text=True)
    assert options(page, "element_id") == [
        "",
        str(bmap.buyer.id),
        str(bmap.desk.id),
        str(bmap.person.id),
        str(bmap.system.id),
    ]
    found = client.post(
        f"/insights/{insight.id}/whys",
        data={"answer": "x", "element_id-q": "stock", "element_id-find": "1"},
    )
    assert found.status_code == 200
    assert str(bmap.backoffice.id) in options(found.get_data(as_text=True), "element_id")


def test_the_link_form_suggests_nearby_steps_and_finds_any_other(client, world, login, bmap):
    _, stages = f.make_blueprint(world.workspace, "Returns", ("Report",))
    elsewhere = f.make_element(stages[0], "backstage", "Check the return")
    f.commit()
    login(world.editor)
    page = client.get(f"/elements/{bmap.desk.id}").get_data(as_text=True)
    offered = options(page, "target_id")
    assert str(bmap.desk.id) not in offered  # never itself
    assert str(elsewhere.id) not in offered  # another blueprint: found, not suggested
    found = client.post(
        f"/elements/{bmap.desk.id}/links",
        data={"kind": "relies_on", "target_id-q": "check the", "target_id-find": "1"},
    )
    assert found.status_code == 200 and count(Link, source_id=bmap.desk.id) == 2
    page = found.get_data(as_text=True)
    assert '<optgroup label="Returns · Backstage">' in page
    assert options(page, "target_id") == ["", str(elsewhere.id)]  # "— choose —", what was found
    linked = client.post(
        f"/elements/{bmap.desk.id}/links", data={"kind": "relies_on", "target_id": elsewhere.id}
    )
    assert linked.status_code == 302
    assert count(Link, source_id=bmap.desk.id, target_id=elsewhere.id) == 1
    missing = client.post(f"/elements/{bmap.desk.id}/links", data={"kind": "relies_on"})
    assert missing.status_code == 422
    assert "Choose what it links to." in missing.get_data(as_text=True)


PAGES = (
    "/tasks/new",
    "/tasks/{task}/edit",
    "/insights/new",
    "/insights/{insight}/edit",
    "/insights/{insight}",
    "/elements/{element}",
)


def test_forms_stay_small_and_cheap_in_a_workspace_of_20000_elements(client, world, login):
    small = build_blueprint(world.workspace.id, elements=200, links=0, seed=1, name="Small")
    f.commit()
    step, other = db.session.scalars(
        select(Element.id).where(Element.blueprint_id == small.id).order_by(Element.id).limit(2)
    ).all()
    task = f.make_task(
        world.workspace, "Targets two", targets=[db.session.get(Element, i) for i in (step, other)]
    )
    insight = f.make_insight(world.workspace, "Seen at one", db.session.get(Element, step))
    f.commit()
    login(world.editor)
    ids = {"task": task.id, "insight": insight.id, "element": step}
    urls = [p.format(**ids) for p in PAGES]
    before = [count_queries(client, url) for url in urls]

    build_blueprint(world.workspace.id, elements=20_000, links=0, catalog=200, seed=2, name="Big")
    f.commit()
    assert count(Element, workspace_id=world.workspace.id) > 20_000
    assert [count_queries(client, url) for url in urls] == before
    for url in urls:
        size = len(client.get(url).data)
        assert size < 100_000, (url, size)
    big_step = db.session.scalar(
        select(Element.id).where(Element.title == "Backstage 10003").order_by(Element.id)
    )
    page = client.get(f"/elements/{big_step}")
    assert len(page.data) < 100_000  # a step among 20,000 of its own blueprint


def test_any_text_in_a_find_box_is_an_answer_never_an_error(client, world, login, bmap):
    login(world.editor)
    for query in ["", " ", "%", "_", "\\", "\U0010ffff", "\ud7ff", "ǅ" * 300, "=1+1", "１２"]:
        for path, name in [
            ("/tasks/new", "target_ids"),
            ("/insights/new", "element_id"),
            (f"/elements/{bmap.desk.id}/links", "target_id"),
            (f"/insights/{f.make_insight(world.workspace, 'x').id}/whys", "element_id"),
        ]:
            f.commit()
            response = client.post(path, data={f"{name}-q": query, f"{name}-find": "1"})
            assert response.status_code == 200, (path, query)
    assert count(ImprovementTask) == 0 and count(Link, source_id=bmap.desk.id) == 2

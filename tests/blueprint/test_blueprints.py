"""Blueprint list, create/edit/delete, review, duplicate as future state, personas."""

from datetime import date, timedelta

from sqlalchemy import func, select

from blueprint.models import BlueprintState, Element, Link, Persona, ServiceBlueprint, Stage
from extensions import db
from tests import factories as f


def count(model, **where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).filter_by(**where))


def test_list_shows_counts_state_persona_and_overdue_review(client, world, login, bmap):
    bmap.blueprint.review_cadence_days = 30
    bmap.blueprint.last_reviewed_on = date.today() - timedelta(days=31)
    persona = f.bp_services.save_persona(Persona(workspace_id=world.workspace.id), {"name": "Rita"})
    bmap.blueprint.persona_id = persona.id
    f.commit()
    login(world.viewer)
    page = client.get("/blueprints").get_data(as_text=True)
    assert "Order to cash" in page and "Rita" in page
    assert "Review overdue" in page
    assert "⚠ 1" in page  # one fail point
    assert "Theirs" not in page  # another workspace's blueprint


def test_list_search_and_state_filter(client, world, login, bmap):
    f.make_blueprint(world.workspace, "Returns", (), state=BlueprintState.FUTURE)
    f.commit()
    login(world.owner)
    assert "Returns" not in client.get("/blueprints?q=order").get_data(as_text=True)
    assert "Order to cash" in client.get("/blueprints?q=ORDER").get_data(as_text=True)
    future = client.get("/blueprints?state=future").get_data(as_text=True)
    assert "Returns" in future and "Order to cash" not in future
    assert client.get("/blueprints?state=bogus").status_code == 200


def test_search_treats_wildcards_literally(client, world, login, bmap):
    login(world.owner)
    assert "Order to cash" not in client.get("/blueprints?q=%25").get_data(as_text=True)


def test_create_blueprint(client, world, login):
    login(world.editor)
    response = client.post(
        "/blueprints/new",
        data={
            "name": "Onboarding",
            "goal": "Find drop-offs",
            "state": "current",
            "owner_id": world.editor.id,
            "review_cadence_days": "60",
        },
    )
    assert response.status_code == 302
    blueprint = db.session.execute(select(ServiceBlueprint)).scalar_one()
    assert (blueprint.name, blueprint.goal, blueprint.owner_id) == (
        "Onboarding",
        "Find drop-offs",
        world.editor.id,
    )
    assert blueprint.review_cadence_days == 60 and blueprint.workspace_id == world.workspace.id


def test_blueprint_name_is_required_and_bounded(client, world, login):
    login(world.owner)
    empty = client.post("/blueprints/new", data={"name": "", "state": "current"})
    assert empty.status_code == 422 and "This field is required." in empty.get_data(as_text=True)
    long = client.post("/blueprints/new", data={"name": "x" * 201, "state": "current"})
    assert long.status_code == 422
    assert "200 characters" in long.get_data(as_text=True)
    assert count(ServiceBlueprint) == 0


def test_persona_or_owner_of_another_workspace_is_refused(client, world, login):
    other = f.bp_services.save_persona(
        Persona(workspace_id=world.other_workspace.id), {"name": "Theirs"}
    )
    f.commit()
    login(world.owner)
    response = client.post(
        "/blueprints/new", data={"name": "X", "state": "current", "persona_id": other.id}
    )
    assert response.status_code == 422
    response = client.post(
        "/blueprints/new", data={"name": "X", "state": "current", "owner_id": world.outsider.id}
    )
    assert response.status_code == 422
    assert count(ServiceBlueprint) == 0


def test_edit_blueprint(client, world, login, bmap):
    login(world.owner)
    response = client.post(
        f"/blueprints/{bmap.blueprint.id}/edit",
        data={"name": "Order to cash v2", "state": "future", "version": bmap.blueprint.version},
    )
    assert response.status_code == 302
    db.session.refresh(bmap.blueprint)
    assert bmap.blueprint.name == "Order to cash v2"
    assert bmap.blueprint.state is BlueprintState.FUTURE


def test_delete_blueprint_removes_its_content_but_keeps_catalog(client, world, login, bmap):
    login(world.owner)
    assert "Delete Order to cash?" in client.get(
        f"/blueprints/{bmap.blueprint.id}/delete"
    ).get_data(as_text=True)
    response = client.post(f"/blueprints/{bmap.blueprint.id}/delete")
    assert response.status_code == 302
    assert count(ServiceBlueprint, workspace_id=world.workspace.id) == 0
    assert count(Stage, workspace_id=world.workspace.id) == 0
    assert count(Link, workspace_id=world.workspace.id) == 0
    assert count(Element, workspace_id=world.workspace.id) == 2  # the person and the system


def test_mark_reviewed_sets_today(client, world, login, bmap):
    login(world.editor)
    assert client.post(f"/blueprints/{bmap.blueprint.id}/reviewed").status_code == 302
    db.session.refresh(bmap.blueprint)
    assert bmap.blueprint.last_reviewed_on == date.today()


def test_duplicate_as_future_state_deep_copies_and_rewires_links(client, world, login, bmap):
    login(world.editor)
    response = client.post(f"/blueprints/{bmap.blueprint.id}/duplicate")
    assert response.status_code == 302
    copy = db.session.execute(
        select(ServiceBlueprint).where(ServiceBlueprint.based_on_id == bmap.blueprint.id)
    ).scalar_one()
    assert copy.state is BlueprintState.FUTURE and copy.name.endswith("(future state)")
    copied = {
        e.title: e for e in db.session.scalars(select(Element).filter_by(blueprint_id=copy.id))
    }
    assert set(copied) == {"Places order", "Desk confirms", "Allocate stock"}
    assert copied["Places order"].emotion == 1 and copied["Desk confirms"].fail_point
    assert [s.name for s in f.bp_services.ordered_stages(copy.id)] == ["Order", "Deliver"]
    copy_links = {
        (ln.source_id, ln.target_id, ln.kind.value)
        for ln in db.session.scalars(
            select(Link).where(Link.source_id.in_([e.id for e in copied.values()]))
        )
    }
    assert copy_links == {
        (copied["Places order"].id, copied["Desk confirms"].id, "relies_on"),
        (copied["Desk confirms"].id, bmap.person.id, "performed_by"),  # shared catalog
        (copied["Desk confirms"].id, bmap.system.id, "uses"),
    }
    assert count(Link, source_id=bmap.buyer.id) == 1  # the original is untouched
    assert "Based on" in client.get(f"/blueprints/{copy.id}").get_data(as_text=True)


def test_persona_crud_and_delete_refused_while_used(client, world, login, bmap):
    login(world.editor)
    response = client.post(
        "/personas/new",
        data={
            "name": "Rita",
            "segment": "Retail",
            "buying_role": "decision_maker",
            "goals": "Full shelves",
        },
    )
    assert response.status_code == 302
    persona = db.session.execute(select(Persona)).scalar_one()
    assert persona.buying_role.value == "decision_maker"
    assert "Full shelves" in client.get("/personas").get_data(as_text=True)

    edit = client.post(
        f"/personas/{persona.id}/edit",
        data={"name": "Rita B", "buying_role": "", "version": persona.version},
    )
    assert edit.status_code == 302
    db.session.refresh(persona)
    assert persona.name == "Rita B" and persona.buying_role is None

    bmap.blueprint.persona_id = persona.id
    f.commit()
    refused = client.post(f"/personas/{persona.id}/delete")
    assert refused.status_code == 409
    assert "is the persona of Order to cash" in refused.get_data(as_text=True)
    bmap.blueprint.persona_id = None
    f.commit()
    assert client.post(f"/personas/{persona.id}/delete").status_code == 302
    assert count(Persona) == 0


def test_persona_validation(client, world, login):
    login(world.owner)
    response = client.post("/personas/new", data={"name": "", "buying_role": "king"})
    assert response.status_code == 422
    assert count(Persona) == 0

"""Stages, elements, links and the catalog: what an editor does, and every rule it meets."""

from sqlalchemy import func, select

from blueprint.models import Element, ElementKind, Link, LinkKind, Stage
from blueprint.services import ordered_stages
from extensions import db
from tests import factories as f


def count(model, **where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).filter_by(**where))


def lane_titles(stage, kind):
    return list(
        db.session.scalars(
            select(Element.title).filter_by(stage_id=stage.id, kind=kind).order_by(Element.position)
        )
    )


# --- stages ------------------------------------------------------------------------------


def test_add_rename_and_reorder_stages(client, world, login, bmap):
    login(world.editor)
    assert (
        client.post(f"/blueprints/{bmap.blueprint.id}/stages", data={"name": "Invoice"}).status_code
        == 302
    )
    names = lambda: [s.name for s in ordered_stages(bmap.blueprint.id)]  # noqa: E731
    assert names() == ["Order", "Deliver", "Invoice"]
    invoice = ordered_stages(bmap.blueprint.id)[2]
    client.post(f"/stages/{invoice.id}/rename", data={"name": "Pay", "version": invoice.version})
    client.post(f"/stages/{invoice.id}/move", data={"offset": "-1", "version": invoice.version})
    assert names() == ["Order", "Pay", "Deliver"]
    client.post(  # clamps at the start
        f"/stages/{invoice.id}/move", data={"offset": "-5", "version": invoice.version}
    )
    assert names() == ["Pay", "Order", "Deliver"]


def test_stage_name_required(client, world, login, bmap):
    login(world.editor)
    response = client.post(f"/blueprints/{bmap.blueprint.id}/stages", data={"name": " "})
    assert response.status_code == 422
    assert count(Stage, blueprint_id=bmap.blueprint.id) == 2


def test_delete_stage_asks_and_moves_elements(client, world, login, bmap):
    login(world.editor)
    order, deliver = bmap.stages
    order_id = order.id
    page = client.get(f"/stages/{order.id}/delete").get_data(as_text=True)
    assert "It still has 2 elements" in page
    order_id = order.id
    missing = client.post(f"/stages/{order_id}/delete", data={"elements": "move"})
    assert missing.status_code == 422 and "Choose the stage" in missing.get_data(as_text=True)
    assert count(Stage, id=order_id) == 1
    response = client.post(
        f"/stages/{order_id}/delete", data={"elements": "move", "move_to": deliver.id}
    )
    assert response.status_code == 302
    assert count(Stage, id=order_id) == 0
    assert db.session.get(Element, bmap.buyer.id).stage_id == deliver.id
    assert count(Link, source_id=bmap.buyer.id) == 1  # links survive a move


def test_delete_stage_with_its_elements(client, world, login, bmap):
    login(world.editor)
    blueprint_id = bmap.blueprint.id
    response = client.post(f"/stages/{bmap.stages[0].id}/delete", data={"elements": "delete"})
    assert response.status_code == 302
    assert count(Element, blueprint_id=blueprint_id) == 1
    assert count(Link, workspace_id=world.workspace.id) == 0
    assert [s.position for s in ordered_stages(blueprint_id)] == [0]


# --- elements ----------------------------------------------------------------------------


def test_add_element_into_a_stage_and_lane(client, world, login, bmap):
    login(world.editor)
    url = f"/blueprints/{bmap.blueprint.id}/elements/new"
    form = client.get(f"{url}?stage_id={bmap.stages[1].id}&kind=frontstage")
    assert form.status_code == 200
    response = client.post(
        url,
        data={
            "stage_id": bmap.stages[1].id,
            "kind": "customer_action",
            "title": "Signs delivery note",
            "channel": "in_person",
            "duration_minutes": "5",
            "tolerance_minutes": "3",
            "emotion": "-1",
            "wait_point": "y",
            "moment_of_truth": "y",
            "evidence_source": "interview",
            "evidence_status": "observed",
        },
    )
    assert response.status_code == 302
    element = db.session.execute(
        select(Element).filter_by(title="Signs delivery note")
    ).scalar_one()
    assert (element.stage_id, element.kind, element.emotion) == (
        bmap.stages[1].id,
        ElementKind.CUSTOMER_ACTION,
        -1,
    )
    assert element.over_tolerance and element.wait_point and element.moment_of_truth
    assert element.channel.value == "in_person" and element.evidence_status.value == "observed"


def _new(client, bmap, **data):
    base = {"stage_id": bmap.stages[0].id, "kind": "customer_action", "title": "Step"}
    return client.post(f"/blueprints/{bmap.blueprint.id}/elements/new", data={**base, **data})


def test_element_validation_messages(client, world, login, bmap):
    login(world.editor)
    before = count(Element)
    cases = [
        ({"title": ""}, "This field is required."),
        ({"title": "x" * 201}, "200 characters"),
        ({"emotion": "3"}, "Emotion runs from -2"),
        ({"emotion": "-3"}, "Emotion runs from -2"),
        ({"kind": "backstage", "emotion": "1"}, "customer actions only"),
        ({"duration_minutes": "-5"}, "Number must be between 0 and"),
        ({"tolerance_minutes": "-1"}, "Number must be between 0 and"),
        ({"kind": "person"}, "Not a valid choice"),
    ]
    for data, message in cases:
        response = _new(client, bmap, **data)
        assert response.status_code == 422, data
        assert message in response.get_data(as_text=True), (data, message)
    assert count(Element) == before


def test_stage_of_another_blueprint_is_refused(client, world, login, bmap):
    _, other_stages = f.make_blueprint(world.workspace, "Other", ("Elsewhere",))
    f.commit()
    login(world.editor)
    response = _new(client, bmap, stage_id=other_stages[0].id)
    assert response.status_code == 422
    assert count(Element, stage_id=other_stages[0].id) == 0


def test_edit_element_every_attribute(client, world, login, bmap):
    login(world.editor)
    response = client.post(
        f"/elements/{bmap.desk.id}/edit",
        data={
            "version": bmap.desk.version,
            "title": "Desk confirms by phone",
            "description": "Within the hour",
            "channel": "phone",
            "duration_minutes": "10",
            "tolerance_minutes": "20",
            "fail_note": "",
            "evidence_source": "call_centre",
            "evidence_status": "assumed",
        },
    )
    assert response.status_code == 302
    desk = db.session.get(Element, bmap.desk.id)
    assert desk.title == "Desk confirms by phone" and desk.description == "Within the hour"
    assert desk.fail_point is False and desk.channel.value == "phone"
    assert desk.evidence_source.value == "call_centre" and not desk.over_tolerance


def test_emotion_field_only_for_customer_actions(client, world, login, bmap):
    login(world.editor)
    assert "Emotion" in client.get(f"/elements/{bmap.buyer.id}/edit").get_data(as_text=True)
    assert "Emotion" not in client.get(f"/elements/{bmap.desk.id}/edit").get_data(as_text=True)


def test_move_element_left_right_and_to_another_stage(client, world, login, bmap):
    order = bmap.stages[0]
    second = f.make_element(order, "customer_action", "Pays deposit")
    third = f.make_element(order, "customer_action", "Gets receipt")
    f.commit()
    login(world.editor)
    assert lane_titles(order, ElementKind.CUSTOMER_ACTION) == [
        "Places order",
        "Pays deposit",
        "Gets receipt",
    ]
    client.post(f"/elements/{third.id}/move", data={"offset": "-1", "version": third.version})
    assert lane_titles(order, ElementKind.CUSTOMER_ACTION) == [
        "Places order",
        "Gets receipt",
        "Pays deposit",
    ]
    client.post(
        f"/elements/{bmap.buyer.id}/move", data={"offset": "1", "version": bmap.buyer.version}
    )
    assert lane_titles(order, ElementKind.CUSTOMER_ACTION) == [
        "Gets receipt",
        "Places order",
        "Pays deposit",
    ]
    assert client.post(f"/elements/{second.id}/move", data={"offset": "x"}).status_code == 400

    response = client.post(
        f"/elements/{second.id}/stage",
        data={"stage_id": bmap.stages[1].id, "version": second.version},
    )
    assert response.status_code == 302
    assert lane_titles(order, ElementKind.CUSTOMER_ACTION) == ["Gets receipt", "Places order"]
    assert lane_titles(bmap.stages[1], ElementKind.CUSTOMER_ACTION) == ["Pays deposit"]
    positions = db.session.scalars(
        select(Element.position)
        .filter_by(stage_id=order.id, kind=ElementKind.CUSTOMER_ACTION)
        .order_by(Element.position)
    ).all()
    assert positions == [0, 1]


def test_delete_element_lists_and_removes_its_links(client, world, login, bmap):
    login(world.editor)
    page = client.get(f"/elements/{bmap.desk.id}/delete").get_data(as_text=True)
    assert "These 3 links go with it" in page
    assert "Service desk" in page and "Places order" in page
    desk_id = bmap.desk.id
    assert client.post(f"/elements/{desk_id}/delete").status_code == 302
    assert db.session.get(Element, desk_id) is None
    assert count(Link, workspace_id=world.workspace.id) == 0


# --- links -------------------------------------------------------------------------------


def _link(client, source, target, kind="relies_on"):
    return client.post(f"/elements/{source.id}/links", data={"kind": kind, "target_id": target.id})


def test_element_page_shows_both_directions_and_link_targets_by_lane(client, world, login, bmap):
    login(world.viewer)
    page = client.get(f"/elements/{bmap.desk.id}").get_data(as_text=True)
    relies_on, relied_by = page.split("What relies on it")
    assert "Service desk" in relies_on and "ERP" in relies_on
    assert "Places order" in relied_by
    assert "Add a link" not in page  # viewers see no edit controls
    client.post("/logout")
    login(world.editor)
    editor_page = client.get(f"/elements/{bmap.desk.id}").get_data(as_text=True)
    assert '<optgroup label="Backstage">' in editor_page
    assert '<optgroup label="Person / team">' in editor_page


def test_add_and_remove_links(client, world, login, bmap):
    login(world.editor)
    assert _link(client, bmap.desk, bmap.backoffice).status_code == 302
    assert count(Link, source_id=bmap.desk.id, target_id=bmap.backoffice.id) == 1
    assert _link(client, bmap.backoffice, bmap.system, "uses").status_code == 302
    assert _link(client, bmap.buyer, bmap.backoffice, "next").status_code == 302
    link_id = db.session.execute(
        select(Link.id).filter_by(source_id=bmap.desk.id, target_id=bmap.backoffice.id)
    ).scalar_one()
    response = client.post(f"/links/{link_id}/delete", data={"back_to": bmap.desk.id})
    assert response.status_code == 302
    assert db.session.get(Link, link_id) is None


def test_link_rules(client, world, login, bmap):
    login(world.editor)
    before = count(Link)
    cases = [
        (bmap.desk, bmap.desk, "relies_on", "cannot be linked to itself"),
        (bmap.buyer, bmap.desk, "relies_on", "already relies on"),
        (bmap.desk, bmap.system, "performed_by", "point at a person"),
        (bmap.desk, bmap.person, "uses", "point at a system"),
        (bmap.desk, bmap.person, "next", "orders steps in time"),
    ]
    for source, target, kind, message in cases:
        response = _link(client, source, target, kind)
        assert response.status_code == 422, (kind, message)
        assert message in response.get_data(as_text=True), message
    assert count(Link) == before


def test_link_to_another_workspace_is_404(client, world, login, bmap):
    login(world.editor)
    assert _link(client, bmap.desk, bmap.foreign).status_code == 404
    assert count(Link, target_id=bmap.foreign.id) == 0


def test_bad_link_kind_is_refused(client, world, login, bmap):
    login(world.editor)
    assert _link(client, bmap.desk, bmap.backoffice, "causes").status_code == 422


# --- catalog -----------------------------------------------------------------------------


def test_catalog_lists_usage_across_blueprints(client, world, login, bmap):
    _, stages = f.make_blueprint(world.workspace, "Returns", ("Report",))
    returns_desk = f.make_element(stages[0], "frontstage", "Logs return")
    f.link(returns_desk, bmap.person, "performed_by")
    f.commit()
    login(world.viewer)
    page = client.get("/catalog").get_data(as_text=True)
    assert "used by 2 elements in 2 blueprints" in page  # the service desk
    assert "used by 1 element in 1 blueprint" in page  # the ERP


def test_catalog_create_edit_delete(client, world, login, bmap):
    login(world.editor)
    assert client.get("/catalog/new?kind=system").status_code == 200
    response = client.post(
        "/catalog/new",
        data={"kind": "system", "title": "WMS", "fail_point": "y", "fail_note": "Slow"},
    )
    assert response.status_code == 302
    wms = db.session.execute(select(Element).filter_by(title="WMS")).scalar_one()
    assert wms.kind is ElementKind.SYSTEM and wms.blueprint_id is None and wms.fail_point
    edited = client.post(f"/catalog/{wms.id}/edit", data={"title": "WMS 2", "version": wms.version})
    assert edited.status_code == 302
    assert db.session.get(Element, wms.id).title == "WMS 2"
    page = client.get(f"/elements/{bmap.system.id}/delete").get_data(as_text=True)
    assert "Desk confirms" in page  # shows the link that will go
    system_id = bmap.system.id
    client.post(f"/elements/{system_id}/delete")
    assert db.session.get(Element, system_id) is None
    assert count(Link, target_id=system_id) == 0


def test_catalog_kind_must_be_person_or_system(client, world, login):
    login(world.editor)
    response = client.post("/catalog/new", data={"kind": "backstage", "title": "X"})
    assert response.status_code == 422
    assert count(Element) == 0


def test_link_kind_labels():
    assert LinkKind.PERFORMED_BY.label == "performed by"

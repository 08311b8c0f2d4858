"""Steps that span stages (a frontstage "greet and seat" under two customer steps) and steps
of the whole journey (a policy under every stage): kept by the editor, the workbook and the
workspace backup, and still one node of the graph."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy import select

from backup.workspace import export_workspace, import_workspace
from blueprint import services, transfer, workbook
from blueprint.models import Element, ServiceBlueprint, Stage
from extensions import db
from tests import factories as f
from tests.helpers import without_ids


def restaurant(world):
    blueprint, stages = f.make_blueprint(
        world.workspace, "Dinner", ("Arrive", "Order", "Eat", "Pay")
    )
    arrive = f.make_element(stages[0], "customer_action", "Walks in")
    order = f.make_element(stages[1], "customer_action", "Orders")
    greet = f.make_element(stages[0], "frontstage", "Greet and seat", end_stage_id=stages[1].id)
    policy = f.make_element(stages[2], "support", "Food safety policy", all_stages=True)
    f.link(arrive, greet)
    f.link(order, greet)
    f.link(greet, policy)
    f.commit()
    return blueprint, stages, greet, policy


def sheet_values(content: bytes) -> dict[str, list[tuple]]:
    wb = load_workbook(io.BytesIO(content))
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}


def test_a_spanning_step_and_a_whole_journey_step_are_kept_as_given(app, world):
    blueprint, stages, greet, policy = restaurant(world)
    assert (greet.stage_id, greet.end_stage_id, greet.all_stages) == (
        stages[0].id,
        stages[1].id,
        False,
    )
    assert policy.all_stages and policy.end_stage_id is None
    # ending where it starts is no span; the whole journey needs no end stage
    services.update_element(greet, {"title": "Greet", "end_stage_id": stages[0].id})
    assert greet.end_stage_id is None
    services.update_element(policy, {"title": "Policy", "end_stage_id": stages[3].id})
    assert policy.end_stage_id is None and policy.all_stages


def test_a_step_from_another_blueprint_cannot_be_its_end(app, world):
    blueprint, stages, greet, policy = restaurant(world)
    _, theirs = f.make_blueprint(world.workspace, "Other", ("Elsewhere",))
    try:
        services.update_element(greet, {"title": "Greet", "end_stage_id": theirs[0].id})
    except services.BlueprintError as exc:
        assert exc.field == "span"
    else:
        raise AssertionError("a stage of another blueprint was accepted")


def test_deleting_a_stage_keeps_the_steps_that_reach_beyond_it(app, world):
    blueprint, stages, greet, policy = restaurant(world)
    services.delete_stage(stages[2])  # the policy's anchor
    services.delete_stage(stages[0])  # where "greet and seat" starts
    f.commit()
    kept = {
        e.title: e for e in db.session.scalars(select(Element).filter_by(blueprint_id=blueprint.id))
    }
    assert kept["Food safety policy"].all_stages
    assert kept["Greet and seat"].stage_id == stages[1].id
    assert kept["Greet and seat"].end_stage_id is None


def test_deleting_the_end_stage_shrinks_the_span_into_the_stage_its_steps_move_to(app, world):
    blueprint, stages, greet, policy = restaurant(world)
    services.update_element(greet, {"title": "Greet and seat", "end_stage_id": stages[2].id})
    services.delete_stage(stages[2], move_to=stages[1])
    f.commit()
    assert greet.end_stage_id == stages[1].id


def test_spans_survive_the_workbook_and_show_in_every_column_of_the_board_sheet(
    client, world, login
):
    blueprint, stages, greet, policy = restaurant(world)
    first = workbook.build(transfer.export_data(blueprint))
    values = sheet_values(first)
    header = values["Elements"][0]
    rows = [dict(zip(header, row, strict=True)) for row in values["Elements"][1:]]
    by_title = {r["title"]: r for r in rows}
    assert (by_title["Greet and seat"]["stage"], by_title["Greet and seat"]["end_stage"]) == (
        "Arrive",
        "Order",
    )
    assert by_title["Food safety policy"]["stage"] == "*"
    assert by_title["Food safety policy"]["key"] == "A-S-1"
    board = {row[0]: row[1:] for row in values["Board"]}
    assert board["Frontstage"] == ("Greet and seat", "Greet and seat", None, None)
    assert board["Support processes"] == ("Food safety policy",) * 4

    copy = transfer.import_data(world.workspace.id, workbook.parse(first))
    f.commit()
    again = sheet_values(workbook.build(transfer.export_data(copy)))
    assert without_ids(again) == without_ids(values)  # the copy has its own ids
    greet_copy = db.session.execute(
        select(Element).filter_by(blueprint_id=copy.id, title="Greet and seat")
    ).scalar_one()
    end = db.session.get(Stage, greet_copy.end_stage_id)
    assert end.name == "Order" and end.blueprint_id == copy.id


def test_a_workbook_without_the_end_stage_column_still_imports(app, world):
    blueprint, stages, greet, policy = restaurant(world)
    wb = load_workbook(io.BytesIO(workbook.build(transfer.export_data(blueprint))))
    ws = wb["Elements"]
    ws.delete_cols(list(workbook.ELEMENT_COLUMNS).index("end_stage") + 1)
    out = io.BytesIO()
    wb.save(out)
    data = workbook.parse(out.getvalue())
    assert {e["title"]: e["end_stage"] for e in data.elements}["Greet and seat"] == ""


def test_spans_survive_the_workspace_backup(app, world):
    blueprint, stages, greet, policy = restaurant(world)
    document = export_workspace(world.workspace)
    copy = import_workspace(document, name="Restored")
    f.commit()
    assert export_workspace(copy)["tables"] == document["tables"]
    restored = db.session.execute(
        select(ServiceBlueprint).filter_by(workspace_id=copy.id)
    ).scalar_one()
    greet_copy = db.session.execute(
        select(Element).filter_by(blueprint_id=restored.id, title="Greet and seat")
    ).scalar_one()
    end = db.session.get(Stage, greet_copy.end_stage_id)
    assert (end.name, end.blueprint_id) == ("Order", restored.id)
    policy_copy = db.session.execute(
        select(Element).filter_by(blueprint_id=restored.id, title="Food safety policy")
    ).scalar_one()
    assert policy_copy.all_stages


def test_a_future_state_copies_the_spans(app, world):
    blueprint, stages, greet, policy = restaurant(world)
    copy = services.duplicate_as_future_state(blueprint)
    f.commit()
    greet_copy = db.session.execute(
        select(Element).filter_by(blueprint_id=copy.id, title="Greet and seat")
    ).scalar_one()
    assert db.session.get(Stage, greet_copy.end_stage_id).blueprint_id == copy.id


def test_the_element_form_sets_a_span_and_the_board_draws_it_over_its_columns(
    client, world, login, bmap
):
    login(world.editor)
    order, deliver = bmap.stages
    page = client.get(f"/elements/{bmap.desk.id}/edit").get_data(as_text=True)
    assert "All stages (the whole journey)" in page and "Up to Deliver" in page
    response = client.post(
        f"/elements/{bmap.desk.id}/edit",
        data={"title": "Desk confirms", "span": str(deliver.id), "version": bmap.desk.version},
    )
    assert response.status_code == 302
    assert db.session.get(Element, bmap.desk.id).end_stage_id == deliver.id
    board = client.get(f"/blueprints/{bmap.blueprint.id}").get_data(as_text=True)
    spans = board.split('class="lane-spans lane-frontstage"')[1].split("</tr>")[0]
    assert 'colspan="2"' in spans and "Desk confirms" in spans and "↔ Spans stages" in spans
    assert 'id="board-routes"' in board

    response = client.post(
        f"/elements/{bmap.desk.id}/edit",
        data={"title": "Desk confirms", "span": "all", "version": bmap.desk.version},
    )
    desk = db.session.get(Element, bmap.desk.id)
    assert response.status_code == 302 and desk.all_stages and desk.end_stage_id is None
    board = client.get(f"/blueprints/{bmap.blueprint.id}").get_data(as_text=True)
    assert "↔ All stages" in board
    # a stage of another blueprint is not a choice
    _, theirs = f.make_blueprint(world.workspace, "Other", ("Elsewhere",))
    f.commit()
    response = client.post(
        f"/elements/{bmap.desk.id}/edit",
        data={"title": "Desk confirms", "span": str(theirs[0].id), "version": desk.version},
    )
    assert response.status_code == 422 and "Not a valid choice" in response.get_data(as_text=True)
    # people and systems have no stages
    page = client.get(f"/elements/{bmap.system.id}/edit").get_data(as_text=True)
    assert "Spans" not in page


def test_the_board_shows_the_people_and_systems_it_reaches_with_their_links(
    client, world, login, bmap
):
    database = f.make_catalog(world.workspace, "system", "Stock database")
    team = f.make_catalog(world.workspace, "person", "Warehouse team")
    f.link(bmap.system, database, "uses")  # ERP uses the database: nothing relies on it directly
    f.link(team, bmap.system, "uses")  # the team is not reached from this blueprint
    f.commit()
    login(world.viewer)
    board = client.get(f"/blueprints/{bmap.blueprint.id}").get_data(as_text=True)
    row = board.split('<tr class="catalog-row">')[1].split("</tr>")[0]
    assert "Stock database" in row and "uses Stock database" in row
    assert "no step here relies on it directly" in row and "Service desk" in row
    assert "Warehouse team" not in row


def test_no_stage_may_be_called_star_since_the_workbook_reads_it_as_all_stages(
    client, world, login, bmap
):
    login(world.editor)
    response = client.post(f"/blueprints/{bmap.blueprint.id}/stages", data={"name": "*"})
    assert "* stands for all stages" in response.get_data(as_text=True)
    assert [s.name for s in services.ordered_stages(bmap.blueprint.id)] == ["Order", "Deliver"]
    rows = [("position", "name"), (1, "One"), (2, "*")]
    content = io.BytesIO()
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "Stages"
    for row in rows:
        wb.active.append(row)
    wb.save(content)
    try:
        workbook.parse(content.getvalue())
    except workbook.WorkbookProblems as exc:
        assert "Stages, row 3, column name: * stands for all stages" in str(exc)
    else:
        raise AssertionError("a stage called * was read")


def test_the_step_page_says_which_stages_it_covers(client, world, login):
    blueprint, stages, greet, policy = restaurant(world)
    login(world.viewer)
    page = client.get(f"/elements/{greet.id}").get_data(as_text=True)
    assert "Arrive to Order" in page
    assert "All stages (the whole journey)" in client.get(f"/elements/{policy.id}").get_data(
        as_text=True
    )


def test_deleting_a_stage_from_the_page_says_which_steps_reach_beyond_it_and_keeps_them(
    client, world, login
):
    blueprint, stages, greet, policy = restaurant(world)
    login(world.editor)
    page = client.get(f"/stages/{stages[0].id}/delete").get_data(as_text=True)
    assert "1 of them reaches beyond this stage" in page  # greet and seat
    response = client.post(f"/stages/{stages[0].id}/delete", data={"elements": "delete"})
    assert response.status_code == 302
    titles = set(db.session.scalars(select(Element.title).filter_by(blueprint_id=blueprint.id)))
    assert titles == {"Orders", "Greet and seat", "Food safety policy"}

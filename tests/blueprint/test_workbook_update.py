"""Update a blueprint from its own workbook: the preview lists exactly what was edited, apply
changes exactly those rows (all or nothing), insights and tasks stay, and workbooks from
elsewhere, conflicting or stale updates change nothing."""

from __future__ import annotations

import html
import re
from collections import Counter

from sqlalchemy import func, select

from accounts.audit import AuditEvent
from backlog.models import Insight, task_target
from blueprint import services, transfer, workbook
from blueprint.models import Element, Link, PendingBlueprintUpdate, ServiceBlueprint, Stage
from extensions import db
from tests import factories as f
from tests.helpers import cell, edit, preview, upload_update, words


def export(client, blueprint) -> bytes:
    response = client.get(f"/blueprints/{blueprint.id}/workbook.xlsx")
    assert response.status_code == 200
    return response.data


def append(wb, sheet: str, **values) -> None:
    """A new row, by column name, as someone typing it would add it."""
    ws = wb[sheet]
    header = [c.value for c in ws[1]]
    ws.append([values.get(h) for h in header])


def delete_row(wb, sheet: str, key: str) -> None:
    ws = wb[sheet]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == key:
            ws.delete_rows(row[0].row)
            return
    raise KeyError(key)


def apply(client, url: str, token: str):
    return client.post(url + "/apply", data={"token": token})


def snapshot(workspace_id: int):
    """Every row of the workspace's blueprints and catalog, with its version."""
    return {
        model.__tablename__: sorted(
            db.session.execute(
                select(model.id, model.version).where(model.workspace_id == workspace_id)
            ).all()
        )
        for model in (ServiceBlueprint, Stage, Element, Link, Insight)
    }


def test_an_unchanged_export_previews_no_changes(client, world, login, bmap):
    login(world.editor)
    board = client.get(f"/blueprints/{bmap.blueprint.id}").get_data(as_text=True)
    assert "Update from workbook" in board
    before = snapshot(world.workspace.id)
    url, page, token = preview(client, bmap.blueprint, export(client, bmap.blueprint))
    assert "0 changes." in words(page) and "The workbook changes nothing." in page
    assert re.search(r'<button[^>]*type="submit" disabled>Apply all changes', page)
    assert snapshot(world.workspace.id) == before


def test_the_preview_lists_exactly_the_edits_and_apply_changes_exactly_those_rows(
    client, world, login, bmap
):
    at_removed = f.make_insight(world.workspace, "Stock is often wrong", bmap.backoffice)
    at_buyer = f.make_insight(world.workspace, "Ordering is slow", bmap.buyer)
    task = f.make_task(world.workspace, "Fix stock", targets=[bmap.backoffice, bmap.desk])
    f.commit()
    removed_id = bmap.backoffice.id
    login(world.editor)

    def change(wb):
        cell(wb, "Elements", "S1-C-1", "title").value = "Places order online"
        cell(wb, "Elements", "S1-F-1", "stage").value = "Deliver"
        delete_row(wb, "Elements", "S2-B-1")
        append(wb, "Elements", key="NEW", kind="backstage", stage="Order", title="Check credit")
        append(wb, "Links", source="NEW", target="Y1", kind="uses")

    before = snapshot(world.workspace.id)
    url, page, token = preview(client, bmap.blueprint, edit(export(client, bmap.blueprint), change))
    text = words(page)
    assert "5 changes." in text
    assert "added Check credit (row 4)" in text  # the deleted row 4 made room
    assert "changed Places order (row 2) title: Places order → Places order online" in text
    assert "changed Desk confirms (row 3) stage: Order → Deliver" in text
    assert "removed Allocate stock Detaches:" in text
    assert "insight “Stock is often wrong” stays on the blueprint, without a step" in text
    assert "task “Fix stock” no longer targets it" in text
    assert "added Check credit uses ERP (row 5)" in text
    assert "Ordering is slow" not in text and "problem" not in text.lower()
    assert snapshot(world.workspace.id) == before  # a preview writes nothing

    since = db.session.scalar(select(func.max(AuditEvent.id)))
    response = apply(client, url, token)
    assert response.status_code == 303
    assert "5 changes" in client.get(response.location).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Element, bmap.buyer.id).title == "Places order online"
    assert db.session.get(Element, bmap.desk.id).stage_id == bmap.stages[1].id
    assert db.session.get(Element, removed_id) is None
    new = db.session.scalars(select(Element).filter_by(title="Check credit")).one()
    assert (new.stage_id, new.kind.value) == (bmap.stages[0].id, "backstage")
    assert db.session.scalar(
        select(func.count()).select_from(Link).filter_by(source_id=new.id, target_id=bmap.system.id)
    )
    # insights and tasks stay; the ones at the remaining steps stay attached
    detached = db.session.get(Insight, at_removed.id)
    assert (detached.element_id, detached.blueprint_id) == (None, bmap.blueprint.id)
    assert db.session.get(Insight, at_buyer.id).element_id == bmap.buyer.id
    targets = db.session.scalars(select(task_target.c.element_id).filter_by(task_id=task.id))
    assert list(targets) == [bmap.desk.id]
    # nothing else was touched: the stages, catalog and the other links keep their versions
    after = snapshot(world.workspace.id)
    assert after["stage"] == before["stage"]
    assert after["link"][:3] == before["link"][:3]
    assert db.session.get(Element, bmap.person.id).version == 1
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.id > since)).all()
    assert Counter((e.action, e.entity) for e in events) == {
        ("update", "element"): 2,  # the title and the stage
        ("create", "element"): 1,
        ("delete", "element"): 1,
        ("create", "link"): 1,
        ("update", "insight"): 1,  # detached
        ("update", "improvement_task"): 1,  # loses a target
    }
    assert all(e.user_id == world.editor.id for e in events)
    # and the new export is the new state: uploading it changes nothing
    assert "0 changes." in words(preview(client, bmap.blueprint, export(client, bmap.blueprint))[1])


def test_stages_renamed_added_removed_and_reordered_are_listed_and_applied(
    client, world, login, bmap
):
    third = services.add_stage(bmap.blueprint, "Invoice").id
    f.commit()
    login(world.editor)

    def change(wb):
        ws = wb["Stages"]
        ws["B2"] = "Ordering"  # rename Order
        ws["A2"], ws["A3"] = 2, 1  # Deliver before Ordering
        ws.delete_rows(4)  # Invoice, empty
        ws.append([3, "Pay"])
        for row in wb["Elements"].iter_rows(min_row=2):
            if row[2].value == "Order":
                row[2].value = "Ordering"

    url, page, token = preview(client, bmap.blueprint, edit(export(client, bmap.blueprint), change))
    text = words(page)
    assert "changed Order (row 2) name: Order → Ordering" in text
    assert "added Pay" in text and "removed Invoice" in text
    assert "Order of the stages: Order, Deliver → Deliver, Order" in text
    assert "Steps" not in text  # the steps only follow their stage's new name
    assert apply(client, url, token).status_code == 303
    names = [s.name for s in services.ordered_stages(bmap.blueprint.id)]
    assert names == ["Deliver", "Ordering", "Pay"]
    assert db.session.get(Stage, third) is None
    assert db.session.get(Element, bmap.buyer.id).stage_id == bmap.stages[0].id


def test_a_workbook_from_another_blueprint_or_without_an_id_is_refused(client, world, login, bmap):
    other, _ = f.make_blueprint(world.workspace, "Returns", ("Return",))
    f.commit()
    login(world.editor)
    for content, message in (
        (export(client, other), "exported from another blueprint"),
        (client.get("/blueprints/template.xlsx").data, "carries no blueprint id"),
    ):
        response = upload_update(client, bmap.blueprint, content)
        assert response.status_code == 422
        page = html.unescape(response.get_data(as_text=True))
        assert message in page and "invalid-feedback" in page
    assert db.session.scalar(select(func.count()).select_from(PendingBlueprintUpdate)) == 0


def test_an_edit_made_since_the_export_is_a_conflict_and_nothing_is_applied(
    client, world, login, bmap
):
    login(world.editor)
    content = export(client, bmap.blueprint)
    services.update_element(bmap.buyer, {"title": "Places order (edited in Rootline)"})
    services.update_element(bmap.backoffice, {"title": "Allocate stock (edited)"})
    added_since = f.make_element(bmap.stages[1], "support", "Added in Rootline")
    f.commit()

    def change(wb):
        cell(wb, "Elements", "S1-C-1", "title").value = "Places order from the workbook"
        cell(wb, "Elements", "S1-F-1", "title").value = "Desk checks"
        delete_row(wb, "Elements", "S2-B-1")

    before = snapshot(world.workspace.id)
    url, page, token = preview(client, bmap.blueprint, edit(content, change))
    text = words(page)
    assert "Elements, row 2, column version: Places order (edited in Rootline) was changed in " \
        "Rootline since the export (conflict)" in text  # fmt: skip
    assert "Allocate stock (edited) (id " in text and "the workbook removes it (conflict)" in text
    assert "Kept, because they were added in Rootline after the workbook was downloaded: " \
        "step Added in Rootline" in text  # fmt: skip
    assert re.search(r'<button[^>]*type="submit" disabled>Apply all changes', page)
    response = apply(client, url, token)
    assert response.status_code == 422
    assert snapshot(world.workspace.id) == before  # not even the desk's clean edit
    assert db.session.get(Element, added_since.id) is not None


def test_a_stale_preview_changes_nothing_and_says_so(client, world, login, bmap):
    login(world.editor)

    def change(wb):
        cell(wb, "Elements", "S1-C-1", "title").value = "Places order online"

    url, _, token = preview(client, bmap.blueprint, edit(export(client, bmap.blueprint), change))
    added = f.make_element(bmap.stages[1], "support", "Added after the preview").id
    f.commit()  # someone else, after the preview
    before = snapshot(world.workspace.id)
    response = apply(client, url, token)
    assert response.status_code == 409
    assert "nothing was changed" in html.unescape(response.get_data(as_text=True))
    assert snapshot(world.workspace.id) == before
    fresh = re.search(r'name="token" value="([^"]*)"', response.get_data(as_text=True)).group(1)
    assert apply(client, url, fresh).status_code == 303
    assert db.session.get(Element, bmap.buyer.id).title == "Places order online"
    assert db.session.get(Element, added) is not None  # not in the workbook, and kept


def test_one_bad_row_stops_the_whole_update(client, world, login, bmap):
    login(world.editor)

    def change(wb):
        cell(wb, "Elements", "S1-C-1", "title").value = "Places order online"
        cell(wb, "Elements", "S2-B-1", "id").value = bmap.foreign.id  # not this blueprint's
        cell(wb, "Stages", 2, "id").value = 999_999  # the position column holds 2: Deliver

    before = snapshot(world.workspace.id)
    url, page, token = preview(client, bmap.blueprint, edit(export(client, bmap.blueprint), change))
    text = words(page)
    assert "2 problems" in text
    assert f"Elements, row 4, column id: {bmap.foreign.id} is not a step of this blueprint" in text
    assert "Stages, row 3, column id: 999999 is not a stage of this blueprint" in text
    assert apply(client, url, token).status_code == 422
    assert snapshot(world.workspace.id) == before

    def against_the_method(wb):
        cell(wb, "Elements", "S1-C-1", "title").value = "Places order online"
        append(wb, "Links", source="S1-C-1", target="Y1", kind="performed_by")  # a system?

    response = upload_update(
        client, bmap.blueprint, edit(export(client, bmap.blueprint), against_the_method)
    )
    assert response.status_code == 422  # refused next to the field, like any import
    page = html.unescape(response.get_data(as_text=True))
    assert "Links, row 5, column kind: 'performed by' links point at a person" in page
    assert snapshot(world.workspace.id) == before


def test_viewers_get_403_outsiders_404_and_uploads_are_their_uploaders(client, world, login, bmap):
    login(world.editor)
    url, _, token = preview(client, bmap.blueprint, export(client, bmap.blueprint))
    client.post("/logout")
    login(world.viewer)
    assert client.get(f"/blueprints/{bmap.blueprint.id}/update").status_code == 403
    assert upload_update(client, bmap.blueprint, b"PK").status_code == 403
    assert "Update from workbook" not in client.get(f"/blueprints/{bmap.blueprint.id}").text
    client.post("/logout")
    login(world.owner)  # another editor's upload is not theirs to see or apply
    assert client.get(url).status_code == 404
    assert apply(client, url, token).status_code == 404
    client.post("/logout")
    login(world.outsider)
    assert client.get(f"/blueprints/{bmap.blueprint.id}/update").status_code == 404
    assert client.get(url).status_code == 404


def test_cli_previews_and_applies_only_when_told(runner, world, bmap, tmp_path):
    path = tmp_path / "b.xlsx"
    content = workbook.build(transfer.export_data(bmap.blueprint))
    path.write_bytes(
        edit(content, lambda wb: setattr(cell(wb, "Elements", "S1-C-1", "title"), "value", "New"))
    )
    result = runner.invoke(args=["import-blueprint", str(path), "--into", str(bmap.blueprint.id)])
    assert result.exit_code == 0, result.output
    assert "1 change." in result.output and "title: 'Places order' → 'New'" in result.output
    assert "run again with --apply" in result.output
    assert db.session.get(Element, bmap.buyer.id).title == "Places order"
    args = ["import-blueprint", str(path), "--into", str(bmap.blueprint.id), "--apply"]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.get(Element, bmap.buyer.id).title == "New"
    other, _ = f.make_blueprint(world.workspace, "Returns", ("Return",))
    f.commit()
    result = runner.invoke(args=["import-blueprint", str(path), "--into", str(other.id)])
    assert result.exit_code != 0 and "exported from another blueprint" in result.output
    result = runner.invoke(args=["import-blueprint", str(path)])
    assert result.exit_code != 0 and "--workspace NAME" in result.output


def _lane_and_title_changed(bmap) -> bytes:
    def change(wb):
        cell(wb, "Elements", "S1-F-1", "kind").value = "backstage"
        cell(wb, "Elements", "S1-F-1", "title").value = "Desk checks"

    return edit(workbook.build(transfer.export_data(bmap.blueprint)), change)


def test_the_preview_names_changed_columns_and_codes_as_the_readers_workbook_does(
    client, world, login, bmap
):
    login(world.editor)
    content = _lane_and_title_changed(bmap)
    text = words(preview(client, bmap.blueprint, content)[1])
    assert "changed Desk confirms (row 3) kind: frontstage → backstage title: Desk" in text
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "pl"  # the same English workbook
    text = words(preview(client, bmap.blueprint, content)[1])
    assert "zmienione Desk confirms (wiersz 3) rodzaj: front → zaplecze tytuł: Desk" in text
    assert "kind:" not in text and "frontstage" not in text


def test_the_cli_preview_is_in_the_shells_language(runner, bmap, tmp_path, shell_language):
    path = tmp_path / "b.xlsx"
    path.write_bytes(_lane_and_title_changed(bmap))
    args = ["import-blueprint", str(path), "--into", str(bmap.blueprint.id)]
    shell_language("pl_PL.UTF-8")
    polish = runner.invoke(args=args)
    assert polish.exit_code == 0, polish.output
    assert "1 zmiana." in polish.output
    assert (
        "~ krok Desk confirms (rodzaj: 'front' → 'zaplecze'; tytuł: 'Desk confirms' → "
        "'Desk checks')" in polish.output
    )
    assert "uruchom ponownie z --apply" in polish.output
    shell_language("C")
    english = runner.invoke(args=args)
    assert "1 change." in english.output
    assert (
        "~ step Desk confirms (kind: 'frontstage' → 'backstage'; title: 'Desk confirms' → "
        "'Desk checks')" in english.output
    )


def key_of(wb, title: str) -> str:
    for row in wb["People and systems"].iter_rows(min_row=2, values_only=True):
        if row[2] == title:
            return row[0]
    raise KeyError(title)


def test_new_people_and_systems_are_created_and_their_own_links_are_never_removed(
    client, world, login, bmap
):
    database = f.make_catalog(world.workspace, "system", "Database")
    f.link(bmap.system, database)  # the catalog's own link: ERP relies on Database
    f.commit()
    login(world.editor)

    def change(wb):
        erp, db_key = key_of(wb, "ERP"), key_of(wb, "Database")
        ws = wb["Links"]
        for row in ws.iter_rows(min_row=2):
            if (row[0].value, row[1].value) == (erp, db_key):
                ws.delete_rows(row[0].row)
                break
        else:
            raise AssertionError("the catalog's link is in the workbook")
        append(wb, "People and systems", key="WH", kind="system", title="Warehouse app")
        append(wb, "Links", source="S2-B-1", target="WH", kind="uses")

    url, page, token = preview(client, bmap.blueprint, edit(export(client, bmap.blueprint), change))
    text = words(page)
    assert "2 changes." in text
    assert "new in catalog Warehouse app" in text
    assert "added Allocate stock uses Warehouse app" in text
    assert "link ERP relies on Database (the catalog's own)" in text
    assert apply(client, url, token).status_code == 303
    assert db.session.scalar(
        select(func.count()).select_from(Link).filter_by(target_id=database.id)
    )
    app_row = db.session.scalars(select(Element).filter_by(title="Warehouse app")).one()
    assert (app_row.kind.value, app_row.blueprint_id) == ("system", None)

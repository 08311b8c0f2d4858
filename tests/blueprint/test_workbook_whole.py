"""A real blueprint fits the workbook whole: spanning steps, a whole-journey support process,
a system nothing relies on directly and a system relying on a system come back from the
workbook (also after LibreOffice saved it) and from the workspace backup with nothing lost."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy import select

from backup.workspace import export_workspace, import_workspace
from blueprint import queries, transfer, workbook
from blueprint.models import Element, ServiceBlueprint
from extensions import db
from tests import factories as f
from tests.helpers import without_ids
from tests.libreoffice import convert, soffice


def published(world):
    blueprint, stages = f.make_blueprint(world.workspace, "Dinner", ("Arrive", "Order", "Pay"))
    walk = f.make_element(stages[0], "customer_action", "Walks in", emotion=1)
    order = f.make_element(stages[1], "customer_action", "Orders 🍝\nfrom the menu", emotion=-1)
    pay = f.make_element(stages[2], "customer_action", "=SUM(A1:A2)")
    greet = f.make_element(stages[0], "frontstage", "Greet and seat", end_stage_id=stages[1].id)
    f.make_element(stages[1], "frontstage", "Takes the order", channel="in_person")
    policy = f.make_element(stages[0], "support", "Food safety policy", all_stages=True)
    host = f.make_catalog(world.workspace, "person", "Host team")
    till = f.make_catalog(world.workspace, "system", "Till", evidence_status="observed")
    stock = f.make_catalog(world.workspace, "system", "Stock database", fail_point=True)
    f.link(walk, greet)
    f.link(order, greet)
    f.link(pay, till, "uses")
    f.link(greet, host, "performed_by")
    f.link(host, till, "uses")  # a team that uses a system
    f.link(till, stock, "uses")  # a system nothing relies on directly, behind a system
    f.link(greet, policy)
    f.link(walk, order, "next")
    f.commit()
    return blueprint


def sheets(content: bytes) -> dict[str, list[tuple]]:
    """The sheets without the database's ids and versions: a copy has its own."""
    wb = load_workbook(io.BytesIO(content))
    return without_ids({ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets})


def reimport(world, content: bytes) -> ServiceBlueprint:
    copy = transfer.import_data(world.workspace.id, workbook.parse(content))
    f.commit()
    return copy


def test_the_workbook_holds_the_whole_blueprint_and_comes_back_the_same(app, world):
    blueprint = published(world)
    first = workbook.build(transfer.export_data(blueprint))
    values = sheets(first)
    catalog = {row[2]: row for row in values["People and systems"][1:]}
    assert set(catalog) == {"Host team", "Till", "Stock database"}
    assert len(values["Links"]) - 1 == 8
    keys = {row[2]: row[0] for row in values["People and systems"][1:]}
    assert (keys["Till"], keys["Stock database"], "uses") in values["Links"]
    assert (keys["Host team"], keys["Till"], "uses") in values["Links"]

    copy = reimport(world, first)
    assert sheets(workbook.build(transfer.export_data(copy))) == values
    # matched to the catalog, not doubled, and the catalog's own links not doubled either
    assert len(db.session.scalars(select(Element).filter_by(title="Stock database")).all()) == 1
    reached, links = queries.reached_catalog(copy.id)
    assert {e.title for e in reached} == {"Host team", "Till", "Stock database"}


def test_the_workbook_survives_libreoffice_unchanged(app, world, tmp_path):
    soffice()
    blueprint = published(world)
    first = workbook.build(transfer.export_data(blueprint))
    saved = convert(first, tmp_path, name="dinner.xlsx")
    copy = reimport(world, saved)
    assert sheets(workbook.build(transfer.export_data(copy))) == sheets(first)


def test_the_workspace_backup_keeps_it_whole_too(app, world):
    blueprint = published(world)
    before = sheets(workbook.build(transfer.export_data(blueprint)))
    restored = import_workspace(export_workspace(world.workspace), name="Restored")
    f.commit()
    copy = db.session.execute(
        select(ServiceBlueprint).filter_by(workspace_id=restored.id)
    ).scalar_one()
    assert sheets(workbook.build(transfer.export_data(copy))) == before

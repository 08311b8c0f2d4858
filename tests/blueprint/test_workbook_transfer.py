"""Blueprint workbooks: the round trip, and hostile or broken uploads refused with a
message that names sheet, row and column — with nothing half-written."""

import html
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import event, func, select

from blueprint import transfer, workbook
from blueprint.models import Element, Link, ServiceBlueprint
from devsupport.synthetic import build_blueprint
from extensions import db
from tests import factories as f
from tests.helpers import element_row, import_workbook, valid_sheets, without_ids


def sheets(content: bytes) -> dict[str, list[tuple]]:
    wb = load_workbook(io.BytesIO(content))
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}


def count(model, **where):
    return db.session.scalar(select(func.count()).select_from(model).filter_by(**where))


def rich_map(world, bmap):
    bmap.buyer.emotion, bmap.buyer.channel, bmap.buyer.moment_of_truth = -2, "web", True
    bmap.desk.duration_minutes, bmap.desk.tolerance_minutes = 30, 10
    bmap.desk.evidence_source, bmap.desk.evidence_status = "interview", "observed"
    f.make_element(bmap.stages[0], "customer_action", "=cmd|' /C calc'!A0")
    f.link(bmap.buyer, bmap.backoffice, "next")
    f.commit()


def test_export_import_export_gives_the_same_sheets(client, world, login, bmap):
    rich_map(world, bmap)
    login(world.editor)
    first = client.get(f"/blueprints/{bmap.blueprint.id}/workbook.xlsx")
    assert first.status_code == 200 and first.mimetype.endswith("spreadsheetml.sheet")
    response = client.post(
        "/blueprints/import",
        data={"file": (io.BytesIO(first.data), "map.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    copy = (
        db.session.execute(select(ServiceBlueprint).order_by(ServiceBlueprint.id.desc()))
        .scalars()
        .first()
    )
    assert copy.id != bmap.blueprint.id
    second = client.get(f"/blueprints/{copy.id}/workbook.xlsx")
    assert without_ids(sheets(second.data)) == without_ids(sheets(first.data))
    assert sheets(second.data)["Blueprint"][-2:] == [("id", copy.id), ("version", copy.version)]
    # people and systems were matched to the catalog, not duplicated
    assert count(Element, kind="person") == 1 and count(Element, kind="system") == 1
    data = sheets(first.data)
    assert data["Board"][0] == ("Lane \\ Stage", "Order", "Deliver")
    assert "=cmd|' /C calc'!A0" in str(data["Elements"])
    wb = load_workbook(io.BytesIO(first.data))
    assert not [
        c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.data_type == "f"
    ]


def test_cli_export_and_import(runner, world, bmap, tmp_path):
    out = tmp_path / "b.xlsx"
    assert (
        runner.invoke(
            args=["export-blueprint", str(bmap.blueprint.id), "--out", str(out)]
        ).exit_code
        == 0
    )
    result = runner.invoke(args=["import-blueprint", str(out), "--workspace", "Elsewhere Ltd"])
    assert result.exit_code == 0, result.output
    other = db.session.execute(
        select(ServiceBlueprint).filter_by(
            workspace_id=world.other_workspace.id, name="Order to cash"
        )
    ).scalar_one()
    assert count(Element, blueprint_id=other.id) == 3
    # the catalog of the other workspace got its own person and system
    assert count(Element, workspace_id=world.other_workspace.id, kind="person") == 1


def _workbook_bytes(**sheets_rows) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets_rows.items():
        ws = wb.create_sheet(title.replace("_", " "))
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_valid_crafted_workbook_imports(client, world, login):
    login(world.editor)
    assert import_workbook(client, _workbook_bytes(**valid_sheets())).status_code == 302
    assert count(ServiceBlueprint, name="Imported") == 1


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"Links": None}, "Links: the sheet is missing"),
        ({"Stages": [("position",), (1,)]}, "Stages, row 1: missing column(s): name"),
        (
            {
                "Elements": [
                    workbook.ELEMENT_COLUMNS,
                    element_row(
                        key="K", kind="customer_action", stage="Nope", position=1, title="Step"
                    ),
                ]
            },
            "Elements, row 2, column stage: no stage is called 'Nope'",
        ),
        (
            {
                "Elements": [
                    workbook.ELEMENT_COLUMNS,
                    element_row(
                        key="K", kind="backstage", stage="One", position=1, title="Step", emotion=3
                    ),
                ]
            },
            "Elements, row 2, column emotion: 3 is outside -2..2",
        ),
        (
            {
                "Elements": [
                    workbook.ELEMENT_COLUMNS,
                    element_row(key="K", kind="robot", stage="One", position="x", title=""),
                ]
            },
            "Elements, row 2, column kind: 'robot' is not one of",
        ),
        (
            {"Links": [workbook.LINK_COLUMNS, ("S1-C-1", "ZZ", "uses")]},
            "Links, row 2, column target: no element has key 'ZZ'",
        ),
        (
            {"Links": [workbook.LINK_COLUMNS, ("S1-C-1", "S1-C-1", "relies_on")]},
            "Links, row 2, column target: a step cannot be linked to itself",
        ),
        ({"Blueprint": [("field", "value"), ("name", "")]}, "the name is required"),
    ],
)
def test_bad_workbooks_name_sheet_row_and_column_and_write_nothing(
    client, world, login, overrides, message
):
    login(world.editor)
    sheets_rows = {k: v for k, v in valid_sheets(**overrides).items() if v is not None}
    response = import_workbook(client, _workbook_bytes(**sheets_rows))
    assert response.status_code == 422
    assert message in html.unescape(response.get_data(as_text=True))
    assert count(ServiceBlueprint) == 0 and count(Element) == 0


def test_upload_errors_are_shown_next_to_the_field(client, world, login):
    login(world.editor)
    response = import_workbook(client, b"name,goal\n", "renamed.xlsx")
    assert response.status_code == 422
    assert "not an .xlsx workbook" in response.get_data(as_text=True)
    assert "invalid-feedback" in response.get_data(as_text=True)
    missing = client.post("/blueprints/import", data={}, content_type="multipart/form-data")
    assert missing.status_code == 422 and "Choose a workbook" in missing.get_data(as_text=True)


def test_too_large_upload_is_a_friendly_413(make_app, world):
    app = make_app(MAX_CONTENT_LENGTH=1024)
    client = app.test_client()
    client.post("/login", data={"email": world.editor.email, "password": f.PASSWORD})
    response = client.post(
        "/blueprints/import",
        data={"file": (io.BytesIO(b"x" * 5000), "big.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert "larger than Rootline accepts" in response.get_data(as_text=True)


def test_transfer_export_data_keys_are_stable(app, world, bmap):
    data = transfer.export_data(bmap.blueprint)
    assert [e["key"] for e in data.elements] == ["S1-C-1", "S1-F-1", "S2-B-1"]
    assert [c["key"] for c in data.catalog] == ["P1", "Y1"]
    assert ("S1-F-1", "P1", "performed_by") in data.links


def test_people_and_personas_beyond_ascii_are_matched_not_duplicated(client, world, login, bmap):
    bmap.person.title = "Équipe logistique"
    bmap.system.title = "Übersicht ERP"
    f.commit()
    login(world.editor)
    content = client.get(f"/blueprints/{bmap.blueprint.id}/workbook.xlsx").data
    for _ in range(2):
        response = client.post(
            "/blueprints/import",
            data={"file": (io.BytesIO(content), "map.xlsx")},
            content_type="multipart/form-data",
        )
        assert response.status_code == 302
    assert count(Element, title="Équipe logistique") == 1
    assert count(Element, title="Übersicht ERP") == 1


@pytest.mark.parametrize("into", ["workspace", "other_workspace"])
def test_import_runs_the_same_number_of_queries_for_ten_times_the_rows(world, into):
    """Into its own workspace its people and systems are found; into another, created."""
    target = getattr(world, into)
    counts = {}
    for n in (20, 200):
        source = build_blueprint(
            world.workspace.id, elements=n, links=3 * n, catalog=n // 4, seed=n
        )
        f.commit()
        data = transfer.export_data(source)
        rows = len(data.catalog) + len(data.elements) + len(data.links)
        statements = []

        def record(conn, cursor, statement, *args, statements=statements):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            copy = transfer.import_data(target.id, data)
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        assert count(Element, blueprint_id=copy.id) == n
        assert count(Link, workspace_id=target.id) >= len(data.links)
        counts[n] = (len(statements), rows)
        db.session.rollback()
    (small, small_rows), (large, large_rows) = counts[20], counts[200]
    assert large_rows >= 9 * small_rows  # ten times the rows…
    assert large == small  # …the same queries

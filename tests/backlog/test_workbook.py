"""The action-plan workbook: sheets, order, real dates, live score formulas, validation,
filters, the CLI, hostile text, and LibreOffice computing the same scores as the app."""

import csv
import io
import shutil
import subprocess
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from backlog.queries import task_rows
from backlog.scoring import format_score
from backlog.workbook import ActionPlan, PlanRow, build_action_plan
from tests import factories as f
from tests.libreoffice import convert, soffice

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def make_backlog(world, bmap):
    insight = f.make_insight(
        world.workspace, "Never confirmed", bmap.buyer, severity=4, frequency=5
    )
    f.make_task(
        world.workspace,
        "Best",
        insights=[insight],
        targets=[bmap.desk],
        impact=5,
        effort=1,
        status="planned",
        owner_id=world.editor.id,
        team="Ops",
        due_on=date(2026, 1, 15),
        horizon="quick_win",
    )
    f.make_task(
        world.workspace,
        "Middle",
        impact=3,
        effort=2,
        status="done",
        reach=100,
        rice_impact=2,
        confidence=0.5,
        effort_months=2,
    )
    f.make_task(
        world.workspace,
        "Last",
        impact=1,
        effort=4,
        status="idea",
        reach=1000,
        rice_impact=3,
        confidence=1,
        effort_months=3,
    )
    f.commit()


def download(client, url="/backlog/export.xlsx"):
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == XLSX
    assert "attachment" in response.headers["Content-Disposition"]
    return response.data


def test_action_plan_workbook(client, world, login, bmap):
    make_backlog(world, bmap)
    login(world.viewer)
    wb = load_workbook(io.BytesIO(download(client)))
    assert wb.sheetnames == ["Action plan", "Lists", "Insights", "Root causes", "Matrix", "About"]
    assert wb["Lists"].sheet_state == "hidden"
    ws = wb["Action plan"]
    rows = list(ws.iter_rows(values_only=True))
    header = rows[0]
    assert header[:11] == (
        "Rank",
        "Task",
        "Status",
        "Owner",
        "Team",
        "Due",
        "Horizon",
        "MoSCoW",
        "Quadrant",
        "Impact",
        "Effort",
    )
    # every framework's inputs are there, with the description and the pin
    assert {"RICE reach", "ICE ease", "Job size", "Description", "Pinned"} <= set(header)
    assert [r[1] for r in rows[1:]] == ["Best", "Middle", "Last"]
    best = dict(zip(header, rows[1], strict=True))
    assert best["Owner"] == "Ed Editor" and best["Status"] == "Planned"
    assert best["Quadrant"] == "Quick win" and best["Pain addressed"] == 20
    assert best["Insights addressed"] == "Never confirmed"
    assert best["Blueprint elements"] == "Desk confirms"
    assert ws["F2"].is_date and ws["F2"].value.date() == date(2026, 1, 15)
    assert ws["L1"].value == "Score"
    assert ws["L2"].value == "=J2/K2"  # the score is a live formula over the inputs
    assert ws.freeze_panes == "C2"
    assert "ActionPlan" in ws.tables
    validations = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    assert validations == {
        "C2:C4": "Lists!$A$1:$A$5",
        "G2:G4": "Lists!$B$1:$B$3",
        "H2:H4": "Lists!$C$1:$C$4",
    }
    assert len(ws.conditional_formatting) == 2
    assert wb["Matrix"]._charts  # the native scatter chart
    about = dict(wb["About"].iter_rows(values_only=True))
    assert about["Workspace"] == "Acme Support" and about["Framework"] == "Value ÷ effort"
    insights = list(wb["Insights"].iter_rows(values_only=True))
    assert insights[1][:3] == ("Pain point", "Never confirmed", "Order to cash")
    causes = list(wb["Root causes"].iter_rows(values_only=True))
    assert causes[0][:2] == ("Rank", "Cause") and len(causes) > 1


def test_export_respects_filters_and_framework(client, world, login, bmap):
    make_backlog(world, bmap)
    login(world.viewer)
    wb = load_workbook(io.BytesIO(download(client, "/backlog/export.xlsx?status=done")))
    titles = [r[1] for r in wb["Action plan"].iter_rows(min_row=2, values_only=True)]
    assert titles == ["Middle"]
    about = dict(wb["About"].iter_rows(values_only=True))
    assert "Status: done" in about["Filters"]
    rice = load_workbook(io.BytesIO(download(client, "/backlog/export.xlsx?framework=rice")))
    ws = rice["Action plan"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][11:15] == (
        "RICE reach",
        "RICE impact",
        "RICE confidence",
        "RICE effort (person-months)",
    )
    assert [r[1] for r in rows[1:]] == ["Last", "Middle", "Best"]
    assert rows[3][0] is None  # "Best" has no RICE inputs: unscored, no rank
    assert rows[0][15] == "Score"
    assert ws["P2"].value == "=L2*M2*N2/O2"
    assert ws["P4"].value is None


def test_export_plan_cli(runner, world, bmap, tmp_path):
    make_backlog(world, bmap)
    out = tmp_path / "plan.xlsx"
    result = runner.invoke(
        args=[
            "export-plan",
            "--workspace",
            "Acme Support",
            "--out",
            str(out),
            "--framework",
            "rice",
        ]
    )
    assert result.exit_code == 0, result.output
    wb = load_workbook(out)
    assert dict(wb["About"].iter_rows(values_only=True))["Framework"] == "RICE"
    missing = runner.invoke(args=["export-plan", "--workspace", "Nope", "--out", str(out)])
    assert missing.exit_code != 0 and "No workspace" in missing.output


HOSTILE = st.one_of(
    st.sampled_from(
        [
            "=1+1",
            "+SUM(A1)",
            "-2+3",
            "@cmd",
            "\t=1",
            "\r=1",
            "\n=1",
            "＝1+1",
            '=HYPERLINK("http://x")',
            "=cmd|' /C calc'!A0",
        ]
    ),
    st.text(alphabet=st.sampled_from("=+-@\t\r\n＝ABC1(),!|'\" "), min_size=1, max_size=20),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(HOSTILE, HOSTILE, HOSTILE, HOSTILE), min_size=1, max_size=5))
def test_no_user_text_ever_becomes_a_formula(texts):
    rows = [
        PlanRow(
            rank=i,
            title=a,
            status="Idea",
            owner=b,
            team=c,
            due=None,
            horizon="",
            quadrant="Quick win",
            impact=3,
            effort=2,
            inputs=[None] * 11,
            score=1.5,
            pain=0,
            insights=d,
            elements=a,
            moscow=b,
            description=c + d,
        )
        for i, (a, b, c, d) in enumerate(texts, start=1)
    ]
    plan = ActionPlan(
        workspace=texts[0][0],
        framework="value_effort",
        rows=rows,
        insights=[[t[0], t[1], t[2], t[3], "", 1, 1, "", t[0], t[1]] for t in texts],
        causes=[[1, texts[0][1], "system", texts[0][2], 1, 1, 1, 1]],
        filters=texts[0][3],
        statuses=["Idea"],
        horizons=["Quick win"],
    )
    wb = load_workbook(io.BytesIO(build_action_plan(plan)))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    assert ws.title == "Action plan" and cell.column_letter == "L", (
                        ws.title,
                        cell.coordinate,
                        cell.value,
                    )
                    assert cell.value == f"=J{cell.row}/K{cell.row}"
    scores = [r[11] for r in wb["Action plan"].iter_rows(min_row=2)]
    assert [c.data_type for c in scores] == ["f"] * len(texts)  # the app's own formula stays
    texts_back = [r[1] for r in wb["Action plan"].iter_rows(min_row=2, values_only=True)]
    # kept as text; XML turns a carriage return into a line feed, nothing else changes
    assert texts_back == [t[0].replace("\r\n", "\n").replace("\r", "\n") for t in texts]
    ws = wb["Action plan"]
    header = [c.value for c in ws[1]]
    lf = lambda t: t.replace("\r\n", "\n").replace("\r", "\n")  # noqa: E731
    for number, t in enumerate(texts, start=2):
        assert ws.cell(number, header.index("MoSCoW") + 1).value == lf(t[1])
        assert ws.cell(number, header.index("Description") + 1).value == lf(t[2] + t[3])
    matrix = [r[1] for r in wb["Matrix"].iter_rows(min_row=4, max_col=2, values_only=True)]
    assert matrix[: len(texts)] == [lf(t[0]) for t in texts]  # titles there as text too


@pytest.mark.libreoffice
def test_libreoffice_opens_the_workbook_and_computes_the_same_scores(
    client, world, login, bmap, tmp_path
):
    soffice()
    make_backlog(world, bmap)
    login(world.viewer)
    for framework in ("value_effort", "rice"):
        path = tmp_path / f"plan-{framework}.xlsx"
        path.write_bytes(download(client, f"/backlog/export.xlsx?framework={framework}"))
        text = convert(
            path.read_bytes(),
            tmp_path,
            to="csv:Text - txt - csv (StarCalc):44,34,76",
            name=path.name,
        ).decode("utf-8")
        rows = list(csv.reader(io.StringIO(text, newline=None)))  # newlines read as open() does
        score_col = rows[0].index("Score")
        wb = load_workbook(path)
        ranked, unscored = task_rows(world.workspace.id, framework, 3)
        expected = {r.task.title: format_score(r.score) for r in ranked}
        computed = {row[1]: row[score_col] for row in rows[1:] if row[score_col]}
        assert computed == expected, framework
        assert wb["Action plan"].max_row == len(ranked) + len(unscored) + 1


def test_export_streams_in_chunks_and_keeps_the_backlogs_order(client, world, login, monkeypatch):
    """Tasks stream from the one ordering query and are written chunk by chunk, their
    insights' and elements' names fetched per chunk: the workbook has the backlog's order
    and the statements grow with the chunks, never one per task."""
    from sqlalchemy import event

    from backlog import export
    from devsupport.synthetic import build_backlog, build_blueprint
    from extensions import db

    build_blueprint(world.workspace.id, elements=40, links=80, seed=5)
    build_backlog(world.workspace.id, tasks=130, insights=60, seed=4)
    f.commit()
    monkeypatch.setattr(export, "CHUNK", 50)
    login(world.viewer)
    statements = []

    def record(conn, cursor, statement, *args):
        if ".task_id IN" in statement.replace('"', ""):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        content = download(client, "/backlog/export.xlsx?framework=rice")
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    # 130 tasks in chunks of 50: each chunk's insight names and element names
    assert len(statements) == 3 * 2
    ranked, unscored = task_rows(world.workspace.id, "rice", 3)
    ws = load_workbook(io.BytesIO(content))["Action plan"]
    header = [c.value for c in ws[1]]
    ids = [r[header.index("Task ID")] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert ids == [r.task.id for r in (*ranked, *unscored)]
    ranks = [r[0] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert ranks == [*range(1, len(ranked) + 1), *[None] * len(unscored)]
    assert unscored  # the synthetic backlog leaves some tasks without RICE inputs


def test_empty_text_is_a_blank_cell(world, bmap):
    row = PlanRow(
        1, "Task", "Idea", "", "", None, "", "Quick win", 4, 2, [None] * 11, 2.0, 0, "", ""
    )
    wb = load_workbook(
        io.BytesIO(build_action_plan(ActionPlan("W", "value_effort", [row], statuses=["Idea"])))
    )
    ws = wb["Action plan"]
    assert ws["D2"].value is None and ws["D2"].data_type == "n"  # no empty-string cell
    assert ws["B2"].value == "Task"


def test_matrix_points_are_labelled_with_the_backlog_rank(client, world, login, bmap):
    """Each point of the Matrix chart carries the task's rank from the Action plan sheet;
    tasks on the same spot are drawn apart; the quadrants are named and split by guides."""
    import re
    import zipfile

    make_backlog(world, bmap)
    f.make_task(world.workspace, "Twin of Middle", impact=3, effort=2)
    f.commit()
    login(world.viewer)
    content = download(client)
    wb = load_workbook(io.BytesIO(content))
    ranks = [str(r[0]) for r in wb["Action plan"].iter_rows(min_row=2, values_only=True)]
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        chart = archive.read("xl/charts/chart1.xml").decode()
    tasks, quadrants = chart.split("<tx><v>Quadrants</v></tx>")[:2]
    labels = re.findall(r"<dLbl><idx val=\"\d+\" /><tx><rich>.*?<a:t>([^<]*)</a:t>", tasks)
    assert labels == ranks
    assert re.findall(r"<a:t>([^<]*)</a:t>", quadrants)[:4] == [
        "Quick win",
        "Major project",
        "Fill-in",
        "Thankless task",
    ]
    assert chart.count("<tx><v>Threshold</v></tx>") == 2
    rows = list(wb["Matrix"].iter_rows(min_row=4, max_col=6, values_only=True))
    spots = {(x, y) for *_, x, y in rows if x is not None}
    assert len(spots) == len(ranks)  # "Middle" and its twin share a spot, drawn apart


def test_the_action_plan_sheet_is_set_up_to_print(client, world, login, bmap):
    make_backlog(world, bmap)
    login(world.viewer)
    ws = load_workbook(io.BytesIO(download(client, "/backlog/export.xlsx?framework=rice")))[
        "Action plan"
    ]
    header = [c.value for c in ws[1]]
    last = ws.cell(1, header.index("Blueprint elements") + 1).column_letter
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    assert ws.print_title_rows == "$1:$1"
    assert ws.print_area == f"'Action plan'!$A$1:${last}$4"
    assert ws["B2"].alignment.wrap_text and ws["B1"].alignment.wrap_text


@pytest.mark.libreoffice
def test_libreoffice_prints_the_demos_plan_one_page_wide(client, app, tmp_path):
    soffice()
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    from demo import DEMO_PASSWORD, seed_demo

    seed_demo()
    f.commit()
    client.post("/login", data={"email": "demo@example.com", "password": DEMO_PASSWORD})
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(convert(download(client), tmp_path, to="pdf", name="plan.xlsx"))
    first = subprocess.run(
        [pdftotext, "-f", "1", "-l", "1", "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    # every printed column on the first page (one page wide), the ids left off
    for title in ("Rank", "Task", "Owner", "Due", "MoSCoW", "Score", "Blueprint elements"):
        assert title in first, title
    assert "Task ID" not in first and "Description" not in first
    assert "Real-time stock events from WMS to" in first  # the top task, wrapped

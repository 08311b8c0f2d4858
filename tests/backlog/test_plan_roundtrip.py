"""Round trips of the action plan: an export uploaded again unchanged changes nothing and
has no problem, for generated workspaces with every field set, under every framework, in
either language and across them (exported in Polish, read by an English user, and back)."""

import io
import uuid
from datetime import date, datetime

import pytest
from flask_babel import force_locale
from hypothesis import HealthCheck, given, settings
from openpyxl import load_workbook
from sqlalchemy import select

from accounts.models import Workspace
from backlog import updates
from backlog.export import action_plan_bytes
from backlog.models import ImprovementTask
from backlog.scoring import FRAMEWORKS
from demo import DEMO_WORKSPACE, seed_demo
from extensions import db
from tests import roundtrip
from tests.libreoffice import convert, soffice
from web.workbook_words import workbook_words

PROPERTY = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # each example rolls its rows back
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


# (the exporter's language, the reader's)
LANGUAGES = pytest.mark.parametrize(
    "exporter, reader", [("en", "en"), ("pl", "pl"), ("pl", "en"), ("en", "pl")]
)


def export(workspace, framework: str, language: str = "en") -> bytes:
    return action_plan_bytes(workspace, framework, words=workbook_words(language))


def reimport(workspace, content: bytes, reader: str = "en") -> updates.Preview:
    """Read `content` as the upload does and preview it, through the kept JSON rows, as a
    user of the `reader` language."""
    with force_locale(reader):
        rows, problems = updates.read_rows(content)
        assert problems == []
        return updates.preview(workspace.id, updates.from_payload(updates.to_payload(rows)))


@LANGUAGES
@PROPERTY
@given(spec=roundtrip.workspaces())
def test_an_unchanged_action_plan_imports_as_no_change(app, spec, exporter, reader):
    try:
        workspace = roundtrip.build(spec)
        for framework in sorted(FRAMEWORKS):
            result = reimport(workspace, export(workspace, framework, exporter), reader)
            assert [str(p) for p in result.problems] == [], framework
            assert [(c.task.title, c.changes) for c in result.changes] == [], framework
            assert result.rows == len(spec.tasks)
    finally:
        db.session.rollback()


@LANGUAGES
@pytest.mark.libreoffice
@settings(PROPERTY, max_examples=3, derandomize=True)
@given(spec=roundtrip.workspaces(max_tasks=6))
def test_an_action_plan_saved_by_libreoffice_imports_as_no_change(
    app, tmp_path, spec, exporter, reader
):
    soffice()
    try:
        workspace = roundtrip.build(spec)
        content = export(workspace, spec.framework, exporter)
        saved = convert(content, tmp_path / uuid.uuid4().hex[:8], name="plan.xlsx")
        result = reimport(workspace, saved, reader)
        assert [str(p) for p in result.problems] == []
        assert [(c.task.title, c.changes) for c in result.changes] == []
        assert result.rows == len(spec.tasks)
    finally:
        db.session.rollback()


def _cells(content: bytes) -> tuple:
    wb = load_workbook(io.BytesIO(content))
    ws = wb["Action plan"]
    header = [c.value for c in ws[1]]
    return wb, ws, {h: i + 1 for i, h in enumerate(header)}


@pytest.mark.libreoffice
def test_the_demos_plan_saved_by_libreoffice_then_edited_lists_exactly_the_edits(app, tmp_path):
    seed_demo()
    db.session.commit()
    workspace = db.session.scalar(select(Workspace).where(Workspace.name == DEMO_WORKSPACE))
    saved = convert(action_plan_bytes(workspace, "rice"), tmp_path / "first", name="plan.xlsx")
    wb, ws, col = _cells(saved)
    rows = range(2, ws.max_row + 1)
    dues = [ws.cell(r, col["Due"]) for r in rows if ws.cell(r, col["Due"]).value is not None]
    assert dues and all(c.is_date for c in dues)  # dates come back as date cells
    assert all(type(ws.cell(r, col["Impact"]).value) is int for r in rows)  # numbers as numbers
    assert type(ws.cell(2, col["RICE confidence"]).value) in (int, float)
    assert ws.cell(2, col["Score"]).data_type == "f"  # the live formula is still one
    result = reimport(workspace, saved)
    assert result.problems == [] and result.changes == []

    # the meeting edits four cells, and LibreOffice saves the file again
    tasks = {t.id: t for t in db.session.scalars(select(ImprovementTask))}
    by_id = {ws.cell(r, col["Task ID"]).value: r for r in rows}
    first, second, third = (by_id[i] for i in sorted(by_id)[:3])
    ws.cell(first, col["Status"]).value = "Done"
    ws.cell(second, col["Owner"]).value = "Vic Viewer"
    ws.cell(third, col["Due"]).value = datetime(2027, 3, 1)
    ws.cell(third, col["Due"]).number_format = "yyyy-mm-dd"
    ws.cell(first, col["RICE reach"]).value = 1234.5
    edited = io.BytesIO()
    wb.save(edited)
    again = convert(edited.getvalue(), tmp_path / "second", name="plan.xlsx")
    result = reimport(workspace, again)
    assert result.problems == []
    changes = {
        (change.task.id, label, new)
        for change in result.changes
        for label, _, new in change.changes
    }
    ids = {r: i for i, r in by_id.items()}
    assert changes == {
        (ids[first], "Status", "Done"),
        (ids[second], "Owner", "Vic Viewer"),
        (ids[third], "Due", date(2027, 3, 1)),
        (ids[first], "RICE reach", 1234.5),
    }, [tasks[i].title for i in ids.values()]

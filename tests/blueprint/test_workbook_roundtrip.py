"""The no-op property of the blueprint workbook: export → import as new → export gives the
same sheets (but for the ids), for any blueprint (spanning and whole-journey steps, people
and systems reached only through others, links between them, hard text), also after
LibreOffice saved it; and updating a blueprint from its own unchanged workbook changes
nothing."""

from __future__ import annotations

import io
import itertools
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from openpyxl import load_workbook

from blueprint import transfer, workbook
from blueprint.workbook import apply as workbook_apply
from extensions import db
from tests.blueprint.strategies import blueprints, build
from tests.helpers import without_ids
from tests.libreoffice import convert, soffice

EXAMPLES = itertools.count()
SETTINGS = dict(
    deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture], database=None
)


def sheets(content: bytes) -> dict[str, list[tuple]]:
    """The sheets without the database's ids and versions: a copy has its own."""
    wb = load_workbook(io.BytesIO(content))
    return without_ids({ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets})


def roundtrip(world, spec, through=None) -> tuple[dict, dict]:
    blueprint = build(spec, world.workspace.id, tag=f" ~{next(EXAMPLES)}")
    first = workbook.build(transfer.export_data(blueprint))
    content = through(first) if through else first
    copy = transfer.import_data(world.workspace.id, workbook.parse(content))
    db.session.flush()
    return sheets(first), sheets(workbook.build(transfer.export_data(copy)))


@settings(max_examples=60, **SETTINGS)
@given(spec=blueprints())
def test_export_import_export_gives_the_same_workbook(app, world, spec):
    first, second = roundtrip(world, spec)
    assert second == first
    db.session.rollback()


def libreoffice(content: bytes) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        return convert(content, Path(tmp), name="map.xlsx")


@pytest.mark.libreoffice
@settings(max_examples=4, **SETTINGS)
@given(spec=blueprints(max_steps=8))
def test_a_workbook_saved_by_libreoffice_imports_to_the_same_workbook(app, world, spec):
    soffice()
    first, second = roundtrip(world, spec, through=libreoffice)
    assert second == first
    db.session.rollback()


@settings(max_examples=40, **SETTINGS)
@given(spec=blueprints())
def test_updating_from_the_unchanged_workbook_changes_nothing(app, world, spec):
    blueprint = build(spec, world.workspace.id, tag=f" ~{next(EXAMPLES)}")
    content = workbook.build(transfer.export_data(blueprint))
    result = workbook_apply.preview(blueprint, workbook.parse(content))
    assert (result.plan.count, result.problems, result.plan.kept) == (0, [], [])
    db.session.rollback()


@pytest.mark.libreoffice
@settings(max_examples=3, **SETTINGS)
@given(spec=blueprints(max_steps=8))
def test_updating_from_the_workbook_libreoffice_saved_changes_nothing(app, world, spec):
    soffice()
    blueprint = build(spec, world.workspace.id, tag=f" ~{next(EXAMPLES)}")
    content = libreoffice(workbook.build(transfer.export_data(blueprint)))
    result = workbook_apply.preview(blueprint, workbook.parse(content))
    assert (result.plan.count, result.problems, result.plan.kept) == (0, [], [])
    db.session.rollback()

"""The no-op property of the blueprint workbook: export → import as new → export gives the
same sheets (but for the ids), for any blueprint (spanning and whole-journey steps, people
and systems reached only through others, links between them, hard text), also after
LibreOffice saved it; and updating a blueprint from its own unchanged workbook changes
nothing. Each in either language and across them: written in Polish and read by an English
user, and the other way round."""

from __future__ import annotations

import io
import itertools
import tempfile
from pathlib import Path

import pytest
from flask_babel import force_locale
from hypothesis import HealthCheck, given, settings
from openpyxl import load_workbook

from blueprint import transfer, workbook
from blueprint.workbook import apply as workbook_apply
from extensions import db
from tests.blueprint.strategies import blueprints, build
from tests.helpers import without_ids
from tests.libreoffice import convert, soffice
from web.workbook_words import workbook_words

EXAMPLES = itertools.count()
SETTINGS = dict(
    deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture], database=None
)


# (the exporter's language, the reader's)
LANGUAGES = pytest.mark.parametrize(
    "exporter, reader", [("en", "en"), ("pl", "pl"), ("pl", "en"), ("en", "pl")]
)


def sheets(content: bytes, language: str = "en") -> dict[str, list[tuple]]:
    """The sheets without the database's ids and versions: a copy has its own."""
    wb = load_workbook(io.BytesIO(content))
    found = {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}
    return without_ids(found, workbook_words(language))


def export(blueprint, language: str) -> bytes:
    return workbook.build(transfer.export_data(blueprint), workbook_words(language))


def roundtrip(world, spec, through=None, exporter="en", reader="en") -> tuple[dict, dict]:
    blueprint = build(spec, world.workspace.id, tag=f" ~{next(EXAMPLES)}")
    first = export(blueprint, exporter)
    content = through(first) if through else first
    copy = transfer.import_data(world.workspace.id, workbook.parse(content, workbook_words(reader)))
    db.session.flush()
    return sheets(first, exporter), sheets(export(copy, exporter), exporter)


@LANGUAGES
@settings(max_examples=60, **SETTINGS)
@given(spec=blueprints())
def test_export_import_export_gives_the_same_workbook(app, world, spec, exporter, reader):
    first, second = roundtrip(world, spec, exporter=exporter, reader=reader)
    assert second == first
    db.session.rollback()


def libreoffice(content: bytes) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        return convert(content, Path(tmp), name="map.xlsx")


@LANGUAGES
@pytest.mark.libreoffice
@settings(max_examples=4, **SETTINGS)
@given(spec=blueprints(max_steps=8))
def test_a_workbook_saved_by_libreoffice_imports_to_the_same_workbook(
    app, world, spec, exporter, reader
):
    soffice()
    first, second = roundtrip(world, spec, libreoffice, exporter, reader)
    assert second == first
    db.session.rollback()


@LANGUAGES
@settings(max_examples=40, **SETTINGS)
@given(spec=blueprints())
def test_updating_from_the_unchanged_workbook_changes_nothing(app, world, spec, exporter, reader):
    blueprint = build(spec, world.workspace.id, tag=f" ~{next(EXAMPLES)}")
    content = export(blueprint, exporter)
    with force_locale(reader):
        result = workbook_apply.preview(blueprint, workbook.parse(content, workbook_words()))
    assert (result.plan.count, result.problems, result.plan.kept) == (0, [], [])
    db.session.rollback()


@LANGUAGES
@pytest.mark.libreoffice
@settings(max_examples=3, **SETTINGS)
@given(spec=blueprints(max_steps=8))
def test_updating_from_the_workbook_libreoffice_saved_changes_nothing(
    app, world, spec, exporter, reader
):
    soffice()
    blueprint = build(spec, world.workspace.id, tag=f" ~{next(EXAMPLES)}")
    content = libreoffice(export(blueprint, exporter))
    with force_locale(reader):
        result = workbook_apply.preview(blueprint, workbook.parse(content, workbook_words()))
    assert (result.plan.count, result.problems, result.plan.kept) == (0, [], [])
    db.session.rollback()

"""The blueprint pages in Polish (Accept-Language: pl): the board, its legend, marks and
buttons, the SVG download and the print, the analysis pages and the flashes; Polish plural
forms; the stored words (lane and link kinds) stay English identifiers."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from types import SimpleNamespace as NS

import flask_babel
import pytest

from blueprint import board_print, board_svg
from blueprint.analysis.health import Finding, findings
from blueprint.board import build_board
from blueprint.kinds import ElementKind, LinkKind
from blueprint.models import Element
from extensions import db
from tests import factories as f
from tests.helpers import SVG

PL = {"Accept-Language": "pl"}


def polish(client, url: str) -> str:
    response = client.get(url, headers=PL)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_the_board_speaks_polish(client, world, login, bmap):
    bmap.desk.duration_minutes, bmap.desk.tolerance_minutes = 30, 10
    f.commit()
    login(world.editor)
    page = polish(client, f"/blueprints/{bmap.blueprint.id}")
    assert 'lang="pl"' in page
    for words in (
        "Stan obecny",
        "Legenda",
        "⚠ Punkt awarii",
        "ponad tolerancję",
        "Działania klienta",
        'class="lane-name">Front<',
        "Linia widoczności",
        "Krzywa emocji",
        "Osoby i systemy",
        "Pobierz SVG",
        "Dodaj etap",
        "Przenieś",
    ):
        assert words in page, words
    for english in ("Fail point", "Legend", "Emotion curve", "Line of visibility", "Add a stage"):
        assert f">{english}<" not in page and f"> {english}<" not in page, english
    # the stored identifiers are untouched: cells and cards still say their kind in English
    assert 'data-lane="customer_action"' in page and "kind-frontstage" in page


def test_the_svg_download_and_the_print_are_in_the_readers_language(client, world, login, bmap):
    login(world.viewer)
    svg = polish(client, f"/blueprints/{bmap.blueprint.id}/board.svg")
    root = ET.fromstring(svg.split("\n", 1)[1])
    texts = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
    assert "Legenda" in texts and "LINIA INTERAKCJI" in texts and "Stan obecny" in texts
    assert "⚠ Punkt awarii" in texts and "Osoba · Service desk" in texts
    assert "Legend" not in texts.replace("Legenda", "") and "Fail point" not in texts
    assert root.find(f"{SVG}title").text == "Mapa usługi: Order to cash"
    english = client.get(f"/blueprints/{bmap.blueprint.id}/board.svg").get_data(as_text=True)
    assert "Service blueprint: Order to cash" in english and "Legenda" not in english


def test_polish_plural_forms_on_the_board_pages(app):
    """1 krok, 2 kroki, 5 kroków (and 22 kroki, 12 kroków)."""
    with app.test_request_context(headers=PL), flask_babel.force_locale("pl"):
        said = {
            n: flask_babel.ngettext("%(num)d step", "%(num)d steps", n) for n in (1, 2, 5, 12, 22)
        }
        assert said == {1: "1 krok", 2: "2 kroki", 5: "5 kroków", 12: "12 kroków", 22: "22 kroki"}
        links = [
            flask_babel.ngettext(
                "“%(title)s” deleted with its %(num)d link",
                "“%(title)s” deleted with its %(num)d links",
                n,
                title="A",
            )
            for n in (1, 3)
        ]
        assert links == ["Usunięto „A” wraz z 1 powiązaniem", "Usunięto „A” wraz z 3 powiązaniami"]


def test_the_legend_and_the_print_plan_fit_a3_in_polish(app):
    """Polish words are longer: the one-page print still fits at legible size."""
    stages = [NS(id=i, name=f"Etap {i}") for i in range(1, 6)]
    elements = [
        NS(
            id=10 * s + k,
            stage_id=s,
            kind=kind,
            title=f"Krok {s}.{k} z dłuższym tytułem",
            position=k,
            fail_point=k == 1,
            fail_note=None,
            wait_point=True,
            moment_of_truth=k == 2,
            channel=None,
            duration_minutes=30,
            tolerance_minutes=10,
            over_tolerance=True,
            emotion=1 if kind is ElementKind.CUSTOMER_ACTION else None,
            evidence_status=None,
            all_stages=False,
            end_stage_id=None,
        )
        for s in range(1, 6)
        for k, kind in enumerate(
            (ElementKind.CUSTOMER_ACTION, ElementKind.FRONTSTAGE, ElementKind.BACKSTAGE)
        )
    ]
    links = [(10 * s, 10 * s + 1, LinkKind.RELIES_ON) for s in range(1, 6)]
    with app.test_request_context(headers=PL), flask_babel.force_locale("pl"):
        board = build_board(stages, elements, links, [], flask_babel)
        header = board_svg.Header("Zamówienie", ["Stan obecny"])
        plan = board_print.plan(board, header, flask_babel)
        assert not plan.tiled and plan.smallest_pt >= board_print.MIN_TEXT_PT
        assert plan.summary.startswith("Wydruk mieści całą tablicę")
        svg = board_print.draw(plan)
    assert "Legenda" in svg and "ponad tolerancję" in svg and "Czekanie" in svg
    english = board_print.plan(build_board(stages, elements, links, []), header)
    assert english.summary.startswith("Printing puts the whole board")


def test_health_findings_are_said_in_the_readers_language(app, world, bmap):
    with app.test_request_context(headers=PL), flask_babel.force_locale("pl"):
        from blueprint.graph import blueprint_graph

        found = findings(blueprint_graph(bmap.blueprint.id), bmap.blueprint.id)
        assert found, "the demo map has findings"
        english = {x.message for x in found}
        texts = {x.text(flask_babel) for x in found}
        assert texts.isdisjoint(english)
        assert any("materiału badawczego" in t or "nie zależy od niczego" in t for t in texts)
    for x in found:  # without an app the message is the English one
        assert x.text() == x.message
    assert Finding("cycle", ("a",), "as written").text() == "as written"


@pytest.mark.parametrize(
    "path",
    [
        "/blueprints",
        "/catalog",
        "/personas",
        "/root-causes",
        "/blueprints/{bp}/health",
        "/blueprints/{bp}/history",
        "/blueprints/{bp}/share",
        "/blueprints/{bp}/update",
        "/blueprints/import",
        "/elements/{el}",
        "/elements/{el}/trace",
        "/elements/{el}/blast-radius",
        "/elements/{el}/delete",
        "/stages/{stage}/delete",
    ],
)
def test_blueprint_pages_carry_no_english_heading_in_polish(client, world, login, bmap, path):
    login(world.owner)
    page = polish(
        client,
        path.format(bp=bmap.blueprint.id, el=bmap.desk.id, stage=bmap.stages[0].id),
    )
    headings = re.findall(r"<h[1-3][^>]*>(.*?)</h[1-3]>", page, re.S)
    for english in (
        "Service blueprints",
        "People and systems",
        "Personas",
        "Root causes",
        "Health of",
        "History of",
        "Share ",
        "Update ",
        "Import a blueprint",
        "Relies on",
        "What relies on it",
        "If ",
        "Delete ",
        "As a list",
        "Handoffs",
        "New link",
    ):
        assert not any(h.strip().startswith(english) for h in headings), (path, english, headings)


def test_a_flash_and_a_refusal_come_in_polish_and_values_stay_english(client, world, login, bmap):
    login(world.editor)
    response = client.post(
        f"/blueprints/{bmap.blueprint.id}/reviewed", headers=PL, follow_redirects=True
    )
    assert "oznaczono jako przejrzaną dzisiaj" in response.get_data(as_text=True)
    desk = db.session.get(Element, bmap.desk.id)
    assert desk.kind is ElementKind.FRONTSTAGE and desk.kind.value == "frontstage"
    assert ElementKind.FRONTSTAGE.english == "Frontstage"

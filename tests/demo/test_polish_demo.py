"""`seed-demo --lang pl`: a Polish demo workspace beside the English one, with a Polish user
who reads it in Polish and in Warsaw time; its diacritics survive the page, the SVG board
(the embedded font covers them), the PDF and a backup."""

from __future__ import annotations

import base64
import io
import json
import re
import shutil
import subprocess

import pytest
from fontTools.ttLib import TTFont
from sqlalchemy import func, select

from accounts.models import Membership, User, Workspace
from backlog.models import ImprovementTask, Insight
from backup.workspace import export_workspace, import_workspace, to_bytes
from blueprint.models import Element, Persona, ServiceBlueprint
from demo.polish import POLISH_WORKSPACE
from extensions import db
from tests import factories as f

POLISH_LETTERS = "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ"


@pytest.fixture
def polish_demo(runner):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    result = runner.invoke(args=["seed-demo", "--lang", "pl"])
    assert result.exit_code == 0, result.output
    assert "agnieszka@example.com" in result.output
    workspace = db.session.scalar(select(Workspace).filter_by(name=POLISH_WORKSPACE))
    return workspace, db.session.scalar(
        select(ServiceBlueprint).filter_by(workspace_id=workspace.id)
    )


def _login(client, email="agnieszka@example.com"):
    response = client.post("/login", data={"email": email, "password": "rootline-demo"})
    assert response.status_code == 302


def test_the_polish_demo_sits_beside_the_english_one(runner, polish_demo):
    workspace, blueprint = polish_demo
    assert db.session.scalar(select(func.count()).select_from(Workspace)) == 3  # and Eli's
    agnieszka = db.session.scalar(select(User).filter_by(email="agnieszka@example.com"))
    assert (agnieszka.language, agnieszka.time_zone) == ("pl", "Europe/Warsaw")
    roles = {
        m.user.email: m.role.value
        for m in db.session.scalars(select(Membership).filter_by(workspace_id=workspace.id))
    }
    assert roles == {
        "agnieszka@example.com": "owner",
        "demo@example.com": "editor",
        "editor@example.com": "editor",
        "viewer@example.com": "viewer",
    }
    assert blueprint.name == "Wdrożenie klienta biznesowego"
    count = lambda model: db.session.scalar(  # noqa: E731
        select(func.count()).select_from(model).filter_by(workspace_id=workspace.id)
    )
    assert count(Insight) >= 6 and count(ImprovementTask) >= 6 and count(Persona) == 2
    assert count(Element) >= 25
    again = runner.invoke(args=["seed-demo", "--lang", "pl", "--if-empty"])
    assert again.exit_code == 0 and "leaving it as it is" in again.output
    assert runner.invoke(args=["seed-demo", "--lang", "pl"]).exit_code != 0


def test_the_polish_user_reads_the_board_and_backlog_in_polish(client, polish_demo):
    _, blueprint = polish_demo
    _login(client)
    client.post(f"/workspaces/{blueprint.workspace_id}/switch")
    board = client.get(f"/blueprints/{blueprint.id}").get_data(as_text=True)
    assert '<html lang="pl">' in board
    for text in ("Wystawia pierwszą fakturę", "Połączenie z KSeF", "Żaneta", "Źle rozpoznaje"):
        assert text in board
    backlog = client.get("/backlog").get_data(as_text=True)
    assert "Rozpoznawanie kodowania Windows-1250 w imporcie" in backlog
    assert re.search(r"\d{1,2} (sty|lut|mar|kwi|maj|cze|lip|sie|wrz|paź|lis|gru) 20\d\d", backlog)


def _embedded_font_characters(svg: str) -> set[str]:
    found = set()
    for data in re.findall(r"data:font/ttf;base64,([A-Za-z0-9+/=]+)", svg):
        with TTFont(io.BytesIO(base64.b64decode(data))) as font:
            found |= {chr(code) for code in font.getBestCmap()}
    return found


def test_the_svg_board_keeps_polish_letters_and_embeds_their_glyphs(client, polish_demo):
    _, blueprint = polish_demo
    _login(client)
    svg = client.get(f"/blueprints/{blueprint.id}/board.svg").get_data(as_text=True)
    assert "Wystawia pierwszą fakturę" in svg
    used = set(re.sub(r"<[^>]+>", " ", svg.split("</style>")[-1])) & set(POLISH_LETTERS)
    assert used and used <= _embedded_font_characters(svg)


def test_the_embedded_font_covers_every_polish_letter(client, world, login):
    blueprint, stages = f.make_blueprint(world.workspace, "Zażółć gęślą jaźń", ("Ćma", "Źródło"))
    f.make_element(stages[0], "customer_action", "ĄĆĘŁŃÓŚŹŻ i ąćęłńóśźż")
    f.make_element(stages[1], "frontstage", "Żółw", fail_point=True, fail_note="Łódź")
    f.commit()
    login(world.viewer)
    svg = client.get(f"/blueprints/{blueprint.id}/board.svg").get_data(as_text=True)
    assert "ĄĆĘŁŃÓŚŹŻ i ąćęłńóśźż" in svg
    assert set(POLISH_LETTERS) <= _embedded_font_characters(svg)
    bold = re.findall(r"font-weight:\s*700[^}]*data:font/ttf;base64,([A-Za-z0-9+/=]+)", svg)
    assert bold, "the bold face (titles) is embedded too"


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed")
def test_the_polish_summary_pdf_keeps_its_diacritics(client, polish_demo, tmp_path):
    _, blueprint = polish_demo
    _login(client)
    response = client.get(f"/blueprints/{blueprint.id}/summary.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed")
    out = tmp_path / "s.pdf"
    out.write_bytes(response.data)
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    text = " ".join(text.split())
    assert "Wdrożenie klienta biznesowego" in text
    assert "Żaneta" in text or "Import zamienia polskie znaki w krzaki" in text


def test_a_backup_of_the_polish_demo_restores_every_letter(polish_demo):
    workspace, _ = polish_demo
    document = json.loads(to_bytes(export_workspace(workspace)).decode("utf-8"))
    copy = import_workspace(document, name="Księgowo — kopia zażółć")
    db.session.commit()

    def titles(ws_id):
        return sorted(
            db.session.scalars(select(Element.title).where(Element.workspace_id == ws_id))
        )

    assert titles(copy.id) == titles(workspace.id)
    assert "Wystawia pierwszą fakturę" in titles(copy.id)
    assert copy.name == "Księgowo — kopia zażółć"
    personas = sorted(db.session.scalars(select(Persona.name).filter_by(workspace_id=copy.id)))
    assert personas[0].startswith("Łukasz") and personas[1].startswith("Żaneta")

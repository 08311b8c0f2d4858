"""The one-page summary of a blueprint for leadership, and its PDF."""

from __future__ import annotations

import re
import shutil

import pytest

from tests import factories as f


def test_summary_shows_goal_pains_causes_tasks_and_matrix(client, world, login, bmap):
    bmap.blueprint.goal = "Orders confirmed within the hour"
    worst = f.make_insight(world.workspace, "Nobody confirms", bmap.buyer, severity=5,
                           frequency=4, evidence_source="interview",
                           evidence_reference="Call 12")  # fmt: skip
    for n in range(6):
        f.make_insight(world.workspace, f"Minor {n}", bmap.buyer, severity=1, frequency=1)
    f.make_task(world.workspace, "Train the desk", insights=[worst], targets=[bmap.desk],
                impact=5, effort=2, owner_id=world.editor.id)  # fmt: skip
    f.make_task(world.workspace, "Elsewhere", impact=5, effort=1)  # not this blueprint's
    f.commit()
    login(world.viewer)
    response = client.get(f"/blueprints/{bmap.blueprint.id}/summary")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Orders confirmed within the hour" in page
    pains = page.split('id="sum-pains"')[1].split("</section>")[0]
    assert pains.index("Nobody confirms") < pains.index("Minor ")
    assert "5×4 = 20" in pains and "Call 12" in pains
    assert "(5 of 7)" in pains and pains.count("<strong>Minor ") == 4  # the five worst only
    causes = page.split('id="sum-causes"')[1].split("</section>")[0]
    assert "Service desk" in causes and "blast radius: 1 customer action" in causes
    tasks = page.split('id="sum-tasks"')[1].split("</section>")[0]
    assert "Train the desk" in tasks and "Ed Editor" in tasks and "Quick win" in tasks
    assert "Elsewhere" not in tasks
    assert re.search(r'<svg class="matrix[ "]', page)
    assert 'aria-label="1. Train the desk — impact 5, effort 2"' in page  # its point, by rank
    assert "Download PDF" in page


def test_outsiders_get_404(client, world, login, bmap):
    login(world.outsider)
    assert client.get(f"/blueprints/{bmap.blueprint.id}/summary").status_code == 404
    assert client.get(f"/blueprints/{bmap.blueprint.id}/summary.pdf").status_code == 404


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed")
def test_summary_pdf_is_one_a4_page(client, world, login, bmap, tmp_path):
    f.make_insight(world.workspace, "Nobody confirms", bmap.buyer, severity=5, frequency=4)
    f.commit()
    login(world.viewer)
    response = client.get(f"/blueprints/{bmap.blueprint.id}/summary.pdf")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF")
    assert "Order to cash - summary.pdf" in response.headers["Content-Disposition"]
    pdf = response.data
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1  # one page
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)", pdf)
    width, height = (float(v) for v in boxes[0])
    assert (round(width), round(height)) == (595, 842)  # A4 portrait, in points
    if shutil.which("pdftotext"):
        out = tmp_path / "s.pdf"
        out.write_bytes(pdf)
        import subprocess

        text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
        assert "Order to cash" in text and "Nobody confirms" in text


def test_without_chromium_the_pdf_is_a_503_with_advice(client, world, login, bmap, monkeypatch):
    monkeypatch.setattr("pdfprint.chromium", lambda: None)
    login(world.viewer)
    response = client.get(f"/blueprints/{bmap.blueprint.id}/summary.pdf")
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "needs Chromium on the server" in page and "Print the summary page" in page


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed")
def test_the_summary_page_prints_its_pdf_as_a_job_and_hands_out_the_file(
    client, world, login, bmap
):
    login(world.viewer)  # reading is enough
    page = client.get(f"/blueprints/{bmap.blueprint.id}/summary").get_data(as_text=True)
    assert f'action="/blueprints/{bmap.blueprint.id}/summary/pdf"' in page
    started = client.post(f"/blueprints/{bmap.blueprint.id}/summary/pdf")
    assert started.status_code == 303 and started.location.startswith("/jobs/")
    state = client.get(started.location + ".json").get_json()
    assert state["status"] == "done", state
    assert state["step"] == "Order to cash - summary.pdf is ready"
    download = client.get(state["download"])
    assert download.mimetype == "application/pdf" and download.data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page[^s]", download.data)) == 1
    assert "Order to cash - summary.pdf" in download.headers["Content-Disposition"]


def test_without_chromium_the_pdf_job_fails_with_advice_and_a_way_back(
    client, world, login, bmap, monkeypatch
):
    monkeypatch.setattr("pdfprint.chromium", lambda: None)
    login(world.viewer)
    started = client.post(f"/blueprints/{bmap.blueprint.id}/summary/pdf")
    state = client.get(started.location + ".json").get_json()
    assert state["status"] == "failed" and state["download"] is None
    assert "needs Chromium on the server" in state["message"]
    assert "Print the summary page" in state["message"]
    assert state["next"] == f"/blueprints/{bmap.blueprint.id}/summary"


def test_outsiders_cannot_print_a_summary(client, world, login, bmap):
    login(world.outsider)
    assert client.post(f"/blueprints/{bmap.blueprint.id}/summary/pdf").status_code == 404

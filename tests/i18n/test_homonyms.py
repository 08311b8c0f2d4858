"""Words that say different things in different places: the catalogs are merged, so one
English word has one Polish word unless a context tells the places apart."""

from __future__ import annotations

import io
import re

import pytest
from flask_babel import force_locale, gettext, pgettext
from openpyxl import load_workbook

import jobs
from extensions import db
from tests import factories as f


def test_a_finished_jobs_step_and_a_finished_tasks_status_each_have_their_word(app):
    with app.test_request_context(), force_locale("pl"):
        assert pgettext("job step", "Done") == "Gotowe"  # jobs/runner.py, a job's last step
        assert gettext("Done") == "Zrobione"  # a task's status (backlog/kinds.py)


def _settings(client, language: str) -> None:
    saved = client.post("/account", data={"language": language, "time_zone": "UTC"})
    assert saved.status_code == 302


@pytest.fixture
def quick_job():
    """A kind of job that does nothing and leads back to the backlog."""
    jobs.KINDS["test_quick"] = lambda job, progress: jobs.GoTo("backlog.index")
    yield
    jobs.KINDS.pop("test_quick")


def _finished_job(app, world, language: str) -> int:
    with app.test_request_context(headers={"Accept-Language": language}):
        job = jobs.start(world.workspace.id, world.editor.id, "test_quick", "Quick job")
        db.session.commit()
        jobs.launch(job.id)
    jobs.wait_all()
    return job.id


@pytest.mark.parametrize("started_in", ["pl", "en"])
def test_done_is_gotowe_for_a_job_and_zrobione_for_a_task(
    app, client, world, login, quick_job, started_in
):
    f.make_task(world.workspace, "Shipped already", status="done")
    f.commit()
    job_id = _finished_job(app, world, started_in)
    login(world.editor)
    _settings(client, "pl")
    state = client.get(f"/jobs/{job_id}.json").get_json()
    assert (state["status"], state["step"]) == ("done", "Gotowe")
    assert "<span data-job-step>Gotowe</span>" in client.get(f"/jobs/{job_id}").get_data(
        as_text=True
    )
    backlog = client.get("/backlog").get_data(as_text=True)
    assert "Zrobione" in backlog and "Gotowe" not in backlog
    _settings(client, "en")
    assert client.get(f"/jobs/{job_id}.json").get_json()["step"] == (
        "Gotowe" if started_in == "pl" else "Done"  # a job's words are its starter's
    )


# Words the areas' catalogs say differently, each in its place (a context tells them apart).
CSV = (
    b"ref;text\r\n"
    b"T-1;The desk confirms orders too late\r\n"
    b"T-2;Parking was full\r\n"  # no step matches: an unmatched row, listed with its reference
)
EVIDENCE_COLUMNS = {
    "text": "text",
    "reference": "ref",
    "date": "",
    "category": "",
    "step": "",
    "channel": "",
    "score": "",
    "source": "call_centre",
    "customers": "",
}


def _evidence_preview(client, blueprint) -> str:
    uploaded = client.post(
        "/evidence/import",
        data={"blueprint_id": str(blueprint.id), "file": (io.BytesIO(CSV), "tickets.csv")},
        content_type="multipart/form-data",
    )
    assert uploaded.status_code == 303
    pending = uploaded.location.split("/")[3]
    mapped = client.post(f"/evidence/import/{pending}/columns", data=EVIDENCE_COLUMNS)
    assert mapped.status_code == 303
    return client.get(f"/evidence/import/{pending}").get_data(as_text=True)


def _insights_header(app, client, language: str) -> list[str]:
    with app.test_request_context(), force_locale(language):
        sheet = gettext("Insights")
    plan = load_workbook(io.BytesIO(client.get("/backlog/export.xlsx").data))
    return [c.value for c in plan[sheet][1]]


@pytest.mark.parametrize(
    "language, changed_by, owned_by, done",
    [("pl", "Wszyscy", "Dowolna osoba", "Czynność"), ("en", "Anyone", "Anyone", "Action")],
)
def test_anyone_and_action_in_the_activity_feed_and_the_backlog(
    client, world, login, language, changed_by, owned_by, done
):
    f.make_task(world.workspace, "Call the courier")
    f.commit()
    login(world.owner)
    _settings(client, language)
    feed = client.get(f"/workspaces/{world.workspace.id}/activity").get_data(as_text=True)
    assert f'<option value="">{changed_by}</option>' in feed  # whoever made a change
    assert f'<th scope="col">{done}</th>' in feed  # what was done to the record
    backlog = client.get("/backlog").get_data(as_text=True)
    assert re.search(rf'<option[^>]* value="">{owned_by}</option>', backlog)  # any owner
    if language == "pl":
        assert "Dowolna osoba" not in feed and "Wszyscy" not in backlog


@pytest.mark.parametrize(
    "language, proposal_action, row_reference, insight_reference",
    [("pl", "Działanie", "Odwołanie", "Odnośnik"), ("en", "Action", "Reference", "Reference")],
)
def test_action_and_reference_in_the_evidence_import_and_the_action_plan(
    app, client, world, login, bmap, language, proposal_action, row_reference, insight_reference
):
    f.make_insight(world.workspace, "Slow confirmation", bmap.desk)
    f.commit()
    login(world.editor)
    _settings(client, language)
    preview = _evidence_preview(client, bmap.blueprint)
    assert re.search(rf"<label[^>]*>{proposal_action}</label>", preview)  # a proposal's fate
    assert f'<th scope="col">{row_reference}</th>' in preview and "T-2" in preview
    header = _insights_header(app, client, language)
    assert insight_reference in header  # what an insight's evidence is found by
    if language == "pl":
        assert "Czynność" not in preview and "Odnośnik" not in preview
        assert "Odwołanie" not in header

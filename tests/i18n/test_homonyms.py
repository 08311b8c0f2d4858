"""Words that say different things in different places: the catalogs are merged, so one
English word has one Polish word unless a context tells the places apart."""

from __future__ import annotations

import pytest
from flask_babel import force_locale, gettext, pgettext

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

"""Words that say different things in different places: the catalogs are merged, so one
English word has one Polish word unless a context tells the places apart."""

from __future__ import annotations

from flask_babel import force_locale, gettext, pgettext


def test_a_finished_jobs_step_and_a_finished_tasks_status_each_have_their_word(app):
    with app.test_request_context(), force_locale("pl"):
        assert pgettext("job step", "Done") == "Gotowe"  # jobs/runner.py, a job's last step
        assert gettext("Done") == "Zrobione"  # a task's status (backlog/kinds.py)

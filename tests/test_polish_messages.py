"""The pages and messages common to every area (accounts, jobs, backups, errors, the page
frame) in Polish, for a browser that asks for it; English stays the source language."""

from __future__ import annotations

import html
import re
import threading
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask_babel import gettext, ngettext, refresh

import jobs
from extensions import db
from jobs.models import Job, JobStatus

CATALOG = Path(__file__).resolve().parents[1] / "translations/pl/LC_MESSAGES/messages.po"


@pytest.fixture
def polish(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "pl-PL,pl;q=0.9,en;q=0.5"
    return client


def _english_sentences() -> list[str]:
    """The catalog's English texts that a Polish page must not show: whole sentences and
    labels without placeholders, whose Polish differs."""
    with CATALOG.open("rb") as file:
        catalog = read_po(file)
    found = []
    for message in catalog:
        if not message.id or message.pluralizable or "%(" in message.id:
            continue
        if len(message.id) >= 12 and message.string and message.string != message.id:
            found.append(message.id)
    return found


def _visible(page: str) -> str:
    """The page's text as a reader sees it (tags out, entities decoded), with its
    attributes' words (titles, labels, placeholders) too."""
    page = re.sub(r"<script\b.*?</script>", " ", page, flags=re.S)
    words = re.findall(r'(?:title|aria-label|placeholder|data-confirm)="([^"]*)"', page)
    return html.unescape(re.sub(r"<[^>]+>", " ", page) + " " + " ".join(words))


def test_the_login_page_speaks_polish_to_a_polish_browser(polish):
    page = polish.get("/login").get_data(as_text=True)
    assert '<html lang="pl">' in page
    assert "Zaloguj się do Rootline" in page and "Hasło" in page
    assert "Log in to Rootline" not in page and "Password" not in page


def test_a_wrong_password_is_told_in_polish(polish, world):
    answer = polish.post("/login", data={"email": world.owner.email, "password": "wrong-one"})
    assert answer.status_code == 401
    assert "Nieprawidłowy e-mail lub hasło." in answer.get_data(as_text=True)


def test_the_common_pages_show_no_english_sentence_of_their_catalog(polish, world, login):
    login(world.owner)
    workspace = world.workspace.id
    sentences = _english_sentences()
    assert len(sentences) > 100  # the catalog is read, not empty
    for url in (
        "/workspaces",
        f"/workspaces/{workspace}/members",
        f"/workspaces/{workspace}/activity",
        f"/workspaces/{workspace}/backup",
        f"/workspaces/{workspace}/leave",
        "/account/password",
        "/no-such-page",
    ):
        answer = polish.get(url)
        page = answer.get_data(as_text=True)
        assert '<html lang="pl">' in page, url
        text = _visible(page)
        left = [s for s in sentences if s in text]
        assert not left, (url, left)


def test_flash_messages_and_the_navigation_frame_are_polish(polish, world, login):
    login(world.owner)
    page = polish.get("/workspaces").get_data(as_text=True)
    assert "Wyloguj się" in page and "Przestrzeń:" in page
    polish.post("/logout")
    assert "Wylogowano." in polish.get("/login").get_data(as_text=True)


def test_error_pages_and_json_errors_are_polish(polish, world, login):
    login(world.viewer)
    page = polish.get("/no-such-page")
    assert page.status_code == 404 and "Nie znaleziono" in page.get_data(as_text=True)
    answer = polish.get("/no-such-page", headers={"Accept": "application/json"})
    assert answer.get_json() == {
        "error": "Nie znaleziono",
        "message": "Nic tu nie ma albo nie należy to do żadnej z Twoich przestrzeni roboczych.",
    }
    english = polish.get(
        "/no-such-page", headers={"Accept": "application/json", "Accept-Language": "en"}
    )
    assert english.get_json()["error"] == "Not found"


def test_polish_has_three_plural_forms(app):
    with app.test_request_context(headers={"Accept-Language": "pl"}):
        refresh()  # the test's app context outlives each request: choose again
        said = {n: ngettext("%(count)s task", "%(count)s tasks", n, count=n) for n in (1, 2, 5)}
        assert said == {1: "1 zadanie", 2: "2 zadania", 5: "5 zadań"}
        assert ngettext("%(count)s task", "%(count)s tasks", 22, count=22) == "22 zadania"
        assert ngettext("%(count)s task", "%(count)s tasks", 12, count=12) == "12 zadań"
        assert ngettext("%(num)d minute", "%(num)d minutes", 1) == "1 minutę"
        assert ngettext("%(num)d minute", "%(num)d minutes", 3) == "3 minuty"
    with app.test_request_context(headers={"Accept-Language": "en"}):
        refresh()
        assert ngettext("%(count)s task", "%(count)s tasks", 5, count=5) == "5 tasks"


def test_role_names_follow_the_reader(app):
    from accounts.models import Role

    with app.test_request_context(headers={"Accept-Language": "pl"}):
        refresh()
        assert [str(r.label) for r in Role] == ["Właściciel", "Edytor", "Obserwator"]
    with app.test_request_context(headers={"Accept-Language": "en"}):
        refresh()
        assert [str(r.label) for r in Role] == ["Owner", "Editor", "Viewer"]


def test_outside_a_request_the_words_are_english(app):
    with app.app_context():
        refresh()
        assert gettext("Log in") == "Log in"


@pytest.fixture
def speaking_kind(consumer):
    """A job that says where it is and what it made, in whatever language it runs in."""
    reached, gate = threading.Event(), threading.Event()

    def speak(job, progress):
        progress.step(gettext("Reading the backup file"))
        reached.set()
        assert gate.wait(30)
        return jobs.FileResult(b"x", "x.txt", "text/plain", gettext("The file is empty."))

    jobs.KINDS["test_speak"] = speak
    yield reached, gate
    gate.set()
    jobs.wait_all()
    jobs.KINDS.pop("test_speak")


def test_a_job_speaks_the_language_of_the_request_that_started_it(
    app, polish, world, login, speaking_kind
):
    reached, gate = speaking_kind
    login(world.editor)
    with app.test_request_context(headers={"Accept-Language": "pl"}):
        refresh()
        job = jobs.start(world.workspace.id, world.editor.id, "test_speak", "Próba")
        db.session.commit()
        jobs.launch(job.id)
        job_id = job.id
    assert reached.wait(30)
    running = polish.get(f"/jobs/{job_id}.json").get_json()
    assert running["step"] == "Odczyt pliku kopii zapasowej"
    assert running["state"] == "W toku" and running["progress"] == "liczenie"
    gate.set()
    jobs.wait_all()
    done = polish.get(f"/jobs/{job_id}.json").get_json()
    assert done["message"] == "Plik jest pusty." and done["step"] == "Plik x.txt jest gotowy"
    assert done["state"] == "Zakończona"
    page = polish.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "Pobierz x.txt" in page and "Rozpoczęto" in page


def test_words_a_job_keeps_in_english_are_shown_in_the_readers_language(app, polish, world, login):
    login(world.editor)
    with app.test_request_context():
        refresh()
        job = jobs.start(world.workspace.id, world.editor.id, "workspace_backup", "Kopia")
        job.status = JobStatus.FAILED
        job.message = jobs.runner.CONCURRENT_SAVE  # as a kind raises it, untranslated
        db.session.commit()
        job_id = job.id
    failed = polish.get(f"/jobs/{job_id}.json").get_json()
    assert failed["message"].startswith("W tej samej chwili ktoś inny zapisał zmiany")
    assert failed["next_label"] == "Sprawdź ponownie" and failed["state"] == "Zatrzymana"
    assert db.session.get(Job, job_id).params["language"] == "en"


def test_the_conflict_page_shows_a_choice_by_its_words(app, polish, world, login):
    from tests import factories as f

    task = f.make_task(world.workspace, "Shared", impact=3, effort=3)
    f.commit()
    login(world.editor)
    page = polish.get(f"/tasks/{task.id}/edit").get_data(as_text=True)
    version = re.search(r'name="version"[^>]*value="(\d+)"', page).group(1)
    task.title = "Changed by someone else"
    db.session.commit()
    posted = {"title": "Mine", "status": "planned", "impact": "3", "effort": "3"}
    conflict = polish.post(f"/tasks/{task.id}/edit", data={**posted, "version": version})
    assert conflict.status_code == 409
    text = _visible(conflict.get_data(as_text=True))
    assert "Ktoś inny zmienił to w międzyczasie" in text and "Twoja wartość" in text
    with app.test_request_context(headers={"Accept-Language": "pl"}):
        refresh()
        planned = gettext("Planned")
    assert planned != "Planned" and planned in text  # the status's word, not its value
    assert " planned " not in f" {text} "

"""The profile page: every user chooses the language of their pages and the zone their
times are shown in; bad choices get a message next to the field; the login page's switch
sets the language of a visitor who is not logged in."""

from __future__ import annotations

import re

import pytest

from accounts.models import User
from extensions import db
from tests.factories import PASSWORD


def _feedback(page: str) -> list[str]:
    return [m.strip() for m in re.findall(r'class="invalid-feedback[^"]*"[^>]*>([^<]*)<', page)]


@pytest.mark.parametrize("who", ["owner", "editor", "viewer", "outsider"])
def test_every_user_sets_language_and_time_zone(client, world, login, who):
    user = getattr(world, who)
    login(user)
    page = client.get("/account")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert '<option selected value="UTC">UTC</option>' in text
    assert 'value="Europe/Warsaw"' in text and 'value="pl"' in text

    saved = client.post("/account", data={"language": "pl", "time_zone": "Europe/Warsaw"})
    assert saved.status_code == 302 and saved.location == "/account"
    db.session.expire_all()
    row = db.session.get(User, user.id)
    assert (row.language, row.time_zone) == ("pl", "Europe/Warsaw")
    after = client.get("/account").get_data(as_text=True)
    assert '<html lang="pl">' in after
    assert "Zapisano ustawienia." in after  # the message, in the language just chosen
    assert "<h1" in after and "Twój profil" in after
    assert '<option selected value="Europe/Warsaw">' in after

    client.post("/account", data={"language": "", "time_zone": "UTC"})
    db.session.expire_all()
    row = db.session.get(User, user.id)
    assert (row.language, row.time_zone) == (None, None)  # the browser's language; UTC
    browser = client.get("/account", headers={"Accept-Language": "pl-PL,pl;q=0.9,en;q=0.5"})
    assert '<html lang="pl">' in browser.get_data(as_text=True)
    assert '<html lang="en">' in client.get("/account").get_data(as_text=True)


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"language": "pl", "time_zone": "Mars/Olympus"}, "time_zone", "Europe/Warsaw"),
        ({"language": "pl", "time_zone": ""}, "time_zone", "Europe/Warsaw"),
        ({"language": "pl", "time_zone": "localtime"}, "time_zone", "Europe/Warsaw"),
        ({"language": "de", "time_zone": "UTC"}, "language", "Choose a language from the list."),
    ],
)
def test_bad_choices_are_refused_next_to_the_field(client, world, login, data, field, message):
    login(world.editor)
    response = client.post("/account", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert re.search(
        rf'id="{field}"[^>]*class="[^"]*is-invalid|class="[^"]*is-invalid[^"]*"[^>]*id="{field}"',
        page,
    )
    assert any(message in m for m in _feedback(page))
    db.session.expire_all()
    row = db.session.get(User, world.editor.id)
    assert (row.language, row.time_zone) == (None, None)


def test_bad_time_zone_message_is_polish_for_a_polish_user(client, world, login):
    login(world.viewer)
    client.post("/account", data={"language": "pl", "time_zone": "UTC"})
    page = client.post("/account", data={"language": "pl", "time_zone": "Nowhere"})
    assert page.status_code == 422
    text = page.get_data(as_text=True)
    assert '<html lang="pl">' in text
    assert "Wybierz strefę czasową z listy, np. Europe/Warsaw." in _feedback(text)


def test_the_profile_needs_a_login(client):
    assert client.get("/account").status_code == 302
    assert client.post("/account", data={"language": "pl"}).status_code == 302


def test_the_profile_form_refuses_a_post_without_its_csrf_token(make_app, world):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        client = app.test_client()
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        data = {"email": world.owner.email, "password": PASSWORD, "csrf_token": token}
        assert client.post("/login", data=data).status_code == 302
        refused = client.post("/account", data={"language": "pl", "time_zone": "UTC"})
        assert refused.status_code == 400
        db.session.expire_all()
        assert db.session.get(User, world.owner.id).language is None


def test_the_nav_bar_links_to_the_profile(client, world, login):
    login(world.owner)
    page = client.get("/workspaces").get_data(as_text=True)
    assert re.search(r'<a class="nav-link[^"]*" href="/account"[^>]*>Olive Owner</a>', page)


def test_the_login_page_switches_language_without_javascript(client):
    page = client.get("/login?next=/backlog/").get_data(as_text=True)
    assert '<html lang="en">' in page
    forms = re.findall(r'<form method="post" action="/language".*?</form>', page, re.S)
    assert len(forms) == 2 and "Polski" in forms[1] and "English" in forms[0]
    assert 'name="next" value="/login?next=/backlog/"' in forms[1]
    switched = client.post("/language", data={"language": "pl", "next": "/login?next=/backlog/"})
    assert switched.status_code == 302 and switched.location == "/login?next=/backlog/"
    assert "rootline_lang=pl" in switched.headers["Set-Cookie"]
    polish = client.get("/login").get_data(as_text=True)
    assert '<html lang="pl">' in polish
    # the form's own validation messages (WTForms') come in Polish too
    empty = client.post("/login", data={"email": "", "password": ""}).get_data(as_text=True)
    assert "To pole jest wymagane." in empty and "This field is required." not in empty
    # the cookie beats the browser; a bad language or an outside address changes nothing
    asked = client.get("/login", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="pl">' in asked
    bad = client.post("/language", data={"language": "xx", "next": "https://evil.example/"})
    assert bad.location == "/login" and "Set-Cookie" not in bad.headers
    client.post("/language", data={"language": "en"})
    assert '<html lang="en">' in client.get("/login").get_data(as_text=True)


def test_a_users_own_language_beats_the_cookie(client, world, login):
    client.post("/language", data={"language": "pl"})
    login(world.owner)
    client.post("/account", data={"language": "en", "time_zone": "UTC"})
    assert '<html lang="en">' in client.get("/account").get_data(as_text=True)


def test_a_polish_user_who_logs_out_reads_the_login_page_in_polish(client, world, login):
    login(world.owner)
    client.post("/account", data={"language": "pl", "time_zone": "UTC"})
    out = client.post("/logout")
    assert "rootline_lang=pl" in out.headers["Set-Cookie"]
    page = client.get(out.location).get_data(as_text=True)
    assert '<html lang="pl">' in page
    assert "Wylogowano" in page or "wylogowan" in page.lower()
    assert "You are logged out" not in page

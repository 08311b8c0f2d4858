"""Logging in and out, the session cookie, throttling and CSRF."""

from sqlalchemy import func, select

from accounts.models import FailedLogin, UserSession
from extensions import db
from tests.factories import PASSWORD


def test_login_with_right_password_opens_the_app(client, world, login):
    response = login(world.owner)
    assert response.status_code == 302
    page = client.get("/workspaces")
    assert page.status_code == 200
    assert "Acme Support" in page.get_data(as_text=True)


def test_login_email_is_case_insensitive(client, world):
    response = client.post("/login", data={"email": "OWNER@Example.com", "password": PASSWORD})
    assert response.status_code == 302


def test_wrong_password_is_refused_with_message_next_to_field(client, world, login):
    response = login(world.owner, "not the password")
    assert response.status_code == 401
    assert "E-mail or password is not right." in response.get_data(as_text=True)
    assert client.get("/workspaces").status_code == 302


def test_empty_login_form_is_a_400_with_messages(client):
    response = client.post("/login", data={"email": "", "password": ""})
    assert response.status_code == 400
    assert "This field is required." in response.get_data(as_text=True)


def test_login_redirects_only_to_same_site_next(client, world):
    data = {"email": world.owner.email, "password": PASSWORD}
    assert client.post("/login?next=/workspaces", data=data).location == "/workspaces"
    client.post("/logout")
    evil = client.post("/login?next=https://evil.example/", data=data)
    assert "evil" not in evil.location
    client.post("/logout")
    evil = client.post("/login?next=//evil.example/", data=data)
    assert "evil" not in evil.location


def test_login_rotates_the_session(client, world, login):
    with client.session_transaction() as sess:
        sess["planted"] = "by an attacker"
    login(world.owner)
    with client.session_transaction() as sess:
        assert "planted" not in sess


def test_logout_ends_the_session_and_a_replayed_cookie_is_refused(client, world, login):
    login(world.owner)
    cookie = client.get_cookie("session").value
    assert client.get("/workspaces").status_code == 200
    assert db.session.scalar(select(func.count()).select_from(UserSession)) == 1

    response = client.post("/logout")
    assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(UserSession)) == 0

    client.set_cookie("session", cookie)  # the attacker replays the old cookie
    replayed = client.get("/workspaces")
    assert replayed.status_code == 302
    assert "/login" in replayed.location


def test_logout_needs_post(client, world, login):
    login(world.owner)
    assert client.get("/logout").status_code == 405
    assert client.get("/workspaces").status_code == 200


def test_disabled_user_loses_open_sessions_at_once(client, world, login, runner):
    login(world.owner)
    assert client.get("/workspaces").status_code == 200
    result = runner.invoke(args=["disable-user", world.owner.email])
    assert result.exit_code == 0, result.output
    assert client.get("/workspaces").status_code == 302
    assert login(world.owner).status_code == 401


def test_repeated_failures_are_throttled_with_429(client, world, login):
    for _ in range(5):
        assert login(world.owner, "wrong password").status_code == 401
    throttled = login(world.owner)  # even the right password waits now
    assert throttled.status_code == 429
    assert "Too many failed attempts" in throttled.get_data(as_text=True)
    # another account is not affected
    assert login(world.editor).status_code == 302


def test_success_clears_earlier_failures(client, world, login):
    for _ in range(4):
        login(world.owner, "wrong password")
    assert login(world.owner).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(FailedLogin)) == 0


def test_failures_outside_the_window_do_not_count(client, world, login):
    from datetime import timedelta

    from clock import utcnow

    for _ in range(5):
        db.session.add(FailedLogin(email=world.owner.email, at=utcnow() - timedelta(hours=1)))
    db.session.commit()
    assert login(world.owner).status_code == 302


def test_post_without_csrf_token_is_400(make_app, world):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    response = client.post("/login", data={"email": world.owner.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "Bad request" in response.get_data(as_text=True)


def test_login_with_csrf_token_works(make_app, world):
    import re

    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(
        "/login", data={"email": world.owner.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302
    # a state change without the token is refused even when logged in
    assert client.post("/logout").status_code == 400

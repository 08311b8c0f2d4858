"""The login throttle (atomic, per address, a growing delay per account), the stand-in hash
for unknown e-mails, caching and forwarded headers."""

from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from accounts import logins
from accounts.models import FailedLogin
from clock import utcnow
from extensions import db
from tests import factories
from tests.factories import PASSWORD


def _post_login(client, email, password, address="127.0.0.1"):
    return client.post(
        "/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def _failures(email, address, count, ago=timedelta(0)):
    at = utcnow() - ago
    for _ in range(count):
        db.session.add(FailedLogin(email=email, address=address, at=at))
    db.session.commit()


def _hash_parameters(hashed: str) -> str:
    return hashed.split("$", 1)[0]  # "scrypt:32768:8:1" or "pbkdf2:sha256:1000"


@pytest.mark.parametrize("method", ["scrypt", "pbkdf2:sha256:600000"])
def test_unknown_email_is_checked_against_a_hash_of_the_same_algorithm_and_cost(make_app, method):
    # what an unknown e-mail costs is the hash check of the stand-in; with the same algorithm
    # and parameters as a real user's hash it costs the same, whatever the clock says
    app = make_app(PASSWORD_HASH_METHOD=method)
    with app.app_context():
        real = factories.make_user("real@example.com").password_hash
        assert _hash_parameters(logins.dummy_hash()) == _hash_parameters(real)
        assert _hash_parameters(real).startswith(method.split(":")[0])
        db.session.rollback()


def test_sixteen_simultaneous_guesses_get_at_most_five_passwords_checked(app, world):
    clients = [app.test_client() for _ in range(16)]
    start = threading.Barrier(16)
    statuses: list[int] = []
    email = world.owner.email

    def guess(client, n):
        start.wait()
        statuses.append(_post_login(client, email, f"wrong guess {n}").status_code)

    threads = [threading.Thread(target=guess, args=(c, n)) for n, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(statuses) == 16 and set(statuses) <= {401, 429}
    checked = statuses.count(401)  # a 401 means the password was compared and was wrong
    assert 1 <= checked <= 5, statuses
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(FailedLogin)) == checked


def test_one_address_failing_across_accounts_is_refused_but_others_are_not(client, world):
    for n in range(20):
        assert _post_login(client, f"guess{n}@example.com", "wrong", "10.0.0.7").status_code == 401
    refused = _post_login(client, world.owner.email, PASSWORD, "10.0.0.7")
    assert refused.status_code == 429
    assert "from your network" in refused.get_data(as_text=True)
    assert _post_login(client, world.owner.email, PASSWORD, "10.0.0.8").status_code == 302


def test_failures_from_another_address_never_lock_out_the_right_password(client, world):
    _failures(world.owner.email, "203.0.113.9", 19)  # an attacker's guesses
    attacker = _post_login(client, world.owner.email, PASSWORD, "203.0.113.9")
    assert attacker.status_code == 429  # even the right password waits there
    assert "Too many failed attempts for this account" in attacker.get_data(as_text=True)
    assert _post_login(client, world.owner.email, PASSWORD, "198.51.100.4").status_code == 302


def test_the_delay_doubles_with_each_failure_and_then_lets_a_try_through(client, world):
    email = world.owner.email
    # 7 failures: the 2 beyond the first 5 make the delay 30 s × 2² = 2 minutes
    _failures(email, "10.1.1.1", 7, ago=timedelta(seconds=100))
    waiting = _post_login(client, email, PASSWORD, "10.1.1.1")
    assert waiting.status_code == 429
    assert re.search(r"Wait (19|20) seconds", waiting.get_data(as_text=True))
    db.session.execute(FailedLogin.__table__.update().values(at=utcnow() - timedelta(seconds=125)))
    db.session.commit()
    assert _post_login(client, email, PASSWORD, "10.1.1.1").status_code == 302


def test_a_try_refused_by_the_throttle_does_not_count(client, world):
    _failures(world.owner.email, "10.2.2.2", 5)
    for _ in range(5):
        assert _post_login(client, world.owner.email, "wrong", "10.2.2.2").status_code == 429
    assert db.session.scalar(select(func.count()).select_from(FailedLogin)) == 5


def test_pages_of_a_logged_in_user_are_never_stored(client, world, login):
    login(world.owner)
    for path in ("/workspaces", f"/workspaces/{world.workspace.id}/members", "/blueprints"):
        assert client.get(path).headers["Cache-Control"] == "no-store", path
    static = client.get("/static/css/app.css")
    assert static.headers.get("Cache-Control") != "no-store"
    static.close()


def test_forwarded_headers_are_ignored_unless_proxies_are_trusted(make_app, world):
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "192.0.2.44"}
    plain = make_app().test_client().get("/login", headers=forwarded)
    assert "Strict-Transport-Security" not in plain.headers

    behind_proxy = make_app(TRUSTED_PROXIES=1).test_client()
    answer = behind_proxy.get("/login", headers=forwarded)
    assert "max-age" in answer.headers["Strict-Transport-Security"]
    behind_proxy.post(
        "/login", data={"email": world.owner.email, "password": "wrong"}, headers=forwarded
    )
    assert db.session.scalars(select(FailedLogin.address)).all() == ["192.0.2.44"]


def test_trusted_proxies_must_be_a_number(monkeypatch):
    from wsgi import create_app

    with pytest.raises(RuntimeError, match="ROOTLINE_TRUSTED_PROXIES"):
        create_app({"TRUSTED_PROXIES": "yes", "SECRET_KEY": "x"})


def test_changing_my_password_needs_the_current_one_and_ends_my_other_sessions(
    make_app, world, login, client
):
    other_device = make_app().test_client()
    other_device.post("/login", data={"email": world.owner.email, "password": PASSWORD})
    login(world.owner)
    new = "a brand new password"
    wrong = client.post(
        "/account/password",
        data={"current_password": "not it at all", "new_password": new, "confirm": new},
    )
    assert wrong.status_code == 422
    assert "This is not your current password." in wrong.get_data(as_text=True)
    differ = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": new, "confirm": new + "x"},
    )
    assert differ.status_code == 422 and "The two new passwords differ." in differ.get_data(
        as_text=True
    )
    assert other_device.get("/workspaces").status_code == 200

    done = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": new, "confirm": new},
    )
    assert done.status_code == 302
    assert client.get("/workspaces").status_code == 200  # this session stays
    assert other_device.get("/workspaces").status_code == 302  # the other one is logged out
    client.post("/logout")
    assert login(world.owner).status_code == 401
    assert login(world.owner, new).status_code == 302


def test_guessing_the_current_password_is_throttled_like_a_login(client, world, login):
    login(world.owner)
    data = {"current_password": "guess", "new_password": "x" * 10, "confirm": "x" * 10}
    statuses = [client.post("/account/password", data=data).status_code for _ in range(7)]
    assert statuses[:5] == [422] * 5 and statuses[5:] == [429, 429]

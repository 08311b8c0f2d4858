"""Deny by default: every route needs a login unless it is public on purpose."""

import pytest
from werkzeug.routing import IntegerConverter, UUIDConverter

from accounts.security import PUBLIC_BLUEPRINTS, PUBLIC_ENDPOINTS

# accounts.join: an invitation's setup link, for people with no account yet;
# accounts.choose_language: the login page's language switch (a POST with CSRF, a cookie)
PUBLIC = {
    "accounts.login",
    "accounts.join",
    "accounts.choose_language",
    "healthz",
    "static",
    "bootstrap.static",
}


def _sample_url(app, rule) -> str:
    values = {}
    for name, converter in rule._converters.items():
        if isinstance(converter, IntegerConverter):
            values[name] = 1
        elif isinstance(converter, UUIDConverter):
            values[name] = "00000000-0000-0000-0000-000000000000"
        else:
            values[name] = "x"
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **values)


def test_public_endpoints_are_exactly_the_listed_ones():
    assert set(PUBLIC_ENDPOINTS) == PUBLIC
    assert set(PUBLIC_BLUEPRINTS) == {"shared"}  # the pages a share link opens, and no more


def test_every_route_sends_anonymous_users_to_login(app, client):
    checked = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC:
            continue
        url = _sample_url(app, rule)
        if rule.endpoint.startswith("shared."):  # the token is the key: a wrong one opens nothing
            assert client.get(url).status_code == 404, rule.rule
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method)
            assert response.status_code == 302, (rule.rule, method, response.status_code)
            assert response.location.startswith("/login"), (rule.rule, method)
            checked += 1
    assert checked >= 8  # the walk really ran over the app's routes


@pytest.mark.parametrize("path", ["/healthz", "/login"])
def test_public_routes_answer_anonymous_users(client, path):
    assert client.get(path).status_code == 200

"""The app factory, configuration, health check, error pages and security headers."""

import pytest

from config import Config, ProductionConfig
from wsgi import create_app


def test_factory_is_not_testing_unless_asked(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite'}"})
    assert app.testing is False
    assert app.config["BOOTSTRAP_SERVE_LOCAL"] is True


def test_factory_uses_given_config(app):
    assert app.testing is True


def test_production_refuses_to_start_without_secret_key(monkeypatch):
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", None)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(ProductionConfig)


def test_production_cookies_are_secure(monkeypatch):
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", "x" * 40)
    monkeypatch.setattr(ProductionConfig, "SQLALCHEMY_DATABASE_URI", "sqlite://")
    app = create_app(ProductionConfig)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_postgres_urls_use_psycopg3(monkeypatch):
    from config import normalise_database_url

    assert normalise_database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("sqlite:///x") == "sqlite:///x"


def test_default_database_is_sqlite_in_instance():
    from config import INSTANCE_DIR, _sqlite_default

    assert _sqlite_default() == f"sqlite:///{INSTANCE_DIR / 'rootline.sqlite'}"
    assert Config.PASSWORD_HASH_METHOD == "scrypt"


def test_embedded_sqlite_uses_wal_and_busy_timeout(tmp_path):
    # Always on a SQLite file of its own: the embedded default, whatever the suite runs on.
    from sqlalchemy import text

    from extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'wal.sqlite'}"})
    with app.app_context():
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA busy_timeout")).scalar() == 5000
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        db.session.remove()
        db.engine.dispose()


def test_healthz_is_public_and_checks_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_unknown_page_is_friendly_404(client, world, login):
    login(world.owner)
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert b"Not found" in response.data
    assert b"Traceback" not in response.data


def test_500_page_shows_no_stack_trace(make_app, world):
    app = make_app(TESTING=False, PROPAGATE_EXCEPTIONS=False)

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    from accounts.security import PUBLIC_ENDPOINTS

    assert "boom" not in PUBLIC_ENDPOINTS
    client = app.test_client()
    client.post("/login", data={"email": world.owner.email, "password": "correct horse battery"})
    response = client.get("/boom")
    assert response.status_code == 500
    assert b"Something went wrong" in response.data
    assert b"secret internals" not in response.data and b"Traceback" not in response.data


def test_security_headers_on_every_response(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ):
        assert directive in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]
    assert "Strict-Transport-Security" not in response.headers
    secure = client.get("/login", base_url="https://localhost")
    assert "max-age" in secure.headers["Strict-Transport-Security"]


def test_bootstrap_is_served_locally(client):
    page = client.get("/login").get_data(as_text=True)
    assert "cdn." not in page and "https://" not in page
    with client.get("/bootstrap/static/css/bootstrap.min.css") as css:
        assert css.status_code == 200


def test_a_concurrent_save_is_a_409_not_a_silent_overwrite(make_app, world):
    from extensions import db
    from tests import factories

    app = make_app()
    blueprint, _ = factories.make_blueprint(world.workspace, "Race")
    factories.commit()
    blueprint_id = blueprint.id

    @app.post("/race")
    def race():
        from blueprint.models import ServiceBlueprint

        mine = db.session.get(ServiceBlueprint, blueprint_id)
        mine.name = "mine"
        # another worker saves first: bump the row's version behind our back
        with db.engine.begin() as other:
            other.exec_driver_sql(
                "UPDATE service_blueprint SET version = version + 1, name = 'theirs' "
                f"WHERE id = {blueprint_id}"
            )
        db.session.commit()
        return "saved"

    client = app.test_client()
    client.post("/login", data={"email": world.owner.email, "password": factories.PASSWORD})
    response = client.post("/race")
    assert response.status_code == 409
    assert "Someone else changed this" in response.get_data(as_text=True)
    with app.app_context():
        from blueprint.models import ServiceBlueprint

        assert db.session.get(ServiceBlueprint, blueprint_id).name == "theirs"

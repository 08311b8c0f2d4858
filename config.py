"""Configuration, read from the environment here and nowhere else.

`create_app()` picks `ProductionConfig` when ROOTLINE_ENV=production, else `Config`
(the embedded default: SQLite in instance/). Tests pass `TestConfig` or a dict.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # config stays pure: Flask is only a type here
    from flask import Flask

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("ROOTLINE_INSTANCE", BASE_DIR / "instance"))


def _sqlite_default() -> str:
    return f"sqlite:///{INSTANCE_DIR / 'rootline.sqlite'}"


def normalise_database_url(url: str) -> str:
    """Accept the URLs hosting platforms hand out and use psycopg 3 for PostgreSQL."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _local_secret_key() -> str:
    """A per-installation key kept in instance/, so demo sessions survive restarts."""
    path = INSTANCE_DIR / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        path.write_text(key)
        path.chmod(0o600)
        return key


def _check_proxies(config: dict) -> None:
    value = str(config.get("TRUSTED_PROXIES") or "0").strip()
    if not value.isascii() or not value.isdigit():
        raise RuntimeError(
            f"ROOTLINE_TRUSTED_PROXIES must be a number of proxies (0, 1, 2…), not {value!r}."
        )
    config["TRUSTED_PROXIES"] = int(value)


def _jobs_default() -> str:
    return f"sqlite:///{INSTANCE_DIR / 'jobs.sqlite'}"


class Config:
    TESTING = False
    SECRET_KEY = os.environ.get("SECRET_KEY") or None
    SQLALCHEMY_DATABASE_URI = normalise_database_url(
        os.environ.get("DATABASE_URL") or _sqlite_default()
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SQLITE_BUSY_TIMEOUT_MS = 5000
    # the job queue (jobs/engine.py): a SQLite file beside the database, Redis or PostgreSQL
    JOBS_URL = os.environ.get("ROOTLINE_JOBS_URL") or _jobs_default()
    JOBS_QUEUE = os.environ.get("ROOTLINE_JOBS_QUEUE") or "rootline"  # one queue, many apps
    # a running job silent this long lost its worker: the sweep starts it again
    JOBS_LOST_AFTER = timedelta(seconds=float(os.environ.get("ROOTLINE_JOBS_LOST_AFTER") or 45))
    JOBS_IMMEDIATE = False  # run a job inside the call that enqueues it (tests only)

    BOOTSTRAP_SERVE_LOCAL = True  # no CDN: the app works offline
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    REMEMBER_COOKIE_DURATION = timedelta(seconds=0)

    MAX_CONTENT_LENGTH = 10 * 1024 * 1024
    # how many workspaces' dependency graphs and rankings each worker keeps built (an LRU;
    # about 40 MiB for 20,000 elements, see benchmarks/root_causes.py; 0: build per request)
    GRAPH_CACHE_SIZE = int(os.environ.get("ROOTLINE_GRAPH_CACHE_SIZE") or 8)
    # a blueprint workbook of more rows than this is imported by a job, not in the request
    IMPORT_JOB_ROWS = int(os.environ.get("ROOTLINE_IMPORT_JOB_ROWS") or 500)
    # an evidence file of more rows than this is applied by a job, with progress
    EVIDENCE_JOB_ROWS = int(os.environ.get("ROOTLINE_EVIDENCE_JOB_ROWS") or 2000)
    # a workspace backup to restore may be larger than other uploads (the owners' backup page)
    BACKUP_MAX_BYTES = int(float(os.environ.get("ROOTLINE_BACKUP_MAX_MB") or 50) * 1024 * 1024)
    MAX_FORM_MEMORY_SIZE = 500 * 1024
    MAX_FORM_PARTS = 2000

    PASSWORD_HASH_METHOD = "scrypt"
    LOGIN_MAX_FAILURES = 5  # per account in the window, then a growing delay
    LOGIN_MAX_FAILURES_PER_ADDRESS = 20  # per client address in the window, whatever account
    LOGIN_FAILURE_WINDOW = timedelta(minutes=15)
    LOGIN_DELAY = timedelta(seconds=30)  # the first delay; doubles with each failure

    INVITATION_LIFETIME = timedelta(hours=72)  # an invitation and its setup link

    # Share links: a client address that sends this many tokens that open nothing within the
    # window is refused (429) on every shared page until its oldest miss leaves the window.
    SHARE_LINK_MAX_MISSES_PER_ADDRESS = 20
    SHARE_LINK_MISS_WINDOW = timedelta(minutes=15)

    # Mail for invitations: with ROOTLINE_SMTP_HOST set, a setup link is also e-mailed to
    # the invitee (the owner always gets it to copy). SMTP_SECURITY: starttls, ssl or none.
    SMTP_HOST = os.environ.get("ROOTLINE_SMTP_HOST") or None
    SMTP_PORT = os.environ.get("ROOTLINE_SMTP_PORT") or None
    SMTP_SECURITY = os.environ.get("ROOTLINE_SMTP_SECURITY") or "starttls"
    SMTP_USERNAME = os.environ.get("ROOTLINE_SMTP_USERNAME") or None
    SMTP_PASSWORD = os.environ.get("ROOTLINE_SMTP_PASSWORD") or None
    SMTP_FROM = os.environ.get("ROOTLINE_SMTP_FROM") or None

    # Behind a TLS-terminating proxy: how many proxies to trust for X-Forwarded-For/-Proto/
    # -Host/-Port (Werkzeug's ProxyFix). 0 (the default) trusts none of these headers.
    TRUSTED_PROXIES = os.environ.get("ROOTLINE_TRUSTED_PROXIES") or "0"

    @classmethod
    def finalise(cls, config: dict) -> None:
        """Fill what depends on the environment at start-up, not at import."""
        if not config.get("SECRET_KEY"):
            config["SECRET_KEY"] = _local_secret_key()
        _check_proxies(config)


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"

    @classmethod
    def finalise(cls, config: dict) -> None:
        _check_proxies(config)
        if not config.get("SECRET_KEY"):
            raise RuntimeError(
                "SECRET_KEY is not set. Production refuses to start without it: "
                "export SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(48))')"
            )


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    WTF_CSRF_ENABLED = False
    # Hashing cost is not what the suite checks; scrypt stays the production default.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    JOBS_IMMEDIATE = True  # Huey's immediate mode; tests that need a consumer start one
    # The route walks send hundreds of wrong tokens from one address; the throttle's own
    # tests set the real limit.
    SHARE_LINK_MAX_MISSES_PER_ADDRESS = 100_000


def config_from_environment() -> type[Config]:
    return ProductionConfig if os.environ.get("ROOTLINE_ENV") == "production" else Config


def configure(app: Flask, config: type[Config] | Mapping[str, Any] | None) -> None:
    """The environment's configuration (`config_from_environment`), or the class given, or
    the environment's with the mapping's values on top; then what depends on start-up."""
    base = config_from_environment()
    if config is None:
        app.config.from_object(base)
    elif isinstance(config, Mapping):
        app.config.from_object(base)
        app.config.update(config)
    else:
        base = config
        app.config.from_object(config)
    base.finalise(app.config)

"""Share links: owners and editors make, list and revoke them on the blueprint's Share page;
a link opens its blueprint's board, summary, SVG and PDF to anyone, read-only, and
nothing else; a dead or wrong link is a 404 like any other."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from accounts.audit import AuditEvent
from blueprint.sharing import services as sharing
from blueprint.sharing.models import ShareLink, ShareLinkMiss
from clock import utcnow
from extensions import db
from jobs import sweep
from jobs.engine import engine_of
from tests import factories as f

SHARED_PAGES = ("", "summary", "board.svg", "summary.pdf")


@pytest.fixture
def fake_pdf(monkeypatch):
    """Chromium stands aside: the page it would print is kept, a tiny PDF comes back."""
    printed: list[str] = []

    def print_to_pdf(html: str) -> bytes:
        printed.append(html)
        return b"%PDF-1.4 shared"

    monkeypatch.setattr("backlog.routes.share.print_to_pdf", print_to_pdf)
    return printed


def _share(blueprint, by, days=30, label="for the steering group") -> tuple[ShareLink, str]:
    link, token = sharing.create(blueprint, by, days, label)
    f.commit()
    return link, token


def _new_link(client, blueprint_id, **data) -> tuple[str, str]:
    """Create a link through the page; (the page, the token of the link it shows once)."""
    response = client.post(f"/blueprints/{blueprint_id}/share", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page
    url = re.search(r'id="new-share-url" value="([^"]+)"|value="([^"]+)"[^>]*id="new-share-url"',
                    page)  # fmt: skip
    url = url.group(1) or url.group(2)
    return page, re.search(r"/s/([^/]+)/", url).group(1)


def test_an_editor_creates_a_link_that_is_shown_once_and_kept_only_as_a_hash(
    client, world, login, bmap
):
    login(world.editor)
    page = client.get(f"/blueprints/{bmap.blueprint.id}/share").get_data(as_text=True)
    assert 'value="30"' in page  # the default expiry
    page, token = _new_link(client, bmap.blueprint.id, days="7", label="for the steering group")
    assert "Copy it now" in page and "for the steering group" in page
    assert len(token) >= 43  # secrets.token_urlsafe(32): 256 bits
    link = db.session.execute(select(ShareLink)).scalar_one()
    assert link.token_hash == sharing.digest(token) and token not in link.token_hash
    assert link.label == "for the steering group" and link.created_by_id == world.editor.id
    assert timedelta(days=6, hours=23) < link.expires_at - utcnow() <= timedelta(days=7)
    # listed afterwards without the token, never used yet
    again = client.get(f"/blueprints/{bmap.blueprint.id}/share").get_data(as_text=True)
    assert token not in again and "for the steering group" in again and "never" in again


@pytest.mark.parametrize("days", ["0", "366", "-1", "x", "", "99999999999999999999", "1e309"])
def test_an_expiry_outside_1_to_365_days_is_refused_next_to_the_field(
    client, world, login, bmap, days
):
    login(world.owner)
    response = client.post(f"/blueprints/{bmap.blueprint.id}/share", data={"days": days})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "invalid-feedback" in page and "new-share-url" not in page
    assert db.session.scalar(select(func.count()).select_from(ShareLink)) == 0


def test_a_label_too_long_is_refused(client, world, login, bmap):
    login(world.owner)
    response = client.post(
        f"/blueprints/{bmap.blueprint.id}/share", data={"days": "3", "label": "x" * 121}
    )
    assert response.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(ShareLink)) == 0


def test_viewers_neither_see_nor_use_the_share_page(client, world, login, bmap):
    link, _ = _share(bmap.blueprint, world.owner)
    login(world.viewer)
    board = client.get(f"/blueprints/{bmap.blueprint.id}").get_data(as_text=True)
    assert "/share" not in board
    assert client.get(f"/blueprints/{bmap.blueprint.id}/share").status_code == 403
    assert (
        client.post(f"/blueprints/{bmap.blueprint.id}/share", data={"days": "3"}).status_code == 403
    )
    revoke = client.post(f"/blueprints/{bmap.blueprint.id}/share/{link.id}/revoke")
    assert revoke.status_code == 403
    db.session.expire_all()
    assert db.session.get(ShareLink, link.id).revoked_at is None
    assert db.session.scalar(select(func.count()).select_from(ShareLink)) == 1
    client.post("/logout")
    login(world.editor)
    board = client.get(f"/blueprints/{bmap.blueprint.id}").get_data(as_text=True)
    assert f'href="/blueprints/{bmap.blueprint.id}/share"' in board


def test_outsiders_get_404_and_a_link_is_revoked_only_on_its_own_blueprint(
    client, world, login, bmap
):
    link, _ = _share(bmap.blueprint, world.owner)
    other, _ = f.make_blueprint(world.workspace, "Other")
    f.commit()
    login(world.outsider)
    assert client.get(f"/blueprints/{bmap.blueprint.id}/share").status_code == 404
    assert client.post(f"/blueprints/{bmap.blueprint.id}/share/{link.id}/revoke").status_code == 404
    client.post("/logout")
    login(world.owner)
    assert client.get(f"/blueprints/{other.id}/share").status_code == 200
    assert client.post(f"/blueprints/{other.id}/share/{link.id}/revoke").status_code == 404
    db.session.expire_all()
    assert db.session.get(ShareLink, link.id).revoked_at is None


def test_a_revoked_link_stops_at_once_and_stays_listed_as_revoked(client, world, login, bmap):
    link, token = _share(bmap.blueprint, world.owner)
    assert client.get(f"/s/{token}/").status_code == 200
    login(world.editor)
    response = client.post(f"/blueprints/{bmap.blueprint.id}/share/{link.id}/revoke")
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "is revoked" in page and re.search(r"Revoked [A-Z][a-z]{2} \d{1,2}, 20\d\d, ", page)
    assert "Revoke</button>" not in page  # nothing left to revoke
    client.post("/logout")
    for path in SHARED_PAGES:
        assert client.get(f"/s/{token}/{path}").status_code == 404
    again = client.post(f"/blueprints/{bmap.blueprint.id}/share/{link.id}/revoke")
    assert again.status_code == 302  # logged out: to the login page, nothing happens


def test_create_and_revoke_need_the_csrf_token(make_app, world, bmap):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/login", data={"email": world.owner.email, "password": f.PASSWORD,
                                "csrf_token": csrf})  # fmt: skip
    url = f"/blueprints/{bmap.blueprint.id}/share"
    assert client.post(url, data={"days": "3"}).status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ShareLink)) == 0
    page = client.get(url).get_data(as_text=True)
    form_token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post(url, data={"days": "3", "csrf_token": form_token}).status_code == 200
    with app.app_context():
        link_id = db.session.scalar(select(ShareLink.id))
    revoke = f"{url}/{link_id}/revoke"
    assert client.post(revoke).status_code == 400
    with app.app_context():
        assert db.session.get(ShareLink, link_id).revoked_at is None
    page = client.get(url).get_data(as_text=True)
    button_token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert client.post(revoke, data={"csrf_token": button_token}).status_code == 303
    with app.app_context():
        assert db.session.get(ShareLink, link_id).revoked_at is not None


def test_the_link_opens_its_four_pages_without_a_login(client, world, bmap, fake_pdf):
    _, token = _share(bmap.blueprint, world.owner)
    board = client.get(f"/s/{token}/")
    assert board.status_code == 200 and "Places order" in board.get_data(as_text=True)
    summary = client.get(f"/s/{token}/summary")
    assert summary.status_code == 200 and "Order to cash" in summary.get_data(as_text=True)
    svg = client.get(f"/s/{token}/board.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    assert "order-to-cash-board.svg" in svg.headers["Content-Disposition"]
    assert b"Places order" in svg.data
    pdf = client.get(f"/s/{token}/summary.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert "Order to cash - summary.pdf" in pdf.headers["Content-Disposition"]
    # the page Chromium printed has no way into the workspace either
    assert len(fake_pdf) == 1 and "/blueprints/" not in fake_pdf[0]
    assert "Download PDF" not in fake_pdf[0]


def test_every_shared_answer_says_noindex_and_sends_no_referrer(client, world, bmap, fake_pdf):
    _, token = _share(bmap.blueprint, world.owner)
    for path in SHARED_PAGES:
        response = client.get(f"/s/{token}/{path}")
        assert response.status_code == 200, path
        assert response.headers["X-Robots-Tag"].startswith("noindex")
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert response.headers["Cache-Control"] == "no-store"
        assert "Set-Cookie" not in response.headers  # no session for whoever holds a link
    for path in ("", "summary"):
        page = client.get(f"/s/{token}/{path}").get_data(as_text=True)
        assert '<meta name="robots" content="noindex, nofollow">' in page
        assert '<meta name="referrer" content="no-referrer">' in page
    wrong = client.get("/s/not-a-token/")
    assert wrong.headers["X-Robots-Tag"].startswith("noindex")


def test_the_sweep_removes_links_dead_for_more_than_a_day(app, world, bmap):
    now = utcnow()
    fresh, _ = _share(bmap.blueprint, world.owner, label="fresh")
    expired_today, _ = _share(bmap.blueprint, world.owner, label="expired today")
    expired_today.expires_at = now - timedelta(hours=2)
    expired_long, _ = _share(bmap.blueprint, world.owner, label="expired long ago")
    expired_long.expires_at = now - timedelta(days=1, minutes=1)
    revoked_long, _ = _share(bmap.blueprint, world.owner, label="revoked long ago")
    revoked_long.revoked_at = now - timedelta(days=1, minutes=1)
    db.session.add(ShareLinkMiss(address="203.0.113.9", at=now - timedelta(minutes=16)))
    db.session.add(ShareLinkMiss(address="203.0.113.9", at=now))
    f.commit()
    sweep.run_all(app, engine_of(app))
    db.session.expire_all()
    kept = sorted(db.session.scalars(select(ShareLink.label)))
    assert kept == ["expired today", "fresh"]
    assert db.session.scalar(select(func.count()).select_from(ShareLinkMiss)) == 1
    # their history stays
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.entity == "share_link", AuditEvent.action == "create")
        )
        == 4
    )

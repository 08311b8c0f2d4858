"""What a share link opens, and what it never gives away: exactly its blueprint's pages
(board, the drawing its print shows, summary, SVG and PDF), read-only, with nothing of the
workspace around them; every other route answers as to anyone; dead and wrong tokens are
the same 404, throttled per client address; the token never reaches the audit trail or a
log line."""

from __future__ import annotations

import json
import logging
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from accounts.audit import AuditEvent
from accounts.security import PUBLIC_ENDPOINTS
from blueprint.sharing import services as sharing
from clock import utcnow
from extensions import db
from tests import factories as f
from tests.helpers import every_route, fresh_ids, route_url

SHARED_PAGES = ("", "summary", "board.svg", "summary.pdf", "board-print.svg")
ASSETS = ("/static/", "/bootstrap/static/", "#i-")  # stylesheets, scripts, the page's icons


@pytest.fixture(autouse=True)
def fake_pdf(monkeypatch):
    monkeypatch.setattr(
        "backlog.routes.share.print_to_pdf", lambda html: b"%PDF-1.4 " + html.encode()
    )


def _share(blueprint, by, **values):
    link, token = sharing.create(blueprint, by, values.get("days", 30), values.get("label", ""))
    f.commit()
    return link, token


def _links_in(page: str) -> list[str]:
    return re.findall(r'(?:href|action)="([^"]+)"', page)


def test_a_shared_board_is_read_only_and_leads_nowhere_in_the_workspace(client, world, login, bmap):
    current, _ = f.make_blueprint(world.workspace, "Secret current state", ("A",))
    bmap.blueprint.based_on_id = current.id
    insight = f.make_insight(world.workspace, "Slow confirmations", bmap.buyer, severity=5)
    f.make_task(world.workspace, "Train the desk", insights=[insight], targets=[bmap.desk])
    # a step of another blueprint that one of ours is linked to: not even its id shows
    _, stages = f.make_blueprint(world.workspace, "Another journey", ("B",))
    elsewhere = f.make_element(stages[0], "backstage", "Hidden step")
    f.link(bmap.desk, elsewhere)
    _, token = _share(bmap.blueprint, world.owner)
    login(world.owner)  # a member opening the link sees what anyone sees
    page = client.get(f"/s/{token}/").get_data(as_text=True)
    for shown in ("Order to cash", "Places order", "Desk confirms", "Service desk", "ERP"):
        assert shown in page
    for hidden in ("Secret current state", "Another journey", "Hidden step", "Acme Support",
                   "Olive Owner</a>", "Log out", "Edit blueprint", "+ Add", "Rename",
                   "Mark reviewed", "Record an insight", "Download workbook", "History",
                   'name="csrf_token"', "Share</a>"):  # fmt: skip
        assert hidden not in page, hidden
    partners = re.findall(r'data-links="([^"]*)"', page)
    assert partners and all(str(elsewhere.id) not in p.split() for p in partners)
    assert f"el-{elsewhere.id}" not in page
    allowed = {f"/s/{token}/", f"/s/{token}/summary", f"/s/{token}/board.svg",
               f"/s/{token}/summary.pdf", f"/s/{token}/board-print.svg", "#main"}  # fmt: skip
    for target in _links_in(page):
        assert target in allowed or target.startswith(ASSETS), target
    # the badges of insights, tasks and findings stay, as words without links
    assert "Task: Train the desk" in page or "Train the desk" in page
    assert "<title>Order to cash · Rootline</title>" in page


def test_a_shared_summary_has_no_way_into_the_workspace(client, world, bmap):
    insight = f.make_insight(world.workspace, "Nobody confirms", bmap.buyer, severity=5)
    f.make_task(world.workspace, "Train the desk", insights=[insight], targets=[bmap.desk],
                impact=5, effort=2)  # fmt: skip
    _, token = _share(bmap.blueprint, world.owner)
    page = client.get(f"/s/{token}/summary").get_data(as_text=True)
    assert "Nobody confirms" in page
    assert 'aria-label="1. Train the desk — impact 5, effort 2"' in page  # its point, by rank
    assert "Back to the board" not in page and 'name="csrf_token"' not in page
    assert "/tasks/" not in page and "/blueprints/" not in page
    allowed = {f"/s/{token}/", f"/s/{token}/summary", f"/s/{token}/board.svg",
               f"/s/{token}/summary.pdf", "#main"}  # fmt: skip
    for target in _links_in(page):
        assert target in allowed or target.startswith(ASSETS), target
    assert "<title>Summary: Order to cash · Rootline</title>" in page


def test_a_link_opens_exactly_its_pages_and_every_other_route_answers_as_to_anyone(
    app, client, world, bmap
):
    ids = fresh_ids(world, world.owner)
    holder = app.test_client()  # holds a link and has opened every shared page
    for path in SHARED_PAGES:
        assert holder.get(f"/s/{ids['share_token']}/{path}").status_code == 200
    anyone = app.test_client()
    checked = 0
    for rule, method in every_route(app):
        if rule.endpoint in PUBLIC_ENDPOINTS or rule.endpoint.startswith("shared."):
            continue
        url = route_url(app, rule, ids)
        for attempt in (url, f"{url}?share_token={ids['share_token']}"):
            mine = holder.open(attempt, method=method)
            theirs = anyone.open(attempt, method=method)
            assert (mine.status_code, mine.headers.get("Location")) == (
                theirs.status_code,
                theirs.headers.get("Location"),
            ), (method, rule.rule)
            assert mine.status_code == 302 and "/login" in mine.headers["Location"]
            checked += 1
    assert checked > 100
    # and under /s/<token>/ nothing but its pages
    for path in ("elements/1", "history", "workbook.xlsx", "insights", "tasks/1", "share",
                 "board", "summary/pdf", "health"):  # fmt: skip
        assert holder.get(f"/s/{ids['share_token']}/{path}").status_code == 404, path
    assert holder.post(f"/s/{ids['share_token']}/").status_code == 405


def test_the_token_of_one_blueprint_opens_no_other(client, world, bmap):
    other, stages = f.make_blueprint(world.workspace, "Returns", ("Return",))
    f.make_element(stages[0], "customer_action", "Sends it back")
    _, mine = _share(bmap.blueprint, world.owner)
    _, theirs = _share(other, world.owner)
    cases = [
        (mine, ("Order to cash", "Places order"), "Sends it back"),
        (theirs, ("Returns", "Sends it back"), "Places order"),
    ]
    for token, shown, hidden in cases:
        for path in SHARED_PAGES:
            page = client.get(f"/s/{token}/{path}?blueprint_id={other.id}").get_data(as_text=True)
            assert hidden not in page, path
            assert shown[0] in page, path  # its name, on every page and file
            if path in ("", "board.svg"):
                assert shown[1] in page, path
    page = client.get(f"/s/{mine}/").get_data(as_text=True)
    assert "Returns" not in page


def test_expired_revoked_and_wrong_tokens_answer_the_same_404(client, world, bmap):
    expired, expired_token = _share(bmap.blueprint, world.owner)
    expired.expires_at = utcnow() - timedelta(seconds=1)
    revoked, revoked_token = _share(bmap.blueprint, world.owner)
    sharing.revoke(revoked)
    _, good = _share(bmap.blueprint, world.owner)
    f.commit()
    wrong = [good[:-1] + ("A" if good[-1] != "A" else "B"), "x", good.upper(), "é" * 43,
             "0" * 300]  # fmt: skip
    answers = set()
    for token in [expired_token, revoked_token, *wrong]:
        for path in SHARED_PAGES:
            response = client.get(f"/s/{token}/{path}")
            assert response.status_code == 404, (token, path)
            body = response.get_data(as_text=True)
            assert len(token) < 10 or token not in body
            answers.add((path, body, response.headers["Content-Type"]))
    assert len(answers) == len(SHARED_PAGES)  # the same page, whatever the token


def test_tokens_that_open_nothing_are_throttled_per_client_address(make_app, world, bmap):
    app = make_app(SHARE_LINK_MAX_MISSES_PER_ADDRESS=3)
    with app.app_context():
        _, token = _share(bmap.blueprint, world.owner)
    client = app.test_client()
    here = {"REMOTE_ADDR": "203.0.113.7"}
    for n in range(3):
        assert client.get(f"/s/wrong{n}/", environ_base=here).status_code == 404
    refused = client.get("/s/wrong3/", environ_base=here)
    assert refused.status_code == 429 and "Retry-After" in refused.headers
    assert "Wait a few minutes" in refused.get_data(as_text=True)
    # the right token too: otherwise the answer would still tell a found token from a wrong one
    assert client.get(f"/s/{token}/", environ_base=here).status_code == 429
    # another address is not held up, and refused tries do not grow the count
    assert (
        client.get(f"/s/{token}/", environ_base={"REMOTE_ADDR": "198.51.100.1"}).status_code == 200
    )
    with app.app_context():
        from blueprint.sharing.models import ShareLinkMiss

        assert db.session.scalar(select(func.count()).select_from(ShareLinkMiss)) == 3
        db.session.execute(update(ShareLinkMiss).values(at=utcnow() - timedelta(minutes=16)))
        db.session.commit()
    assert client.get(f"/s/{token}/", environ_base=here).status_code == 200  # window passed


def test_views_creates_and_revokes_are_in_the_audit_trail_and_the_token_never_is(
    client, world, login, bmap, caplog
):
    caplog.set_level(logging.DEBUG)
    login(world.editor)
    response = client.post(
        f"/blueprints/{bmap.blueprint.id}/share", data={"days": "5", "label": "for the board"}
    )
    token = re.search(r"/s/([^/\"]+)/", response.get_data(as_text=True)).group(1)
    link_id = db.session.scalar(select(sharing.ShareLink.id))
    client.post("/logout")
    for path in SHARED_PAGES:
        assert client.get(f"/s/{token}/{path}").status_code == 200
    login(world.editor)
    client.post(f"/blueprints/{bmap.blueprint.id}/share/{link_id}/revoke")
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.entity == "share_link").order_by(AuditEvent.id)
    ).all()
    assert [(e.action, e.user_id) for e in events] == [
        ("create", world.editor.id),
        *[("share_view", None)] * len(SHARED_PAGES),
        ("update", world.editor.id),
    ]
    pages = [json.loads(e.changes)["page"][1] for e in events[1 : 1 + len(SHARED_PAGES)]]
    assert pages == list(sharing.PAGES)
    assert all(e.blueprint_id == bmap.blueprint.id and e.label == "for the board" for e in events)
    assert "revoked_at" in events[-1].changed
    everything = " ".join(
        f"{e.label} {e.changes}" for e in db.session.scalars(select(AuditEvent)).all()
    )
    assert token not in everything and sharing.digest(token) not in everything
    # the history says it in words
    history = client.get(f"/blueprints/{bmap.blueprint.id}/history").get_data(as_text=True)
    assert "someone, through a share link" in history and "viewed the summary PDF" in history
    assert token not in caplog.text


def test_log_lines_that_carry_a_shared_path_carry_no_token(
    make_app, world, bmap, caplog, monkeypatch
):
    caplog.set_level(logging.INFO)
    app = make_app(PROPAGATE_EXCEPTIONS=False)
    with app.app_context():
        _, token = _share(bmap.blueprint, world.owner)

    def broken(*_args, **_kwargs):
        raise RuntimeError("the SVG writer broke")

    monkeypatch.setattr("blueprint.routes.share.board_svg.render", broken)
    response = app.test_client().get(f"/s/{token}/board.svg")
    assert response.status_code == 500
    assert "Exception on /s/[redacted]/board.svg [GET]" in caplog.text
    # the servers' request lines: the development server's and gunicorn's access log
    logging.getLogger("werkzeug").info(
        '127.0.0.1 - - "%s" 200 -', f"GET /s/{token}/summary HTTP/1.1"
    )
    logging.getLogger("gunicorn.access").info(
        f'"GET /s/{token}/ HTTP/1.1" 200 "https://x/s/{token}/"'
    )
    assert caplog.text.count("/s/[redacted]/") >= 3
    assert token not in caplog.text

"""Invitations: nobody becomes a member without accepting; setup links for people without
an account; the same answer for known and unknown e-mails; leaving; where a login lands."""

from __future__ import annotations

import hashlib
import re
import socket
import threading
from datetime import timedelta
from email import message_from_bytes
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from accounts.models import Invitation, Membership, Role, User
from clock import utcnow
from extensions import db
from tests import factories
from tests.factories import PASSWORD


def _members(workspace) -> set[str]:
    return set(
        db.session.scalars(
            select(User.email)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.workspace_id == workspace.id)
        )
    )


def _invite(client, workspace, email, role="editor"):
    return client.post(f"/workspaces/{workspace.id}/members", data={"email": email, "role": role})


def _link(response) -> str:
    return re.search(r'value="(http://localhost/join/[^"]+)"', response.get_data(as_text=True))[1]


def _path(link: str) -> str:
    return link.removeprefix("http://localhost")


def test_inviting_someone_makes_no_membership_until_they_accept(client, world, login):
    login(world.owner)
    response = _invite(client, world.workspace, world.outsider.email)
    assert response.status_code == 200
    assert world.outsider.email not in _members(world.workspace)
    client.post("/logout")

    login(world.outsider)
    assert client.get(f"/workspaces/{world.workspace.id}/members").status_code == 404
    invitation = db.session.scalars(select(Invitation)).one()
    accepted = client.post(f"/invitations/{invitation.id}", data={"answer": "accept"})
    assert accepted.status_code == 302
    assert world.outsider.email in _members(world.workspace)
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0
    page = client.get("/workspaces").get_data(as_text=True)
    assert "Workspace: <strong>Acme Support</strong>" in page  # joining makes it current


def test_inviting_an_unknown_email_answers_exactly_like_a_known_one(client, world, login):
    login(world.owner)
    known = _invite(client, world.workspace, "outsider@example.com")
    unknown = _invite(client, world.workspace, "nobody-here@example.com")
    assert known.status_code == unknown.status_code == 200

    def shape(response, email):
        text = response.get_data(as_text=True).replace(email, "EMAIL")
        text = re.sub(r"/join/[A-Za-z0-9_-]+", "/join/TOKEN", text)
        return re.sub(r"<tbody>.*?</tbody>", "", text, flags=re.S)  # the lists differ by one

    assert shape(known, "outsider@example.com") == shape(unknown, "nobody-here@example.com")
    assert "No Rootline user" not in unknown.get_data(as_text=True)


def test_the_invitee_sees_a_notice_on_every_page_until_they_answer(client, world, login):
    lookalike = factories.make_workspace("!! Acme Support (IT notice)", world.outsider)
    db.session.add(
        Invitation(
            workspace_id=lookalike.id,
            email=world.editor.email,
            role=Role.EDITOR,
            invited_by_id=world.outsider.id,
            token_hash="x" * 64,
            expires_at=utcnow() + timedelta(hours=1),
        )
    )
    factories.commit()
    login(world.editor)
    board = client.get("/blueprints").get_data(as_text=True)
    # never landed in a workspace only invited to: their own is the current one
    assert "Workspace: <strong>Acme Support</strong>" in board
    assert "Otto Outsider (outsider@example.com) invites you to join" in board
    assert "!! Acme Support (IT notice)" in board
    workspaces = client.get("/workspaces").get_data(as_text=True)
    assert "Invitations waiting for your answer" in workspaces
    invitation = db.session.scalars(select(Invitation)).one()
    declined = client.post(f"/invitations/{invitation.id}", data={"answer": "decline"})
    assert declined.status_code == 302
    assert world.editor.email not in _members(lookalike)
    assert "invites you" not in client.get("/blueprints").get_data(as_text=True)


def test_someone_else_cannot_answer_my_invitation(client, world, login):
    login(world.owner)
    _invite(client, world.workspace, "newcomer@example.com")
    client.post("/logout")
    login(world.outsider)
    invitation = db.session.scalars(select(Invitation)).one()
    assert (
        client.post(f"/invitations/{invitation.id}", data={"answer": "accept"}).status_code == 404
    )
    assert world.outsider.email not in _members(world.workspace)


def test_setup_link_creates_the_account_and_joins_once(app, client, world, login):
    login(world.owner)
    link = _link(_invite(client, world.workspace, "Nina@Example.com", "viewer"))
    token = link.rsplit("/", 1)[1]
    stored = db.session.scalars(select(Invitation.token_hash)).one()
    assert stored == hashlib.sha256(token.encode()).hexdigest() and token not in stored

    newcomer = app.test_client()
    page = newcomer.get(_path(link))
    assert page.status_code == 200
    assert "nina@example.com" in page.get_data(as_text=True)
    short = newcomer.post(
        _path(link), data={"name": "Nina", "password": "short", "confirm": "short"}
    )
    assert short.status_code == 422
    joined = newcomer.post(
        _path(link),
        data={"name": "Nina New", "password": "nina's password", "confirm": "nina's password"},
    )
    assert joined.status_code == 302
    assert "nina@example.com" in _members(world.workspace)
    assert "Workspace: <strong>Acme Support</strong>" in newcomer.get("/workspaces").get_data(
        as_text=True
    )
    again = app.test_client().get(_path(link))
    assert again.status_code == 404
    assert "This link no longer works" in again.get_data(as_text=True)


def test_setup_link_expires_after_72_hours(app, client, world, login):
    login(world.owner)
    link = _link(_invite(client, world.workspace, "late@example.com"))
    invitation = db.session.scalars(select(Invitation)).one()
    assert timedelta(hours=71) < invitation.expires_at - utcnow() <= timedelta(hours=72)
    invitation.expires_at = utcnow() - timedelta(seconds=1)
    factories.commit()
    assert app.test_client().get(_path(link)).status_code == 404


def test_setup_link_for_an_email_with_an_account_asks_to_log_in_and_changes_nothing(
    app, client, world, login
):
    login(world.owner)
    link = _link(_invite(client, world.workspace, world.outsider.email))
    stranger = app.test_client()
    data = {"name": "Hijack", "password": "another password", "confirm": "another password"}
    response = stranger.post(_path(link), data=data)
    assert response.status_code == 422
    assert "Log in, and accept the invitation" in response.get_data(as_text=True)
    assert world.outsider.email not in _members(world.workspace)
    assert stranger.get("/workspaces").status_code == 302  # not logged in as anyone
    assert login(world.outsider).status_code == 302  # the password is unchanged


def test_setup_link_can_be_declined_without_an_account(app, client, world, login):
    login(world.owner)
    link = _link(_invite(client, world.workspace, "no-thanks@example.com"))
    stranger = app.test_client()
    response = stranger.post(_path(link), data={"answer": "decline"})
    assert response.status_code == 200 and "Invitation declined" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0
    assert stranger.get(_path(link)).status_code == 404


def test_a_withdrawn_invitation_link_stops_working(app, client, world, login):
    login(world.owner)
    link = _link(_invite(client, world.workspace, "maybe@example.com"))
    invitation = db.session.scalars(select(Invitation)).one()
    response = client.post(f"/workspaces/{world.workspace.id}/invitations/{invitation.id}/withdraw")
    assert response.status_code == 302
    assert app.test_client().get(_path(link)).status_code == 404


class StubSMTP:
    """Just enough SMTP on 127.0.0.1 to receive one message in a test."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(1)
        self.port = self.sock.getsockname()[1]
        self.messages: list[bytes] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        conn, _ = self.sock.accept()
        with conn, conn.makefile("rb") as lines:
            conn.sendall(b"220 stub\r\n")
            data = None
            for line in lines:
                if data is not None:
                    if line == b".\r\n":
                        self.messages.append(b"".join(data))
                        data = None
                        conn.sendall(b"250 queued\r\n")
                    else:
                        data.append(line[1:] if line.startswith(b"..") else line)
                    continue
                verb = line[:4].upper()
                if verb == b"EHLO" or verb == b"HELO":
                    conn.sendall(b"250 stub\r\n")
                elif verb == b"DATA":
                    data = []
                    conn.sendall(b"354 go on\r\n")
                elif verb == b"QUIT":
                    conn.sendall(b"221 bye\r\n")
                    break
                else:
                    conn.sendall(b"250 ok\r\n")
        self.sock.close()


def test_the_setup_link_is_mailed_when_smtp_is_configured(make_app, world):
    smtp = StubSMTP()
    app = make_app(SMTP_HOST="127.0.0.1", SMTP_PORT=str(smtp.port), SMTP_SECURITY="none")
    client = app.test_client()
    client.post("/login", data={"email": world.owner.email, "password": PASSWORD})
    response = _invite(client, world.workspace, "far-away@example.com")
    assert "It was also e-mailed to far-away@example.com." in response.get_data(as_text=True)
    smtp.thread.join(timeout=10)
    (raw,) = smtp.messages
    mail = message_from_bytes(raw)
    assert mail["To"] == "far-away@example.com"
    assert "Acme Support" in mail["Subject"]
    assert _link(response) in mail.get_payload(decode=True).decode()


PL_MONTHS = "sty lut mar kwi maj cze lip sie wrz paź lis gru".split()


def _mailed_invitation(make_app, inviter, email: str, headers=None) -> tuple[str, Invitation]:
    """The text of the invitation `inviter` e-mails to `email`, and its row."""
    smtp = StubSMTP()
    app = make_app(SMTP_HOST="127.0.0.1", SMTP_PORT=str(smtp.port), SMTP_SECURITY="none")
    client = app.test_client()
    client.post("/login", data={"email": inviter.email, "password": PASSWORD})
    workspace_id = db.session.scalars(
        select(Membership.workspace_id).where(Membership.user_id == inviter.id)
    ).first()
    sent = client.post(
        f"/workspaces/{workspace_id}/members",
        data={"email": email, "role": "editor"},
        headers=headers or {},
    )
    assert sent.status_code == 200
    smtp.thread.join(timeout=10)
    (raw,) = smtp.messages
    mail = message_from_bytes(raw)
    invitation = db.session.scalars(select(Invitation).where(Invitation.email == email)).one()
    return mail["Subject"] + "\n" + mail.get_payload(decode=True).decode(), invitation


def test_the_invitation_mail_is_in_a_known_invitees_language_and_time_zone(make_app, world):
    world.outsider.language, world.outsider.time_zone = "pl", "Europe/Warsaw"
    factories.commit()  # the inviter (the owner) reads English, in UTC
    text, invitation = _mailed_invitation(make_app, world.owner, world.outsider.email)
    there = invitation.expires_at.astimezone(ZoneInfo("Europe/Warsaw"))
    day = f"{there.day} {PL_MONTHS[there.month - 1]} {there.year}, {there:%H:%M}"
    assert f"otwórz ten link przed {day} (czas Europe/Warsaw)" in text
    assert "zaprasza Cię do przestrzeni roboczej Acme Support" in text
    assert "w roli: edytor" in text and "invites you" not in text and " UTC" not in text


def test_an_invitee_without_settings_reads_english_in_the_inviters_zone(make_app, world):
    world.owner.time_zone = "Asia/Tokyo"  # the outsider has chosen nothing
    factories.commit()
    text, invitation = _mailed_invitation(
        make_app, world.owner, world.outsider.email, headers={"Accept-Language": "en"}
    )
    there = invitation.expires_at.astimezone(ZoneInfo("Asia/Tokyo"))
    day = f"{there:%b} {there.day}, {there.year}, {there.hour % 12 or 12}:{there:%M}"
    assert f"open this link before {day}" in text and "(Asia/Tokyo time)" in text
    assert "Olive Owner (owner@example.com) invites you to Acme Support on Rootline" in text
    assert "as editor." in text


def test_a_mail_that_cannot_be_sent_is_told_and_the_link_still_shown(make_app, world):
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there
    app = make_app(SMTP_HOST="127.0.0.1", SMTP_PORT=str(port), SMTP_SECURITY="none")
    client = app.test_client()
    client.post("/login", data={"email": world.owner.email, "password": PASSWORD})
    response = _invite(client, world.workspace, "far-away@example.com")
    assert response.status_code == 200
    assert "E-mailing it failed" in response.get_data(as_text=True)
    assert "/join/" in _link(response)


def test_a_member_can_leave_a_workspace(client, world, login):
    login(world.editor)
    assert "Leave Acme Support?" in client.get(f"/workspaces/{world.workspace.id}/leave").get_data(
        as_text=True
    )
    response = client.post(f"/workspaces/{world.workspace.id}/leave", data={"confirm": "leave"})
    assert response.status_code == 302
    assert world.editor.email not in _members(world.workspace)
    assert client.get("/blueprints").status_code in (302, 404)  # no workspace any more


def test_the_last_owner_cannot_leave_and_is_told_why(client, world, login):
    login(world.owner)
    response = client.post(f"/workspaces/{world.workspace.id}/leave", data={"confirm": "leave"})
    assert response.status_code == 409
    assert "You are the last owner of this workspace" in response.get_data(as_text=True)
    assert world.owner.email in _members(world.workspace)


def test_after_login_i_land_in_the_workspace_i_last_used(client, world, login):
    second = factories.make_workspace("AAA First by name", world.owner)
    factories.commit()
    login(world.owner)
    client.post(f"/workspaces/{world.workspace.id}/switch")
    client.post("/logout")
    login(world.owner)
    page = client.get("/workspaces").get_data(as_text=True)
    assert "Workspace: <strong>Acme Support</strong>" in page
    client.post(f"/workspaces/{second.id}/switch")
    client.post("/logout")
    login(world.owner)
    assert "Workspace: <strong>AAA First by name</strong>" in client.get("/workspaces").get_data(
        as_text=True
    )


def test_the_current_workspace_is_shown_on_every_page(client, world, login):
    login(world.viewer)
    for path in ("/blueprints", "/backlog", "/workspaces", "/account/password"):
        assert "Workspace: <strong>Acme Support</strong>" in client.get(path).get_data(
            as_text=True
        ), path


def test_the_mailed_expiry_is_in_the_inviters_language_and_time_zone(make_app, world):
    smtp = StubSMTP()
    app = make_app(SMTP_HOST="127.0.0.1", SMTP_PORT=str(smtp.port), SMTP_SECURITY="none")
    client = app.test_client()
    client.post("/login", data={"email": world.owner.email, "password": PASSWORD})
    saved = client.post("/account", data={"language": "pl", "time_zone": "Europe/Warsaw"})
    assert saved.status_code == 302
    _invite(client, world.workspace, "far-away@example.com")
    smtp.thread.join(timeout=10)
    (raw,) = smtp.messages
    body = message_from_bytes(raw).get_payload(decode=True).decode()
    with app.app_context():
        invitation = db.session.scalars(
            select(Invitation).where(Invitation.email == "far-away@example.com")
        ).one()
        warsaw = invitation.expires_at.astimezone(ZoneInfo("Europe/Warsaw"))
    assert "(czas Europe/Warsaw)" in body and "UTC" not in body
    assert f"{warsaw:%H:%M}" in body and f"{warsaw.year}" in body  # Warsaw's clock, not UTC's

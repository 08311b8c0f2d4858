"""Sending an invitation's setup link by e-mail, when SMTP settings are in the environment
(config.py: ROOTLINE_SMTP_*). Standard library only: smtplib and email."""

from __future__ import annotations

import logging
import smtplib
import ssl
from datetime import datetime
from email.message import EmailMessage

from flask import current_app
from flask_babel import force_locale, get_locale, get_timezone
from flask_babel import gettext as _

from accounts.models import Role, User
from web.i18n import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES, format_when, time_zones

log = logging.getLogger("rootline.mail")

DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}


def configured() -> bool:
    return bool(current_app.config.get("SMTP_HOST"))


def invitation_message(
    to: str,
    workspace: str,
    inviter: str,
    role: Role,
    link: str,
    expires_at: datetime,
    invitee: User | None = None,
) -> EmailMessage:
    """The e-mail with an invitation's setup link, in the words of `written_for(invitee)`."""
    language, zone = written_for(invitee)
    with force_locale(language):
        return _invitation_message(to, workspace, inviter, role, link, expires_at, zone)


def written_for(invitee: User | None) -> tuple[str, str]:
    """The language and time zone an invitation's e-mail is written in: the invitee's own
    when the address has an account that chose them (each setting on its own), else the
    inviter's (the request's), the best guess about someone we do not know."""
    language = invitee.language if invitee is not None else None
    if language not in SUPPORTED_LANGUAGES:
        language = str(get_locale() or DEFAULT_LANGUAGE)
    zone = invitee.time_zone if invitee is not None else None
    if zone not in time_zones():
        zone = str(get_timezone() or "UTC")
    return language, zone


def _invitation_message(
    to: str, workspace: str, inviter: str, role: Role, link: str, expires_at: datetime, zone: str
) -> EmailMessage:
    config = current_app.config
    message = EmailMessage()
    message["Subject"] = _(
        "%(inviter)s invites you to %(workspace)s on Rootline", inviter=inviter, workspace=workspace
    )
    message["From"] = config.get("SMTP_FROM") or config.get("SMTP_USERNAME") or "rootline@localhost"
    message["To"] = to
    text = _(
        "%(inviter)s invites you to join the workspace %(workspace)s on Rootline as %(role)s."
        "\n\nTo accept (or decline), open this link before %(expires)s (%(zone)s time). It "
        "works once:"
        "\n\n%(link)s\n\n"
        "If you already have a Rootline account, you can also log in and answer the "
        "invitation on your workspaces page. If you did not expect this, ignore it: nothing "
        "changes unless you accept.",
        inviter=inviter,
        workspace=workspace,
        role=str(role.label).lower(),  # said here, in the reader's language
        expires=format_when(expires_at, zone),  # the zone named: the reader may live elsewhere
        zone=zone,
        link=link,
    )
    message.set_content(text + "\n")
    return message


def send(message: EmailMessage) -> str | None:
    """Send `message`; None when it went, else what went wrong, in words."""
    config = current_app.config
    security = (config.get("SMTP_SECURITY") or "starttls").lower()
    if security not in DEFAULT_PORTS:
        return _(
            "ROOTLINE_SMTP_SECURITY must be starttls, ssl or none, not %(value)s",
            value=repr(security),
        )
    host = config["SMTP_HOST"]
    port = int(config.get("SMTP_PORT") or DEFAULT_PORTS[security])
    try:
        if security == "ssl":
            smtp = smtplib.SMTP_SSL(host, port, timeout=10, context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(host, port, timeout=10)
        with smtp:
            if security == "starttls":
                smtp.starttls(context=ssl.create_default_context())
            if config.get("SMTP_USERNAME"):
                smtp.login(config["SMTP_USERNAME"], config.get("SMTP_PASSWORD") or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        log.warning("could not send mail to %s: %s", message["To"], exc)
        return f"{exc.__class__.__name__}: {exc}"
    return None

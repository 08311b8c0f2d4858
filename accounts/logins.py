"""Passwords, logins and their throttle, login sessions.

The throttle (README, "Accounts and access"):

- A client address that has failed `LOGIN_MAX_FAILURES_PER_ADDRESS` times in the window
  (`LOGIN_FAILURE_WINDOW`), whatever the accounts, is refused until its oldest failure
  leaves the window.
- An account's first `LOGIN_MAX_FAILURES` failures in the window cost nothing. From then on
  an address that has itself failed for this account waits after its own last failure
  before its next try: `LOGIN_DELAY` doubled for each further failure of the account, at
  most the window. Failures from other addresses never delay you, so nobody can lock the
  right password out; a try refused by the throttle does not count.

Counting is atomic: each try writes its row (and commits it) *before* it counts, so of any
number of simultaneous tries only those that find fewer than the limit ahead of them get
their password checked.
"""

from __future__ import annotations

import functools
import logging
import math
from collections.abc import Callable
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import delete, func, insert, select
from werkzeug.security import check_password_hash, generate_password_hash

from accounts import audit
from accounts.models import FailedLogin, User, UserSession
from accounts.services import (
    AccountError,
    LoginThrottled,
    check_password_rules,
    find_user,
    hash_password,
    normalise_email,
)
from clock import utcnow
from extensions import db

log = logging.getLogger("rootline.security")


@functools.cache
def _dummy_hash(method: str) -> str:
    return generate_password_hash("rootline-timing-equaliser", method=method)


def dummy_hash() -> str:
    """Checked when the e-mail is unknown: made with the same algorithm and cost as real
    hashes, so a wrong e-mail costs exactly as long as a wrong password."""
    return _dummy_hash(current_app.config["PASSWORD_HASH_METHOD"])


def _in_words(wait: timedelta) -> str:
    seconds = max(1, math.ceil(wait.total_seconds()))
    if seconds < 120:
        return ngettext("%(num)d second", "%(num)d seconds", seconds)
    minutes = math.ceil(seconds / 60)
    return ngettext("%(num)d minute", "%(num)d minutes", minutes)


def _check_throttle(connection, email: str, address: str, attempt_id: int) -> None:
    config = current_app.config
    now = utcnow()
    window = config["LOGIN_FAILURE_WINDOW"]
    recent = (FailedLogin.at > now - window, FailedLogin.id != attempt_id)
    from_address = connection.scalar(
        select(func.count()).select_from(FailedLogin).where(FailedLogin.address == address, *recent)
    )
    if from_address >= config["LOGIN_MAX_FAILURES_PER_ADDRESS"]:
        raise LoginThrottled(
            _("Too many failed logins from your network. Wait 15 minutes and try again.")
        )
    account_failures = connection.scalar(
        select(func.count()).select_from(FailedLogin).where(FailedLogin.email == email, *recent)
    )
    if account_failures < config["LOGIN_MAX_FAILURES"]:
        return
    last_here = connection.scalar(
        select(func.max(FailedLogin.at)).where(
            FailedLogin.email == email, FailedLogin.address == address, *recent
        )
    )
    if last_here is None:
        return  # this address has not failed for this account: never delayed by others
    extra = account_failures - config["LOGIN_MAX_FAILURES"]
    wait = min(config["LOGIN_DELAY"] * (2 ** min(extra, 30)), window)
    elapsed = max(now - last_here, timedelta(0))
    if elapsed < wait:
        raise LoginThrottled(
            _(
                "Too many failed attempts for this account. Wait %(wait)s and try again.",
                wait=_in_words(wait - elapsed),
            )
        )


def _guarded(email: str, address: str, verify: Callable[[], bool]) -> bool:
    """Run `verify` (a password check) unless the throttle refuses. The try's row is written
    and committed first, then counted, on a connection of its own (this request's session
    may hold one already: a burst of tries must not need two each); it stays as a failure
    unless the caller clears it, or goes at once when the throttle refuses the try."""
    with db.engine.connect() as connection:
        attempt_id = connection.execute(
            insert(FailedLogin).returning(FailedLogin.id),
            {"email": email, "address": address, "at": utcnow()},
        ).scalar_one()
        connection.commit()
        try:
            _check_throttle(connection, email, address, attempt_id)
        except LoginThrottled:
            connection.execute(delete(FailedLogin).where(FailedLogin.id == attempt_id))
            connection.commit()
            raise
        connection.rollback()  # end the read before the slow hash check
    return verify()


def _clear_failures(email: str, address: str) -> None:
    db.session.execute(
        delete(FailedLogin).where(FailedLogin.email == email, FailedLogin.address == address)
    )


def authenticate(email: str, password: str, address: str) -> User | None:
    """The user if e-mail and password match; None otherwise (the failure is recorded and
    committed at once). Raises LoginThrottled before the password is checked when the
    throttle says so."""
    email = normalise_email(email)
    found: list[User | None] = []

    def verify() -> bool:
        # looked up only now: the try's own row is written first, on a connection of its
        # own, before this request holds one (so a burst of logins cannot drain the pool)
        found.append(user := find_user(email))
        return check_password_hash(user.password_hash if user else dummy_hash(), password)

    ok = _guarded(email, address, verify)
    user = found[0]
    if not (ok and user and user.active):
        log.warning("failed login for %s from %s", email, address)
        if user is not None:
            audit.record_failed_login(user)
        return None
    _clear_failures(email, address)
    return user


def change_password(user: User, current: str, new: str, address: str) -> None:
    """The user's own change: the current password is checked (throttled like a login);
    every other session of the user ends, the one making the change stays."""
    check_password_rules(new)
    ok = _guarded(user.email, address, lambda: check_password_hash(user.password_hash, current))
    if not ok:
        raise AccountError(_("This is not your current password."), "current_password")
    _clear_failures(user.email, address)
    user.password_hash = hash_password(new)
    db.session.execute(
        delete(UserSession).where(
            UserSession.user_id == user.id, UserSession.token != user.session_token
        )
    )
    db.session.flush()


def start_session(user: User) -> str:
    """A fresh login token for `user`; the cookie will carry it."""
    token = UserSession.new_token()
    db.session.add(UserSession(token=token, user_id=user.id))
    db.session.flush()
    user.session_token = token
    return token


def end_session(token: str | None) -> None:
    if token:
        db.session.execute(delete(UserSession).where(UserSession.token == token))

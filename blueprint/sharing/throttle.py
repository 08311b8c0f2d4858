"""Requests with a token that opens nothing are counted per client address, in the
database so the count holds across workers (the pattern of the login throttle,
accounts/logins.py).

A client address that has sent `SHARE_LINK_MAX_MISSES_PER_ADDRESS` such tokens within
`SHARE_LINK_MISS_WINDOW` is refused with 429 on every shared page, working tokens
included (otherwise the answer would still tell a found token from a wrong one), until its
oldest miss leaves the window. Counting is atomic: each miss writes its row and commits it
on a connection of its own before it counts the others; a miss refused by the throttle is
removed again, so a flood does not grow the table.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import delete, func, insert, select

from blueprint.sharing.models import ShareLinkMiss
from clock import utcnow
from extensions import db


def _limits():
    config = current_app.config
    return config["SHARE_LINK_MAX_MISSES_PER_ADDRESS"], config["SHARE_LINK_MISS_WINDOW"]


def refused(address: str) -> bool:
    """Whether `address` has used up its misses in the window."""
    limit, window = _limits()
    misses = db.session.scalar(
        select(func.count())
        .select_from(ShareLinkMiss)
        .where(ShareLinkMiss.address == address, ShareLinkMiss.at > utcnow() - window)
    )
    return misses >= limit


def count_miss(address: str) -> bool:
    """Count a token that opened nothing; True if `address` was over the limit already
    (then the miss is not kept)."""
    limit, window = _limits()
    with db.engine.connect() as connection:
        miss_id = connection.execute(
            insert(ShareLinkMiss).returning(ShareLinkMiss.id),
            {"address": address, "at": utcnow()},
        ).scalar_one()
        connection.commit()
        ahead = connection.scalar(
            select(func.count())
            .select_from(ShareLinkMiss)
            .where(
                ShareLinkMiss.address == address,
                ShareLinkMiss.at > utcnow() - window,
                ShareLinkMiss.id != miss_id,
            )
        )
        if ahead < limit:
            connection.rollback()
            return False
        connection.execute(delete(ShareLinkMiss).where(ShareLinkMiss.id == miss_id))
        connection.commit()
        return True

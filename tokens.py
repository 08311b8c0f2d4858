"""The tokens of secret links (invitations, share links): only their hash is kept, and a
row is found by its token's hash, compared in constant time."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from sqlalchemy import select

from extensions import db


def digest(token: str) -> str:
    """The hash kept in place of `token`."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def row_by_token(model: Any, token: str) -> Any | None:
    """The row of `model` whose `token_hash` is `token`'s hash, or None."""
    wanted = digest(token)
    row = db.session.execute(select(model).where(model.token_hash == wanted)).scalar_one_or_none()
    if row is None or not hmac.compare_digest(row.token_hash, wanted):
        return None
    return row

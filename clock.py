"""The one clock: every timestamp Rootline writes is timezone-aware UTC (the `UTCDateTime`
column of dbtypes.py refuses any other), and pages turn it into words."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)

"""Import evidence: upload a file, map its columns, preview per step, apply."""

from __future__ import annotations

from backlog.evidence import models  # noqa: F401  (the tables)

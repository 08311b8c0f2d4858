"""The workspace's dependency graph and what is derived from it (the root-cause ranking, the
backlog's pain index), built once per change and kept in each worker process.

**The version.** `workspace.graph_version` changes in the same transaction as every change
to a row of a model that declares ``__graph_input__ = True`` (elements, links, blueprints,
stages and the ranking settings; the backlog's insights and confirmed causes). No service
bumps it by hand: session hooks note the workspaces of such rows when the ORM flushes them
(`after_flush`) and when a bulk ``insert()``, ``update()`` or ``delete()`` of such a model
runs through the session (`do_orm_execute`; for an update or delete, one query finds the
workspaces its WHERE clause touches); the commit then writes the new version
(`before_commit`), so the workspace row is locked only while committing, never for the
length of a long job. Statements run on a bare connection
(``session.connection().execute(...)``) are not seen: only the workspace backup's restore
does that, and it makes a new workspace, born with a version of its own.

The version is a fresh random number each time, not a counter: a workspace deleted from
SQLite leaves its id to the next one, and a new workspace must not meet the old one's
graph under the same (id, version).

**The cache.** Per app (in gunicorn, per worker process), an LRU of at most
`GRAPH_CACHE_SIZE` workspaces (ROOTLINE_GRAPH_CACHE_SIZE, 8 by default), each holding what
was built at one version of it. One query (`graph_version`, by primary key) tells a worker
whether its copy is current, so any number of workers stay correct without a shared cache
server. A transaction that has changed graph inputs of a workspace and not committed them
yet builds afresh and keeps nothing: its change is not everyone's yet.

Everything cached is shared by the requests of a worker, so it must be read-only: graphs come
frozen with read-only attributes (`blueprint.graph.read_only`), rankings are immutable
(`blueprint.analysis.ranking.Ranking`), and a caller that must change one copies it.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from typing import Any, TypeVar

from flask import Flask, current_app, has_app_context
from sqlalchemy import event, inspect, select, update
from sqlalchemy.orm import Session, SessionTransaction

from accounts.models import Workspace
from extensions import db

__all__ = ["derived", "graph_version", "new_version", "register_graph_cache"]

T = TypeVar("T")
_KEY = "rootline.graph_cache"
_CHANGED = "rootline.graph_changed"  # session.info: workspaces changed, not yet bumped
_SEEN = "rootline.graph_versions"  # session.info: versions read in this transaction
EVERY = "every workspace"  # a bulk statement whose workspaces could not be told


def new_version() -> int:
    """A version no workspace has had (63 random bits: it fits a signed BIGINT)."""
    return secrets.randbits(63)


# --- the version, bumped by session hooks ------------------------------------------------


def _is_input(cls: type) -> bool:
    return bool(getattr(cls, "__graph_input__", False))


def _changed(session: Session, workspaces: Iterable[Any]) -> None:
    marks = session.info.setdefault(_CHANGED, set())
    marks.update(workspaces)
    seen = session.info.get(_SEEN)
    if seen:
        seen.clear()


def _workspace_of(obj) -> Any:
    state = inspect(obj)
    found = state.dict.get("workspace_id")
    if found is None:
        found = state.committed_state.get("workspace_id")
    return EVERY if found is None else found


@event.listens_for(Session, "after_flush")
def _note_flushed_rows(session: Session, _flush_context) -> None:
    found = set()
    for obj in session.new | session.deleted:
        if _is_input(type(obj)):
            found.add(_workspace_of(obj))
    for obj in session.dirty:
        if _is_input(type(obj)) and session.is_modified(obj, include_collections=False):
            found.add(_workspace_of(obj))
    if found:
        _changed(session, found)


@event.listens_for(Session, "do_orm_execute")
def _note_bulk_statements(state) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    mapper = state.bind_mapper
    if mapper is None or not _is_input(mapper.class_):
        return
    _changed(state.session, _bulk_workspaces(state, mapper.class_))


def _bulk_workspaces(state, model) -> set[Any]:
    if state.is_insert:
        params = state.parameters
        if isinstance(params, list):
            rows = params
        else:  # insert(...).values(...): the values are the statement's own
            rows = [params or state.statement.compile().params]
        found = {row.get("workspace_id") for row in rows}
        return {EVERY} if None in found or not found else found
    where = state.statement.whereclause
    if where is None:
        return {EVERY}
    return set(
        state.session.connection().scalars(select(model.workspace_id).where(where).distinct())
    )


@event.listens_for(Session, "before_commit")
def _bump_versions(session: Session) -> None:
    session.flush()  # what the commit would flush must be noted before the bump
    marks = session.info.pop(_CHANGED, None)
    if not marks:
        return
    stmt = update(Workspace).values(graph_version=new_version())
    if EVERY not in marks:
        stmt = stmt.where(Workspace.id.in_(sorted(marks)))
    # Core on the session's connection: no ORM event, no audit event (bookkeeping)
    session.connection().execute(stmt)


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(_CHANGED, None)
        session.info.pop(_SEEN, None)


def graph_version(workspace_id: int) -> int | None:
    """The workspace's graph version as this transaction sees it, or None when this
    transaction has changed its graph inputs and not committed them (or it does not exist).
    Read once per transaction."""
    session = db.session()
    seen = session.info.setdefault(_SEEN, {})
    if workspace_id not in seen:
        version = session.scalar(
            select(Workspace.graph_version).where(Workspace.id == workspace_id)
        )  # autoflushes first, so this transaction's own changes are noted
        marks = session.info.get(_CHANGED, ())
        if workspace_id in marks or EVERY in marks:
            return None
        seen[workspace_id] = version
    return seen[workspace_id]


# --- the cache ---------------------------------------------------------------------------


class _Cache:
    """An LRU of workspaces, each with what was built at one version."""

    def __init__(self, size: int):
        self.size = size
        self._lock = threading.Lock()
        self._workspaces: OrderedDict[int, tuple[int, dict[Hashable, Any]]] = OrderedDict()

    def items(self, workspace_id: int, version: int) -> dict[Hashable, Any]:
        with self._lock:
            found = self._workspaces.get(workspace_id)
            if found is None or found[0] != version:
                found = self._workspaces[workspace_id] = (version, {})
            self._workspaces.move_to_end(workspace_id)
            while len(self._workspaces) > self.size:
                self._workspaces.popitem(last=False)
            return found[1]

    def get_or_build(self, items: dict, key: Hashable, build: Callable[[], T]) -> T:
        with self._lock:
            if key in items:
                return items[key]
        value = build()  # outside the lock: another thread may build the same, first wins
        with self._lock:
            return items.setdefault(key, value)

    def __len__(self) -> int:
        return len(self._workspaces)


def register_graph_cache(app: Flask) -> None:
    """Each app keeps its own cache (tests build several apps in one process)."""
    app.extensions[_KEY] = _Cache(int(app.config.get("GRAPH_CACHE_SIZE", 8)))


def _cache() -> _Cache | None:
    cache = current_app.extensions.get(_KEY) if has_app_context() else None
    return cache if cache is not None and cache.size > 0 else None


def derived(workspace_id: int, key: Hashable, build: Callable[[], T]) -> T:
    """`build()` for the workspace as it is now: built once per graph version in this
    worker, then shared. `build` must return something read-only and depend on nothing but
    the workspace's graph inputs; `key` names what it builds, unique across packages
    (``("root_causes", None)``, ``"backlog.pain_index"``)."""
    cache = _cache()
    version = graph_version(workspace_id) if cache is not None else None
    if version is None:
        return build()
    return cache.get_or_build(cache.items(workspace_id, version), key, build)

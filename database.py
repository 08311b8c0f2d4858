"""What Rootline asks of the databases it runs on beyond the ORM, the same on SQLite and
PostgreSQL: SQLite's pragmas on the app's own engine, and a name comparison that ignores
case as far as each database can."""

from __future__ import annotations

import sqlite3

from flask import Flask
from sqlalchemy import ColumnElement, event, func, or_, select, text

from extensions import db


def register_sqlite_pragmas(app: Flask) -> None:
    """On every new connection of the app's SQLite engine: WAL lets readers and one writer
    share the file; the busy timeout waits out locks; foreign keys cascade as declared.
    Other engines (PostgreSQL, or any engine made elsewhere) are left alone."""
    timeout = int(app.config.get("SQLITE_BUSY_TIMEOUT_MS", 5000))

    def pragmas(dbapi_connection, _record) -> None:
        if isinstance(dbapi_connection, sqlite3.Connection):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA busy_timeout={timeout}")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

    with app.app_context():
        for engine in db.engines.values():
            if engine.dialect.name == "sqlite":
                event.listen(engine, "connect", pragmas)


def same_name(column, value: str) -> ColumnElement[bool]:
    """`column` holds `value`, ignoring case as far as the database can: the exact text
    always matches, since SQLite's lower() folds ASCII letters only ("Équipe" stays "Équipe"
    there, while Python's lower() gives "équipe")."""
    return or_(column == value, func.lower(column) == value.lower())


def reserve_ids(model, count: int) -> list[int]:
    """`count` fresh primary keys for rows of `model` that this transaction is about to
    insert, in one query. Rows whose keys are known are written by the ORM with one
    executemany (a row at a time otherwise on SQLite, which cannot return generated keys in
    order), and their audit events stay as they were.

    PostgreSQL draws them from the column's sequence. On SQLite they follow the largest key,
    as SQLite itself would number them: safe because the caller's transaction has written
    already, so it holds the database's only write lock until it commits."""
    if count <= 0:
        return []
    table = model.__table__
    with db.session.no_autoflush:  # rows waiting for these keys must not be written first
        if db.engine.dialect.name != "postgresql":
            last = db.session.scalar(select(func.coalesce(func.max(table.c.id), 0)))
            return list(range(last + 1, last + 1 + count))
        return list(
            db.session.scalars(
                text(
                    "SELECT nextval(pg_get_serial_sequence(:table, 'id'))"
                    " FROM generate_series(1, :n)"
                ),
                {"table": table.name, "n": count},
            )
        )

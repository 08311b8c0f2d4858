"""What Rootline asks of the databases it runs on beyond the ORM, the same on SQLite and
PostgreSQL: SQLite's pragmas on the app's own engine, and a name comparison that ignores
case as far as each database can."""

from __future__ import annotations

import sqlite3

from flask import Flask
from sqlalchemy import ColumnElement, event, func, or_

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

"""The health check a load balancer or container runtime asks: `/healthz`, public, 200 when
the database answers and 503 when it does not."""

from __future__ import annotations

from flask import Flask, jsonify
from sqlalchemy import text

from extensions import db


def register_health(app: Flask) -> None:
    @app.get("/healthz")
    def healthz():
        try:
            db.session.execute(text("SELECT 1"))
        except Exception:
            db.session.rollback()
            return jsonify(status="error", database="unreachable"), 503
        return jsonify(status="ok")

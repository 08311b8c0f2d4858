"""Migrations build the schema the models describe, from empty, and undo it to base."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from devsupport.databases import throwaway_database
from extensions import db
from wsgi import create_app


def test_migrations_match_models_and_downgrade_to_base(tmp_path):
    with throwaway_database(tmp_path) as url:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x"})
        with app.app_context():
            upgrade()
            with db.engine.connect() as conn:
                context = MigrationContext.configure(
                    conn, opts={"compare_type": True, "render_as_batch": True}
                )
                drift = compare_metadata(context, db.metadata)
            assert drift == [], f"models and migrations differ: {drift}"
            tables = set(inspect(db.engine).get_table_names())
            assert {t.name for t in db.metadata.sorted_tables} <= tables

            downgrade(revision="base")
            assert set(inspect(db.engine).get_table_names()) == {"alembic_version"}
            db.session.remove()
            db.engine.dispose()

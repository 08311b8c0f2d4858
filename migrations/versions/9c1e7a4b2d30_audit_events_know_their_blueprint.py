"""audit events know their blueprint

Revision ID: 9c1e7a4b2d30
Revises: 385b0ca09ebc
Create Date: 2026-11-23 09:20:00

Earlier events are given the blueprint of rows that still exist; events of rows deleted
before this migration keep no blueprint (they stay in the workspace's activity feed).
"""
from alembic import op
import sqlalchemy as sa


revision = '9c1e7a4b2d30'
down_revision = '385b0ca09ebc'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('blueprint_id', sa.Integer(), nullable=True))
        batch_op.create_index('ix_audit_event_blueprint', ['blueprint_id'], unique=False)

    op.execute(
        "UPDATE audit_event SET blueprint_id = entity_id WHERE entity = 'service_blueprint'"
    )
    for table in ('stage', 'element', 'insight'):
        op.execute(
            f"UPDATE audit_event SET blueprint_id = "
            f"(SELECT {table}.blueprint_id FROM {table} WHERE {table}.id = audit_event.entity_id) "
            f"WHERE entity = '{table}'"
        )
    op.execute(
        "UPDATE audit_event SET blueprint_id = (SELECT COALESCE(s.blueprint_id, t.blueprint_id) "
        "FROM link JOIN element s ON s.id = link.source_id JOIN element t ON t.id = link.target_id "
        "WHERE link.id = audit_event.entity_id) WHERE entity = 'link'"
    )


def downgrade():
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_event_blueprint')
        batch_op.drop_column('blueprint_id')

"""audit actions up to 20 characters (login_failed did not fit on PostgreSQL)

Revision ID: b7d2f0c4e915
Revises: 9c1e7a4b2d30
Create Date: 2026-11-23 10:05:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'b7d2f0c4e915'
down_revision = '9c1e7a4b2d30'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.alter_column(
            'action', existing_type=sa.String(length=10), type_=sa.String(length=20),
            existing_nullable=False,
        )


def downgrade():
    op.execute("DELETE FROM audit_event WHERE length(action) > 10")
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.alter_column(
            'action', existing_type=sa.String(length=20), type_=sa.String(length=10),
            existing_nullable=False,
        )

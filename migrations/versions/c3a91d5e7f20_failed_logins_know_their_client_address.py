"""failed logins know their client address (per-address throttle)

Revision ID: c3a91d5e7f20
Revises: 4e8a1c2b7d90
Create Date: 2026-12-01 21:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'c3a91d5e7f20'
down_revision = '4e8a1c2b7d90'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('failed_login', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('address', sa.String(length=45), nullable=False, server_default='')
        )
    with op.batch_alter_table('failed_login', schema=None) as batch_op:
        batch_op.alter_column('address', server_default=None)
        batch_op.create_index('ix_failed_login_address_at', ['address', 'at'], unique=False)


def downgrade():
    with op.batch_alter_table('failed_login', schema=None) as batch_op:
        batch_op.drop_index('ix_failed_login_address_at')
        batch_op.drop_column('address')

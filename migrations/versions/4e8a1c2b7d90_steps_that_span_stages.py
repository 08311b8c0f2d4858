"""steps that span stages: an end stage, or the whole journey

Revision ID: 4e8a1c2b7d90
Revises: 002fcce691c9
Create Date: 2026-12-01 21:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '4e8a1c2b7d90'
down_revision = '002fcce691c9'
branch_labels = None
depends_on = None

SPAN = (
    "(end_stage_id IS NULL OR (stage_id IS NOT NULL AND end_stage_id <> stage_id))"
    " AND NOT (all_stages AND end_stage_id IS NOT NULL)"
    " AND NOT (all_stages AND stage_id IS NULL)"
)


def upgrade():
    with op.batch_alter_table('element', schema=None) as batch_op:
        batch_op.add_column(sa.Column('end_stage_id', sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column('all_stages', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.create_index(batch_op.f('ix_element_end_stage_id'), ['end_stage_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_element_end_stage_id_stage'), 'stage', ['end_stage_id'], ['id'],
            ondelete='SET NULL',
        )
        batch_op.create_check_constraint(batch_op.f('ck_element_span'), SPAN)


def downgrade():
    with op.batch_alter_table('element', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_element_span'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_element_end_stage_id_stage'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_element_end_stage_id'))
        batch_op.drop_column('all_stages')
        batch_op.drop_column('end_stage_id')

"""insights searchable by their folded title (the task form's insight picker)

Revision ID: a7c3e9f1b2d4
Revises: ebdc07a0a577
Create Date: 2026-12-03 10:00:00

"""
from alembic import op
import sqlalchemy as sa

from blueprint.folding import KEY_LENGTH, fold


revision = 'a7c3e9f1b2d4'
down_revision = 'ebdc07a0a577'
branch_labels = None
depends_on = None

BATCH = 1000


def upgrade():
    key_type = sa.String(length=KEY_LENGTH).with_variant(
        sa.String(length=KEY_LENGTH, collation='C'), 'postgresql'
    )
    with op.batch_alter_table('insight', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('search_key', key_type, nullable=False, server_default='')
        )
    insight = sa.table(
        'insight', sa.column('id', sa.Integer), sa.column('title', sa.String),
        sa.column('search_key', sa.String),
    )
    conn = op.get_bind()
    last = 0
    while True:
        rows = conn.execute(
            sa.select(insight.c.id, insight.c.title)
            .where(insight.c.id > last).order_by(insight.c.id).limit(BATCH)
        ).all()
        if not rows:
            break
        conn.execute(
            insight.update().where(insight.c.id == sa.bindparam('row_id'))
            .values(search_key=sa.bindparam('key')),
            [{'row_id': i, 'key': fold(t or '')} for i, t in rows],
        )
        last = rows[-1][0]
    with op.batch_alter_table('insight', schema=None) as batch_op:
        batch_op.alter_column('search_key', server_default=None)
        batch_op.create_index(
            'ix_insight_workspace_search', ['workspace_id', 'search_key'], unique=False
        )


def downgrade():
    with op.batch_alter_table('insight', schema=None) as batch_op:
        batch_op.drop_index('ix_insight_workspace_search')
        batch_op.drop_column('search_key')

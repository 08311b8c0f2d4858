"""elements searchable by their folded title (type-ahead)

Revision ID: e4f1a2b3c5d6
Revises: d5b27e8c4a61
Create Date: 2026-12-02 10:00:00

"""
from alembic import op
import sqlalchemy as sa

from blueprint.folding import KEY_LENGTH, fold


revision = 'e4f1a2b3c5d6'
down_revision = 'd5b27e8c4a61'
branch_labels = None
depends_on = None

BATCH = 1000


def upgrade():
    key_type = sa.String(length=KEY_LENGTH).with_variant(
        sa.String(length=KEY_LENGTH, collation='C'), 'postgresql'
    )
    with op.batch_alter_table('element', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('search_key', key_type, nullable=False, server_default='')
        )
    element = sa.table(
        'element', sa.column('id', sa.Integer), sa.column('title', sa.String),
        sa.column('search_key', sa.String),
    )
    conn = op.get_bind()
    last = 0
    while True:
        rows = conn.execute(
            sa.select(element.c.id, element.c.title)
            .where(element.c.id > last).order_by(element.c.id).limit(BATCH)
        ).all()
        if not rows:
            break
        conn.execute(
            element.update().where(element.c.id == sa.bindparam('row_id'))
            .values(search_key=sa.bindparam('key')),
            [{'row_id': i, 'key': fold(t or '')} for i, t in rows],
        )
        last = rows[-1][0]
    with op.batch_alter_table('element', schema=None) as batch_op:
        batch_op.alter_column('search_key', server_default=None)
        batch_op.create_index(
            'ix_element_workspace_search', ['workspace_id', 'search_key'], unique=False
        )


def downgrade():
    with op.batch_alter_table('element', schema=None) as batch_op:
        batch_op.drop_index('ix_element_workspace_search')
        batch_op.drop_column('search_key')

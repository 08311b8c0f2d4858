"""invitations; workspace names unique per creator; the workspace a member last used

Revision ID: d5b27e8c4a61
Revises: c8c0965e86f5
Create Date: 2026-12-01 21:30:00

"""
from alembic import op
import sqlalchemy as sa

import dbtypes  # noqa: F401  (custom column types)


revision = 'd5b27e8c4a61'
down_revision = 'c8c0965e86f5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('role', sa.Enum('owner', 'editor', 'viewer', name='role', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', dbtypes.UTCDateTime(), nullable=False),
    sa.Column('expires_at', dbtypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['invited_by_id'], ['user.id'], name=op.f('fk_invitation_invited_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], name=op.f('fk_invitation_workspace_id_workspace'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitation')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_invitation_token_hash')),
    sa.UniqueConstraint('workspace_id', 'email', name=op.f('uq_invitation_workspace_id_email'))
    )
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitation_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_invitation_workspace_id'), ['workspace_id'], unique=False)

    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_used_at', dbtypes.UTCDateTime(), nullable=True))

    with op.batch_alter_table('workspace', schema=None) as batch_op:
        batch_op.add_column(sa.Column('created_by_id', sa.Integer(), nullable=True))
        batch_op.drop_constraint('uq_workspace_name', type_='unique')
        batch_op.create_index(batch_op.f('ix_workspace_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_workspace_created_by_id_name'), ['created_by_id', 'name'])
        batch_op.create_foreign_key(batch_op.f('fk_workspace_created_by_id_user'), 'user', ['created_by_id'], ['id'], ondelete='SET NULL')
    # who created a workspace was not kept: its first owner stands in
    op.execute(
        "UPDATE workspace SET created_by_id = (SELECT m.user_id FROM membership m "
        "WHERE m.workspace_id = workspace.id AND m.role = 'owner' ORDER BY m.id LIMIT 1)"
    )


def downgrade():
    # names were unique across the database: keep the oldest of a name, number the others
    op.execute(
        "UPDATE workspace SET name = name || ' (' || id || ')' WHERE id NOT IN "
        "(SELECT MIN(w.id) FROM workspace w GROUP BY w.name)"
    )
    with op.batch_alter_table('workspace', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_workspace_created_by_id_user'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_workspace_created_by_id_name'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_workspace_created_by_id'))
        batch_op.create_unique_constraint('uq_workspace_name', ['name'])
        batch_op.drop_column('created_by_id')

    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.drop_column('last_used_at')

    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitation_workspace_id'))
        batch_op.drop_index(batch_op.f('ix_invitation_email'))

    op.drop_table('invitation')

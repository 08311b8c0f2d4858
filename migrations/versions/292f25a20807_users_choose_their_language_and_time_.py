"""users choose their language and time zone (the profile page; empty: the browser's
language, and UTC)

Revision ID: 292f25a20807
Revises: 9a6430eae353
Create Date: 2026-12-02 04:21:28.156569

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '292f25a20807'
down_revision = '9a6430eae353'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('time_zone', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('time_zone')
        batch_op.drop_column('language')

"""practice kind (GP practice or another organisation) and registrations at outside practices

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('practice', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=40), nullable=False, server_default=''))
    op.create_table('other_registration',
    sa.Column('area_code', sa.String(length=12), nullable=False),
    sa.Column('counted_at', sa.Date(), nullable=False),
    sa.Column('patients', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('area_code', 'counted_at')
    )


def downgrade() -> None:
    op.drop_table('other_registration')
    with op.batch_alter_table('practice', schema=None) as batch_op:
        batch_op.drop_column('kind')

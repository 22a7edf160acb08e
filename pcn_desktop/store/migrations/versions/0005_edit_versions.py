"""edit versions: one row per editable unit (network, practice membership, shared data)

Revision ID: 0005
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'  # re-chained after merging the scenarios branch (0004)
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('edit_version',
    sa.Column('scenario', sa.String(length=100), nullable=False),
    sa.Column('unit', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('who', sa.String(length=100), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('scenario', 'unit')
    )


def downgrade() -> None:
    op.drop_table('edit_version')

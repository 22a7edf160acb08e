"""initial project schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-26 12:28:59.318151
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('what', sa.Text(), nullable=False),
    sa.Column('old', sa.Text(), nullable=False),
    sa.Column('new', sa.Text(), nullable=False),
    sa.Column('when', sa.DateTime(), nullable=False),
    sa.Column('who', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('network',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('code', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('commissioner', sa.String(length=10), nullable=False),
    sa.Column('exemption', sa.String(length=20), nullable=False),
    sa.Column('exemption_reason', sa.Text(), nullable=False),
    sa.Column('nominated_payee', sa.String(length=10), nullable=False),
    sa.Column('agreement_signed', sa.Date(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('network', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_network_code'), ['code'], unique=False)

    op.create_table('practice',
    sa.Column('code', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('address', sa.Text(), nullable=False),
    sa.Column('postcode', sa.String(length=10), nullable=False),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('status', sa.String(length=1), nullable=False),
    sa.Column('opened', sa.Date(), nullable=True),
    sa.Column('closed', sa.Date(), nullable=True),
    sa.Column('commissioner', sa.String(length=10), nullable=False),
    sa.PrimaryKeyConstraint('code')
    )
    with op.batch_alter_table('practice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_commissioner'), ['commissioner'], unique=False)

    op.create_table('project_meta',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('small_area',
    sa.Column('code', sa.String(length=12), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('place', sa.String(length=100), nullable=False),
    sa.Column('geometry', sa.LargeBinary(), nullable=True),
    sa.PrimaryKeyConstraint('code')
    )
    op.create_table('area_assignment',
    sa.Column('area_code', sa.String(length=12), nullable=False),
    sa.Column('network_id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['network_id'], ['network.id'], ),
    sa.PrimaryKeyConstraint('area_code')
    )
    op.create_table('boundary',
    sa.Column('network_id', sa.String(length=32), nullable=False),
    sa.Column('geometry', sa.LargeBinary(), nullable=False),
    sa.Column('provenance', sa.String(length=300), nullable=False),
    sa.Column('built', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['network_id'], ['network.id'], ),
    sa.PrimaryKeyConstraint('network_id')
    )
    op.create_table('clinical_director',
    sa.Column('network_id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('professional_body', sa.String(length=50), nullable=False),
    sa.Column('registration_number', sa.String(length=50), nullable=False),
    sa.Column('practice_code', sa.String(length=10), nullable=False),
    sa.Column('wte', sa.Float(), nullable=False),
    sa.Column('start', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['network_id'], ['network.id'], ),
    sa.PrimaryKeyConstraint('network_id')
    )
    op.create_table('list_size',
    sa.Column('practice_code', sa.String(length=10), nullable=False),
    sa.Column('counted_at', sa.Date(), nullable=False),
    sa.Column('patients', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['practice_code'], ['practice.code'], ),
    sa.PrimaryKeyConstraint('practice_code', 'counted_at')
    )
    op.create_table('membership',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('practice_code', sa.String(length=10), nullable=False),
    sa.Column('network_id', sa.String(length=32), nullable=False),
    sa.Column('start', sa.Date(), nullable=True),
    sa.Column('end', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['network_id'], ['network.id'], ),
    sa.ForeignKeyConstraint(['practice_code'], ['practice.code'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_membership_network_id'), ['network_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_membership_practice_code'), ['practice_code'], unique=False)

    op.create_table('registration',
    sa.Column('practice_code', sa.String(length=10), nullable=False),
    sa.Column('area_code', sa.String(length=12), nullable=False),
    sa.Column('counted_at', sa.Date(), nullable=False),
    sa.Column('patients', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['practice_code'], ['practice.code'], ),
    sa.PrimaryKeyConstraint('practice_code', 'area_code', 'counted_at')
    )
    op.create_table('workforce_plan',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('network_id', sa.String(length=32), nullable=False),
    sa.Column('role', sa.String(length=100), nullable=False),
    sa.Column('wte', sa.Float(), nullable=False),
    sa.Column('start', sa.String(length=7), nullable=False),
    sa.Column('end', sa.String(length=7), nullable=False),
    sa.Column('annual_cost', sa.Float(), nullable=False),
    sa.Column('scenario', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['network_id'], ['network.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('workforce_plan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workforce_plan_network_id'), ['network_id'], unique=False)

    


def downgrade() -> None:
    
    with op.batch_alter_table('workforce_plan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workforce_plan_network_id'))

    op.drop_table('workforce_plan')
    op.drop_table('registration')
    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_membership_practice_code'))
        batch_op.drop_index(batch_op.f('ix_membership_network_id'))

    op.drop_table('membership')
    op.drop_table('list_size')
    op.drop_table('clinical_director')
    op.drop_table('boundary')
    op.drop_table('area_assignment')
    op.drop_table('small_area')
    op.drop_table('project_meta')
    with op.batch_alter_table('practice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_commissioner'))

    op.drop_table('practice')
    with op.batch_alter_table('network', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_network_code'))

    op.drop_table('network')
    op.drop_table('audit_log')
    

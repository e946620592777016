"""accepted runs and their stops

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

from alembic import op
import sqlalchemy as sa
import refuge.store.types


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('days', sa.Integer(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('accepted_at', refuge.store.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('done_at', refuge.store.types.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['volunteer_id'], ['people.id'], name=op.f('fk_runs_volunteer_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_runs')),
    sa.UniqueConstraint('key', name=op.f('uq_runs_key'))
    )
    op.create_table('run_stops',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('shelter_id', sa.Integer(), nullable=False),
    sa.Column('arrive_on', sa.Date(), nullable=False),
    sa.Column('packing', sa.JSON(), nullable=False),
    sa.Column('tasks', sa.JSON(), nullable=False),
    sa.Column('recorded_at', refuge.store.types.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['run_id'], ['runs.id'], name=op.f('fk_run_stops_run_id_runs')),
    sa.ForeignKeyConstraint(['shelter_id'], ['shelters.id'], name=op.f('fk_run_stops_shelter_id_shelters')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_run_stops'))
    )
    with op.batch_alter_table('run_stops', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_run_stops_run_id'), ['run_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('run_stops', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_run_stops_run_id'))

    op.drop_table('run_stops')
    op.drop_table('runs')

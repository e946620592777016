"""volunteers' calendars: usual weekdays on people, dates away or free in person_days

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('weekdays', sa.String(length=7), server_default='1111111', nullable=False))
    op.create_table('person_days',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('available', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_person_days_person_id_people')),
    sa.PrimaryKeyConstraint('person_id', 'day', name=op.f('pk_person_days'))
    )


def downgrade() -> None:
    op.drop_table('person_days')
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_column('weekdays')

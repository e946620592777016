"""the mission desk

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from alembic import op
import sqlalchemy as sa
import refuge.store.types


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('missions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('rank', sa.String(length=1), nullable=False),
    sa.Column('client', sa.String(length=200), nullable=False),
    sa.Column('leader_id', sa.Integer(), nullable=True),
    sa.Column('subject_id', sa.Integer(), nullable=True),
    sa.Column('area', sa.Text(), nullable=False),
    sa.Column('start_at', refuge.store.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('deadline_at', refuge.store.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('every_hours', sa.Float(), nullable=True),
    sa.Column('grace_minutes', sa.Integer(), nullable=False),
    sa.Column('classification', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', refuge.store.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('started_at', refuge.store.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('ended_at', refuge.store.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('outcome', sa.Text(), nullable=False),
    sa.CheckConstraint('classification BETWEEN 1 AND 5', name=op.f('ck_missions_classification_range')),
    sa.ForeignKeyConstraint(['leader_id'], ['people.id'], name=op.f('fk_missions_leader_id_people')),
    sa.ForeignKeyConstraint(['subject_id'], ['people.id'], name=op.f('fk_missions_subject_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_missions')),
    sa.UniqueConstraint('code', name=op.f('uq_missions_code'))
    )
    with op.batch_alter_table('missions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_missions_status'), ['status'], unique=False)

    op.create_table('alerts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mission_id', sa.Integer(), nullable=False),
    sa.Column('due_at', refuge.store.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('raised_at', refuge.store.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('point', sa.String(length=120), nullable=True),
    sa.Column('acknowledged_by_id', sa.Integer(), nullable=True),
    sa.Column('acknowledged_at', refuge.store.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('resolved_at', refuge.store.types.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['acknowledged_by_id'], ['people.id'], name=op.f('fk_alerts_acknowledged_by_id_people')),
    sa.ForeignKeyConstraint(['mission_id'], ['missions.id'], name=op.f('fk_alerts_mission_id_missions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alerts')),
    sa.UniqueConstraint('mission_id', 'due_at', name=op.f('uq_alerts_mission_id'))
    )
    op.create_table('checkins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mission_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('at', refuge.store.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('recorded_at', refuge.store.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('x', sa.Float(), nullable=True),
    sa.Column('y', sa.Float(), nullable=True),
    sa.Column('point', sa.String(length=120), nullable=True),
    sa.Column('ended_mission', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['mission_id'], ['missions.id'], name=op.f('fk_checkins_mission_id_missions')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_checkins_person_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checkins'))
    )
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.create_index('ix_checkins_mission_at', ['mission_id', 'at'], unique=False)

    op.create_table('mission_checkpoints',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mission_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('due_at', refuge.store.types.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['mission_id'], ['missions.id'], name=op.f('fk_mission_checkpoints_mission_id_missions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mission_checkpoints'))
    )
    with op.batch_alter_table('mission_checkpoints', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mission_checkpoints_mission_id'), ['mission_id'], unique=False)

    op.create_table('mission_members',
    sa.Column('mission_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['mission_id'], ['missions.id'], name=op.f('fk_mission_members_mission_id_missions')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_mission_members_person_id_people')),
    sa.PrimaryKeyConstraint('mission_id', 'person_id', name=op.f('pk_mission_members'))
    )
    op.create_table('mission_objectives',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mission_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('met', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['mission_id'], ['missions.id'], name=op.f('fk_mission_objectives_mission_id_missions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mission_objectives'))
    )
    with op.batch_alter_table('mission_objectives', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mission_objectives_mission_id'), ['mission_id'], unique=False)

    op.create_table('mission_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mission_id', sa.Integer(), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=False),
    sa.Column('submitted_at', refuge.store.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('recorded_at', refuge.store.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('objectives_met', sa.JSON(), nullable=False),
    sa.Column('narrative', sa.Text(), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['by_id'], ['people.id'], name=op.f('fk_mission_reports_by_id_people')),
    sa.ForeignKeyConstraint(['mission_id'], ['missions.id'], name=op.f('fk_mission_reports_mission_id_missions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mission_reports')),
    sa.UniqueConstraint('mission_id', name=op.f('uq_mission_reports_mission_id'))
    )
    op.create_table('alert_notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('alert_id', sa.Integer(), nullable=False),
    sa.Column('step', sa.String(length=16), nullable=False),
    sa.Column('recipient', sa.String(length=120), nullable=False),
    sa.Column('at', refuge.store.types.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['alert_id'], ['alerts.id'], name=op.f('fk_alert_notices_alert_id_alerts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert_notices')),
    sa.UniqueConstraint('alert_id', 'step', name=op.f('uq_alert_notices_alert_id'))
    )
    op.create_table('armoury_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('requested_at', refuge.store.types.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_armoury_requests_item_id_items')),
    sa.ForeignKeyConstraint(['report_id'], ['mission_reports.id'], name=op.f('fk_armoury_requests_report_id_mission_reports')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_armoury_requests'))
    )
    with op.batch_alter_table('armoury_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_armoury_requests_report_id'), ['report_id'], unique=False)

    op.create_table('report_injuries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_report_injuries_person_id_people')),
    sa.ForeignKeyConstraint(['report_id'], ['mission_reports.id'], name=op.f('fk_report_injuries_report_id_mission_reports')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_injuries'))
    )
    with op.batch_alter_table('report_injuries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_injuries_report_id'), ['report_id'], unique=False)

    op.create_table('report_supplies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('shelter_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('quantity', refuge.store.types.Quantity(), nullable=False),
    sa.Column('used_at', refuge.store.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('movement_key', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_report_supplies_item_id_items')),
    sa.ForeignKeyConstraint(['report_id'], ['mission_reports.id'], name=op.f('fk_report_supplies_report_id_mission_reports')),
    sa.ForeignKeyConstraint(['shelter_id'], ['shelters.id'], name=op.f('fk_report_supplies_shelter_id_shelters')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_supplies')),
    sa.UniqueConstraint('movement_key', name=op.f('uq_report_supplies_movement_key'))
    )
    with op.batch_alter_table('report_supplies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_supplies_report_id'), ['report_id'], unique=False)

    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('availability', sa.String(length=16), server_default='available', nullable=False))
        batch_op.add_column(sa.Column('superior_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('x', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('y', sa.Float(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_people_superior_id_people'), 'people', ['superior_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_people_superior_id_people'), type_='foreignkey')
        batch_op.drop_column('y')
        batch_op.drop_column('x')
        batch_op.drop_column('superior_id')
        batch_op.drop_column('availability')

    with op.batch_alter_table('report_supplies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_supplies_report_id'))

    op.drop_table('report_supplies')
    with op.batch_alter_table('report_injuries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_injuries_report_id'))

    op.drop_table('report_injuries')
    with op.batch_alter_table('armoury_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_armoury_requests_report_id'))

    op.drop_table('armoury_requests')
    op.drop_table('alert_notices')
    op.drop_table('mission_reports')
    with op.batch_alter_table('mission_objectives', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mission_objectives_mission_id'))

    op.drop_table('mission_objectives')
    op.drop_table('mission_members')
    with op.batch_alter_table('mission_checkpoints', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mission_checkpoints_mission_id'))

    op.drop_table('mission_checkpoints')
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.drop_index('ix_checkins_mission_at')

    op.drop_table('checkins')
    op.drop_table('alerts')
    with op.batch_alter_table('missions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_missions_status'))

    op.drop_table('missions')

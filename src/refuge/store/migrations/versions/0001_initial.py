"""the ledger, the register and the defence log

Revision ID: 0001
Revises: 
Create Date: 2026-11-23
"""

from alembic import op
import sqlalchemy as sa
import refuge.store.types


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sku', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('unit', sa.String(length=20), nullable=False),
    sa.Column('unit_weight_kg', sa.Numeric(precision=10, scale=3), nullable=False),
    sa.Column('shelf_life_days', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_items')),
    sa.UniqueConstraint('sku', name=op.f('uq_items_sku'))
    )
    op.create_table('networks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('width_m', sa.Float(), nullable=False),
    sa.Column('height_m', sa.Float(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('features', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_networks')),
    sa.UniqueConstraint('name', name=op.f('uq_networks_name'))
    )
    op.create_table('people',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('handle', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('rank', sa.String(length=20), nullable=False),
    sa.Column('skills', sa.JSON(), nullable=False),
    sa.Column('clearance', sa.Integer(), nullable=False),
    sa.Column('max_chakra', sa.Integer(), nullable=False),
    sa.Column('condition', sa.String(length=16), nullable=False),
    sa.Column('available', sa.Boolean(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_people')),
    sa.UniqueConstraint('handle', name=op.f('uq_people_handle'))
    )
    op.create_table('places',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('x', sa.Float(), nullable=False),
    sa.Column('y', sa.Float(), nullable=False),
    sa.Column('is_base', sa.Boolean(), nullable=False),
    sa.Column('has_hospital', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_places_network_id_networks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_places'))
    )
    op.create_table('shelters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=True),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('x', sa.Float(), nullable=False),
    sa.Column('y', sa.Float(), nullable=False),
    sa.Column('access_notes', sa.Text(), nullable=False),
    sa.Column('beds', sa.Integer(), nullable=False),
    sa.Column('condition', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('clearance', sa.Integer(), nullable=False),
    sa.CheckConstraint('beds >= 0', name=op.f('ck_shelters_beds_not_negative')),
    sa.CheckConstraint('clearance BETWEEN 1 AND 5', name=op.f('ck_shelters_clearance_range')),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_shelters_network_id_networks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shelters')),
    sa.UniqueConstraint('code', name=op.f('uq_shelters_code'))
    )
    op.create_table('defences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shelter_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('test_interval_days', sa.Integer(), nullable=False),
    sa.Column('charge_life_days', sa.Integer(), nullable=True),
    sa.Column('installed_on', sa.Date(), nullable=False),
    sa.Column('arming_instructions', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['shelter_id'], ['shelters.id'], name=op.f('fk_defences_shelter_id_shelters')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_defences')),
    sa.UniqueConstraint('shelter_id', 'code', name=op.f('uq_defences_shelter_id'))
    )
    op.create_table('movements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('shelter_id', sa.Integer(), nullable=False),
    sa.Column('to_shelter_id', sa.Integer(), nullable=True),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('quantity', refuge.store.types.Quantity(), nullable=False),
    sa.Column('occurred_at', refuge.store.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('recorded_at', refuge.store.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=40), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=True),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['by_id'], ['people.id'], name=op.f('fk_movements_by_id_people')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_movements_item_id_items')),
    sa.ForeignKeyConstraint(['shelter_id'], ['shelters.id'], name=op.f('fk_movements_shelter_id_shelters')),
    sa.ForeignKeyConstraint(['to_shelter_id'], ['shelters.id'], name=op.f('fk_movements_to_shelter_id_shelters')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_movements')),
    sa.UniqueConstraint('key', name=op.f('uq_movements_key'))
    )
    with op.batch_alter_table('movements', schema=None) as batch_op:
        batch_op.create_index('ix_movements_shelter_occurred', ['shelter_id', 'occurred_at'], unique=False)
        batch_op.create_index('ix_movements_to_shelter', ['to_shelter_id'], unique=False)

    op.create_table('par_levels',
    sa.Column('shelter_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('min', refuge.store.types.Quantity(), nullable=False),
    sa.Column('target', refuge.store.types.Quantity(), nullable=False),
    sa.Column('capacity', refuge.store.types.Quantity(), nullable=False),
    sa.CheckConstraint('0 <= min AND min <= target AND target <= capacity', name=op.f('ck_par_levels_ordered')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_par_levels_item_id_items')),
    sa.ForeignKeyConstraint(['shelter_id'], ['shelters.id'], name=op.f('fk_par_levels_shelter_id_shelters')),
    sa.PrimaryKeyConstraint('shelter_id', 'item_id', name=op.f('pk_par_levels'))
    )
    op.create_table('defence_tests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('defence_id', sa.Integer(), nullable=False),
    sa.Column('tested_at', refuge.store.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('recorded_at', refuge.store.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('result', sa.String(length=8), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['by_id'], ['people.id'], name=op.f('fk_defence_tests_by_id_people')),
    sa.ForeignKeyConstraint(['defence_id'], ['defences.id'], name=op.f('fk_defence_tests_defence_id_defences')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_defence_tests'))
    )
    with op.batch_alter_table('defence_tests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_defence_tests_defence_id'), ['defence_id'], unique=False)

    op.create_table('lot_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('movement_id', sa.Integer(), nullable=False),
    sa.Column('shelter_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('expires_on', sa.Date(), nullable=True),
    sa.Column('quantity', refuge.store.types.Quantity(), nullable=False),
    sa.Column('occurred_at', refuge.store.types.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_lot_lines_item_id_items')),
    sa.ForeignKeyConstraint(['movement_id'], ['movements.id'], name=op.f('fk_lot_lines_movement_id_movements')),
    sa.ForeignKeyConstraint(['shelter_id'], ['shelters.id'], name=op.f('fk_lot_lines_shelter_id_shelters')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lot_lines'))
    )
    with op.batch_alter_table('lot_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lot_lines_movement_id'), ['movement_id'], unique=False)
        batch_op.create_index('ix_lot_lines_shelter_item', ['shelter_id', 'item_id', 'expires_on'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('lot_lines', schema=None) as batch_op:
        batch_op.drop_index('ix_lot_lines_shelter_item')
        batch_op.drop_index(batch_op.f('ix_lot_lines_movement_id'))

    op.drop_table('lot_lines')
    with op.batch_alter_table('defence_tests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_defence_tests_defence_id'))

    op.drop_table('defence_tests')
    op.drop_table('par_levels')
    with op.batch_alter_table('movements', schema=None) as batch_op:
        batch_op.drop_index('ix_movements_to_shelter')
        batch_op.drop_index('ix_movements_shelter_occurred')

    op.drop_table('movements')
    op.drop_table('defences')
    op.drop_table('shelters')
    op.drop_table('places')
    op.drop_table('people')
    op.drop_table('networks')
    op.drop_table('items')

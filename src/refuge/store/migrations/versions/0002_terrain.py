"""terrain and travel matrices

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from alembic import op
import sqlalchemy as sa
import refuge.store.types


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('travel_matrices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('terrain_digest', sa.String(length=64), nullable=False),
    sa.Column('profile', sa.String(length=20), nullable=False),
    sa.Column('chakra', sa.Float(), nullable=False),
    sa.Column('points_digest', sa.String(length=64), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('built_at', refuge.store.types.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_travel_matrices')),
    sa.UniqueConstraint('terrain_digest', 'profile', 'chakra', 'points_digest', name=op.f('uq_travel_matrices_terrain_digest'))
    )
    op.create_table('terrains',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('x0', sa.Float(), nullable=False),
    sa.Column('y0', sa.Float(), nullable=False),
    sa.Column('cell_size', sa.Float(), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('cols', sa.Integer(), nullable=False),
    sa.Column('classes', sa.LargeBinary(), nullable=False),
    sa.Column('class_table', sa.JSON(), nullable=False),
    sa.Column('travel_model', sa.Text(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('loaded_at', refuge.store.types.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_terrains_network_id_networks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_terrains')),
    sa.UniqueConstraint('network_id', name=op.f('uq_terrains_network_id'))
    )


def downgrade() -> None:
    op.drop_table('terrains')
    op.drop_table('travel_matrices')

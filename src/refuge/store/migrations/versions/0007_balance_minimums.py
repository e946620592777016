"""each balance keeps its pair's par-level minimum, and the pairs below it are indexed

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('balances', schema=None) as batch_op:
        batch_op.add_column(sa.Column('min', sa.BigInteger(), nullable=True))
    # Every par-levelled pair gets a balance (nothing held yet is a balance of zero), then its minimum:
    # the same statements as refuge.store.balances.sync_minimums.
    op.execute(
        "INSERT INTO balances (shelter_id, item_id, quantity) "
        "SELECT p.shelter_id, p.item_id, 0 FROM par_levels p WHERE NOT EXISTS "
        "(SELECT 1 FROM balances b WHERE b.shelter_id = p.shelter_id AND b.item_id = p.item_id)"
    )
    op.execute(
        "UPDATE balances SET min = (SELECT p.min FROM par_levels p "
        "WHERE p.shelter_id = balances.shelter_id AND p.item_id = balances.item_id)"
    )
    with op.batch_alter_table('balances', schema=None) as batch_op:
        batch_op.create_index('ix_balances_short', ['shelter_id', 'item_id', 'quantity', 'min'], unique=False,
                              sqlite_where=sa.text('quantity < min'), postgresql_where=sa.text('quantity < min'))


def downgrade() -> None:
    with op.batch_alter_table('balances', schema=None) as batch_op:
        batch_op.drop_index('ix_balances_short', sqlite_where=sa.text('quantity < min'),
                            postgresql_where=sa.text('quantity < min'))
        batch_op.drop_column('min')
    # Pairs that held nothing were kept only for their minimum.
    op.execute("DELETE FROM balances WHERE quantity = 0 AND NOT EXISTS "
               "(SELECT 1 FROM lot_lines l WHERE l.shelter_id = balances.shelter_id AND l.item_id = balances.item_id)")

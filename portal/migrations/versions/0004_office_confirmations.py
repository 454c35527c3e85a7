"""Privacy confirmations: the efficiency office's second confirmation of a high-confidence finding,
and the confidence a finding had when it was confirmed.

Confirmations recorded before keep NULL in all three columns: none of them counts as the
office's, so the final guard no longer lets their high-confidence findings through.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 07:45:35.094209
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | Sequence[str] | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the confidence and the office's confirmation (who, when) to privacy confirmations."""
    with op.batch_alter_table('privacy_confirmations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confidence', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('office_confirmed_by', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('office_confirmed_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    """Drop the confidence and the office's confirmation from privacy confirmations."""
    with op.batch_alter_table('privacy_confirmations', schema=None) as batch_op:
        batch_op.drop_column('office_confirmed_at')
        batch_op.drop_column('office_confirmed_by')
        batch_op.drop_column('confidence')

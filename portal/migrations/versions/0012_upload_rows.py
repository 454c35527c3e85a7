"""A staged upload keeps each record's row in the file, so the preview's personal-data findings
name the row a clerk finds them under (the number validation errors use), not only the item code.

Uploads staged before keep no rows (NULL): their findings show no row.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 05:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | Sequence[str] | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add `uploads.rows` (code → row in the file)."""
    with op.batch_alter_table('uploads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rows', sa.JSON(), nullable=True))


def downgrade() -> None:
    """Drop `uploads.rows`."""
    with op.batch_alter_table('uploads', schema=None) as batch_op:
        batch_op.drop_column('rows')

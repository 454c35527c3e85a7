"""Projection cursors: how far each projection kept in the database (the flowcharts) has
followed the revision log.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 06:36:04.868061
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0002'
down_revision: str | Sequence[str] | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the projection cursors table (empty: every projection starts from revision 0)."""
    op.create_table('projection_cursors',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )


def downgrade() -> None:
    """Drop the projection cursors table."""
    op.drop_table('projection_cursors')

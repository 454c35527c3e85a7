"""Indexes the city's key figures are counted from (portal.models.indexes.figure_indexes): the
slowest live commitments, by committed working days then code, and each live complaint's finding,
limit kept and people handled. The home page's figures read every commitment's and every
complaint's row (records and all) to find five rows and three sums.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 16:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | Sequence[str] | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_INDEXES = [
    ("commitments", "ix_commitments_live_slowest", ["committed_workdays DESC", "code"]),
    ("complaint_cases", "ix_complaint_cases_live_figures", ["finding", "within_limit", "handled_people"]),
]


def upgrade() -> None:
    """Index the live rows' figure columns."""
    live = sa.text("withdrawn_at IS NULL")
    for table, name, columns in _INDEXES:
        op.create_index(name, table, [sa.literal_column(c) if " " in c else c for c in columns], unique=False,
                        sqlite_where=live, postgresql_where=live)


def downgrade() -> None:
    """Drop them."""
    for table, name, _columns in _INDEXES:
        op.drop_index(name, table_name=table)

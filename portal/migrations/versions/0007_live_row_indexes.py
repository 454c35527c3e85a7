"""List indexes of the live rows only (portal.models.indexes): each kind's default sort, and each
facet followed by the default sort, `WHERE withdrawn_at IS NULL`, in place of 0006's indexes that
began with (or followed the facet with) `withdrawn_at`. PostgreSQL does not take
`withdrawn_at IS NULL` as fixing the order of those, and sorted every live row a list page read;
a partial index is in the list's order on SQLite and PostgreSQL alike. The index of every row's
`withdrawn_at` becomes one of the tombstones' alone: SQLite's planner, without statistics, looked
the live rows up by it and sorted them rather than walk a list index.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 11:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | Sequence[str] | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Each index: its table, its name, its columns, and where 0006's index had `withdrawn_at`
# among them (first for the default sort, after the facet's column for a facet).
_INDEXES = [
    ("power_items", "ix_power_items_live_code", ["code"], 0),
    ("power_items", "ix_power_items_department_id_live", ["department_id", "code"], 1),
    ("power_items", "ix_power_items_power_type_live", ["power_type", "code"], 1),
    ("power_items", "ix_power_items_status_live", ["status", "code"], 1),
    ("service_guides", "ix_service_guides_live_code", ["code"], 0),
    ("service_guides", "ix_service_guides_department_id_live", ["department_id", "code"], 1),
    ("service_guides", "ix_service_guides_case_type_live", ["case_type", "code"], 1),
    ("commitments", "ix_commitments_live_compression", ["compression DESC", "code"], 0),
    ("commitments", "ix_commitments_department_id_live", ["department_id", "compression DESC", "code"], 1),
    ("appraisal_results", "ix_appraisal_results_live_rank", ["year DESC", "rank", "code"], 0),
    ("appraisal_results", "ix_appraisal_results_year_live", ["year", "rank", "code"], 1),
    ("appraisal_results", "ix_appraisal_results_department_id_live",
     ["department_id", "year DESC", "rank", "code"], 1),
    ("appraisal_results", "ix_appraisal_results_grade_live", ["grade", "year DESC", "rank", "code"], 1),
    ("complaint_cases", "ix_complaint_cases_live_recent", ["received DESC", "code DESC"], 0),
    ("complaint_cases", "ix_complaint_cases_year_live", ["year", "received DESC", "code DESC"], 1),
    ("complaint_cases", "ix_complaint_cases_department_id_live",
     ["department_id", "received DESC", "code DESC"], 1),
    ("complaint_cases", "ix_complaint_cases_category_live", ["category", "received DESC", "code DESC"], 1),
    ("complaint_cases", "ix_complaint_cases_finding_live", ["finding", "received DESC", "code DESC"], 1),
]


_TABLES = ("power_items", "service_guides", "commitments", "appraisal_results", "complaint_cases")


def _columns(names: list[str]) -> list:
    return [sa.literal_column(name) if " " in name else name for name in names]


def upgrade() -> None:
    """Index each kind's live rows alone, in place of the indexes that led with `withdrawn_at`,
    and its tombstones alone."""
    live, withdrawn = sa.text("withdrawn_at IS NULL"), sa.text("withdrawn_at IS NOT NULL")
    for table in _TABLES:
        op.drop_index(f"ix_{table}_withdrawn_at", table_name=table)
        op.create_index(f"ix_{table}_withdrawn_at", table, ["withdrawn_at"], unique=False,
                        sqlite_where=withdrawn, postgresql_where=withdrawn)
    for table, name, columns, _at in _INDEXES:
        op.drop_index(name, table_name=table)
        op.create_index(name, table, _columns(columns), unique=False,
                        sqlite_where=live, postgresql_where=live)


def downgrade() -> None:
    """Index every row again, with `withdrawn_at` among the columns, as 0006 did."""
    for table in _TABLES:
        op.drop_index(f"ix_{table}_withdrawn_at", table_name=table)
        op.create_index(f"ix_{table}_withdrawn_at", table, ["withdrawn_at"], unique=False)
    for table, name, columns, at in _INDEXES:
        op.drop_index(name, table_name=table)
        op.create_index(name, table, _columns(columns[:at] + ["withdrawn_at"] + columns[at:]), unique=False)

"""Each list index carries the other facets' columns after its order (portal.models.indexes): a
filtered list counts its other facets (公开状态 under 权力类型, 部门 under 年份 …), and a
several-valued facet (服务对象) is matched with LIKE, which no B-tree seeks. Both read every live
row under the filter, record and all; with the columns in the index they read the index alone.
Each index also ends with `withdrawn_at` (NULL in all of its rows): SQLite takes an index as
covering only when it holds every column a query names, its own condition's included.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 19:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | Sequence[str] | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Each index: its table, its name, its columns as 0007 made them, and the columns it now carries.
_INDEXES = [
    ("power_items", "ix_power_items_live_code", ["code"], ["department_id", "power_type", "status"]),
    ("power_items", "ix_power_items_department_id_live", ["department_id", "code"], ["power_type", "status"]),
    ("power_items", "ix_power_items_power_type_live", ["power_type", "code"], ["department_id", "status"]),
    ("power_items", "ix_power_items_status_live", ["status", "code"], ["department_id", "power_type"]),
    ("service_guides", "ix_service_guides_live_code", ["code"], ["department_id", "service_object", "case_type"]),
    ("service_guides", "ix_service_guides_department_id_live", ["department_id", "code"],
     ["service_object", "case_type"]),
    ("service_guides", "ix_service_guides_case_type_live", ["case_type", "code"], ["department_id", "service_object"]),
    ("commitments", "ix_commitments_live_compression", ["compression DESC", "code"], ["department_id"]),
    ("commitments", "ix_commitments_department_id_live", ["department_id", "compression DESC", "code"], []),
    ("appraisal_results", "ix_appraisal_results_live_rank", ["year DESC", "rank", "code"], ["department_id", "grade"]),
    ("appraisal_results", "ix_appraisal_results_year_live", ["year", "rank", "code"], ["department_id", "grade"]),
    ("appraisal_results", "ix_appraisal_results_department_id_live", ["department_id", "year DESC", "rank", "code"],
     ["grade"]),
    ("appraisal_results", "ix_appraisal_results_grade_live", ["grade", "year DESC", "rank", "code"],
     ["department_id"]),
    ("complaint_cases", "ix_complaint_cases_live_recent", ["received DESC", "code DESC"],
     ["year", "department_id", "category", "finding"]),
    ("complaint_cases", "ix_complaint_cases_year_live", ["year", "received DESC", "code DESC"],
     ["department_id", "category", "finding"]),
    ("complaint_cases", "ix_complaint_cases_department_id_live", ["department_id", "received DESC", "code DESC"],
     ["year", "category", "finding"]),
    ("complaint_cases", "ix_complaint_cases_category_live", ["category", "received DESC", "code DESC"],
     ["year", "department_id", "finding"]),
    ("complaint_cases", "ix_complaint_cases_finding_live", ["finding", "received DESC", "code DESC"],
     ["year", "department_id", "category"]),
]


def _columns(names: list[str]) -> list:
    return [sa.literal_column(name) if " " in name else name for name in names]


def _remake(carried: bool) -> None:
    live = sa.text("withdrawn_at IS NULL")
    for table, name, columns, more in _INDEXES:
        op.drop_index(name, table_name=table)
        op.create_index(name, table, _columns(columns + more + ["withdrawn_at"] if carried else columns), unique=False,
                        sqlite_where=live, postgresql_where=live)


def upgrade() -> None:
    """Make each list index carry the other facets' columns and `withdrawn_at`."""
    _remake(carried=True)


def downgrade() -> None:
    """Make them as 0007 did."""
    _remake(carried=False)

"""Columns the statistics are counted from, filled when an item is published: each complaint's
outcome (处理结果), which the complaint figures group by, and each item's `left_empty`, the fields
whose absence is named (未公布设定依据, 未公布办理流程) that its record leaves empty; with the
indexes that cover them. The statistics page read all complaints' records to extract the outcome,
and a department page the records of all its guides to see whether their flow was empty.

Existing rows are filled here from their records, as the write path fills new ones.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 18:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | Sequence[str] | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_KIND_TABLES = ("power_items", "service_guides", "commitments", "appraisal_results", "complaint_cases")
# The fields whose absence is named, by table, as the declarations stand at this revision
# (portal.models.gaps.checks): the powers' 设定依据 and the guides' flow.
_CHECKED = {"power_items": ("basis",), "service_guides": ("flow",)}
_INDEXES = [
    ("complaint_cases", "ix_complaint_cases_live_by_department",
     ["department_id", "working_days", "finding", "within_limit", "handled_people"]),
    ("complaint_cases", "ix_complaint_cases_outcome_live", ["outcome", "finding", "within_limit", "handled_people"]),
    ("power_items", "ix_power_items_gaps_live", ["department_id", "left_empty"]),
    ("service_guides", "ix_service_guides_gaps_live", ["department_id", "left_empty"]),
]


def _table(name: str) -> sa.TableClause:
    return sa.table(name, sa.column("record", sa.JSON), sa.column("outcome", sa.String),
                    sa.column("left_empty", sa.String))


def _left_empty(table: sa.TableClause, fields: tuple[str, ...]):
    """"|" then "name|" for each field the record leaves empty (absent, null, "" or []), as
    portal.models.gaps.left_empty says and Disclosure.leaves_empty reads it."""
    stored = sa.literal("|", sa.String)
    for field in fields:
        empty = sa.func.coalesce(table.c.record[field].as_string(), "").in_(("", "[]"))
        stored = stored + sa.case((empty, f"{field}|"), else_="")
    return stored


def upgrade() -> None:
    """Add and fill the columns; index them."""
    for table in _KIND_TABLES:
        op.add_column(table, sa.Column("left_empty", sa.String(length=200), nullable=True))
    op.add_column("complaint_cases", sa.Column("outcome", sa.String(length=10), nullable=True))
    bind = op.get_bind()
    cases = _table("complaint_cases")
    bind.execute(cases.update().values(outcome=cases.c.record["outcome"].as_string()))
    for name, fields in _CHECKED.items():
        table = _table(name)
        bind.execute(table.update().values(left_empty=_left_empty(table, fields)))
    live = sa.text("withdrawn_at IS NULL")
    for table, name, columns in _INDEXES:
        op.create_index(name, table, columns, unique=False, sqlite_where=live, postgresql_where=live)


def downgrade() -> None:
    """Drop them."""
    for table, name, _columns in _INDEXES:
        op.drop_index(name, table_name=table)
    with op.batch_alter_table("complaint_cases", schema=None) as batch_op:
        batch_op.drop_column("outcome")
    for table in _KIND_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("left_empty")

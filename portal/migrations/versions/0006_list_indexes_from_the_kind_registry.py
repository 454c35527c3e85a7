"""List indexes declared from the kind registry (portal.models.indexes): each kind's live filter
followed by its default sort, and each facet followed by the live filter and the default sort, so
that a list page, however deep, and a facet's counts read an index instead of sorting whole rows.
Flowcharts are kept compressed (`svgz`, zlib) instead of as text. Each item keeps the privacy
guard's verdict from when it was published (`screened`; NULL until its next publish: screened on
every exit as before).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 08:51:14.255393
"""

from collections.abc import Sequence

import zlib

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | Sequence[str] | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


_CHARTS = sa.table("flowcharts", sa.column("id", sa.Integer), sa.column("svg", sa.Text),
                   sa.column("svgz", sa.LargeBinary))


def _convert(source: str, target: str, change) -> None:
    """Fill one flowchart column from the other, a batch of rows at a time."""
    connection, after = op.get_bind(), 0
    while rows := connection.execute(sa.select(_CHARTS.c.id, _CHARTS.c[source]).where(_CHARTS.c.id > after)
                                     .order_by(_CHARTS.c.id).limit(500)).all():
        for chart_id, value in rows:
            connection.execute(_CHARTS.update().where(_CHARTS.c.id == chart_id).values({target: change(value)}))
        after = rows[-1][0]


_KIND_TABLES = ("power_items", "service_guides", "commitments", "appraisal_results", "complaint_cases")


def upgrade() -> None:
    """Create each kind's list indexes; compress the flowcharts; make room for the guard's verdicts."""
    for table in _KIND_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('screened', sa.String(length=64), nullable=True))
    with op.batch_alter_table('flowcharts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('svgz', sa.LargeBinary(), nullable=True))
    _convert("svg", "svgz", lambda text: zlib.compress(text.encode(), 9))
    with op.batch_alter_table('flowcharts', schema=None) as batch_op:
        batch_op.alter_column('svgz', existing_type=sa.LargeBinary(), nullable=False)
        batch_op.drop_column('svg')
    with op.batch_alter_table('appraisal_results', schema=None) as batch_op:
        batch_op.create_index('ix_appraisal_results_department_id_live', ['department_id', 'withdrawn_at', sa.literal_column('year DESC'), 'rank', 'code'], unique=False)
        batch_op.create_index('ix_appraisal_results_grade_live', ['grade', 'withdrawn_at', sa.literal_column('year DESC'), 'rank', 'code'], unique=False)
        batch_op.create_index('ix_appraisal_results_live_rank', ['withdrawn_at', sa.literal_column('year DESC'), 'rank', 'code'], unique=False)
        batch_op.create_index('ix_appraisal_results_year_live', ['year', 'withdrawn_at', 'rank', 'code'], unique=False)

    with op.batch_alter_table('commitments', schema=None) as batch_op:
        batch_op.create_index('ix_commitments_department_id_live', ['department_id', 'withdrawn_at', sa.literal_column('compression DESC'), 'code'], unique=False)
        batch_op.create_index('ix_commitments_live_compression', ['withdrawn_at', sa.literal_column('compression DESC'), 'code'], unique=False)

    with op.batch_alter_table('complaint_cases', schema=None) as batch_op:
        batch_op.create_index('ix_complaint_cases_category_live', ['category', 'withdrawn_at', sa.literal_column('received DESC'), sa.literal_column('code DESC')], unique=False)
        batch_op.create_index('ix_complaint_cases_department_id_live', ['department_id', 'withdrawn_at', sa.literal_column('received DESC'), sa.literal_column('code DESC')], unique=False)
        batch_op.create_index('ix_complaint_cases_finding_live', ['finding', 'withdrawn_at', sa.literal_column('received DESC'), sa.literal_column('code DESC')], unique=False)
        batch_op.create_index('ix_complaint_cases_live_recent', ['withdrawn_at', sa.literal_column('received DESC'), sa.literal_column('code DESC')], unique=False)
        batch_op.create_index('ix_complaint_cases_year_live', ['year', 'withdrawn_at', sa.literal_column('received DESC'), sa.literal_column('code DESC')], unique=False)

    with op.batch_alter_table('power_items', schema=None) as batch_op:
        batch_op.create_index('ix_power_items_department_id_live', ['department_id', 'withdrawn_at', 'code'], unique=False)
        batch_op.create_index('ix_power_items_live_code', ['withdrawn_at', 'code'], unique=False)
        batch_op.create_index('ix_power_items_power_type_live', ['power_type', 'withdrawn_at', 'code'], unique=False)
        batch_op.create_index('ix_power_items_status_live', ['status', 'withdrawn_at', 'code'], unique=False)

    with op.batch_alter_table('service_guides', schema=None) as batch_op:
        batch_op.create_index('ix_service_guides_case_type_live', ['case_type', 'withdrawn_at', 'code'], unique=False)
        batch_op.create_index('ix_service_guides_department_id_live', ['department_id', 'withdrawn_at', 'code'], unique=False)
        batch_op.create_index('ix_service_guides_live_code', ['withdrawn_at', 'code'], unique=False)


def downgrade() -> None:
    """Drop each kind's list indexes and the guard's verdicts; keep the flowcharts as text again."""
    for table in _KIND_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('screened')
    with op.batch_alter_table('flowcharts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('svg', sa.Text(), nullable=True))
    _convert("svgz", "svg", lambda data: zlib.decompress(data).decode())
    with op.batch_alter_table('flowcharts', schema=None) as batch_op:
        batch_op.alter_column('svg', existing_type=sa.Text(), nullable=False)
        batch_op.drop_column('svgz')
    with op.batch_alter_table('service_guides', schema=None) as batch_op:
        batch_op.drop_index('ix_service_guides_live_code')
        batch_op.drop_index('ix_service_guides_department_id_live')
        batch_op.drop_index('ix_service_guides_case_type_live')

    with op.batch_alter_table('power_items', schema=None) as batch_op:
        batch_op.drop_index('ix_power_items_status_live')
        batch_op.drop_index('ix_power_items_power_type_live')
        batch_op.drop_index('ix_power_items_live_code')
        batch_op.drop_index('ix_power_items_department_id_live')

    with op.batch_alter_table('complaint_cases', schema=None) as batch_op:
        batch_op.drop_index('ix_complaint_cases_year_live')
        batch_op.drop_index('ix_complaint_cases_live_recent')
        batch_op.drop_index('ix_complaint_cases_finding_live')
        batch_op.drop_index('ix_complaint_cases_department_id_live')
        batch_op.drop_index('ix_complaint_cases_category_live')

    with op.batch_alter_table('commitments', schema=None) as batch_op:
        batch_op.drop_index('ix_commitments_live_compression')
        batch_op.drop_index('ix_commitments_department_id_live')

    with op.batch_alter_table('appraisal_results', schema=None) as batch_op:
        batch_op.drop_index('ix_appraisal_results_year_live')
        batch_op.drop_index('ix_appraisal_results_live_rank')
        batch_op.drop_index('ix_appraisal_results_grade_live')
        batch_op.drop_index('ix_appraisal_results_department_id_live')

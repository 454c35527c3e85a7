"""Time limits as departments write them, and several service objects per guide

Commitments keep their limits in the record as written (20, 即办, 3个月, 无法定时限); the
columns become the limits in working days that lists sort and compare by, and the
compression ratio may be empty (无法定时限). A guide's 服务对象 column holds several values
between bars (`|自然人|企业法人|`), and 是否网办 may be empty when 网办深度 is given.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 09:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | Sequence[str] | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Working-day columns for commitments; several service objects; 是否网办 optional."""
    with op.batch_alter_table('commitments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('statutory_workdays', sa.Double(), nullable=True))
        batch_op.add_column(sa.Column('committed_workdays', sa.Double(), nullable=True))
        batch_op.alter_column('compression', existing_type=sa.Double(), nullable=True)
    op.execute('UPDATE commitments SET statutory_workdays = statutory_days, committed_workdays = committed_days')
    with op.batch_alter_table('commitments', schema=None) as batch_op:
        batch_op.drop_column('statutory_days')
        batch_op.drop_column('committed_days')

    with op.batch_alter_table('service_guides', schema=None) as batch_op:
        batch_op.alter_column('service_object', existing_type=sa.String(length=10),
                              type_=sa.String(length=200), existing_nullable=False)
        batch_op.alter_column('online', existing_type=sa.Boolean(), nullable=True)
    op.execute("UPDATE service_guides SET service_object = '|个人|法人|' WHERE service_object = '个人和法人'")
    op.execute("UPDATE service_guides SET service_object = '|' || service_object || '|' "
               "WHERE service_object NOT LIKE '|%'")
    # The records say the same: 服务对象 as a list (个人和法人 → 个人, 法人), 必须 as 必要.
    guides = sa.table('service_guides', sa.column('id', sa.Integer()), sa.column('record', sa.JSON()))
    bind = op.get_bind()
    for id_, record in bind.execute(sa.select(guides.c.id, guides.c.record)).all():
        upgraded = _upgraded(record)
        if upgraded != record:
            bind.execute(guides.update().where(guides.c.id == id_).values(record=upgraded))


def _upgraded(record: dict) -> dict:
    found = dict(record)
    if isinstance(found.get('service_object'), str):
        found['service_object'] = found['service_object'].split('和')
    found['materials'] = [{**m, 'necessity': '必要' if m.get('necessity') == '必须' else m.get('necessity')}
                          for m in found.get('materials') or []]
    return found


def downgrade() -> None:
    """Back to one service object and whole working days (limits in other units count as their working days)."""
    op.execute("UPDATE service_guides SET online = false WHERE online IS NULL")
    op.execute("UPDATE service_guides SET service_object = '个人和法人' WHERE service_object = '|个人|法人|'")
    op.execute("UPDATE service_guides SET service_object = "
               "substr(service_object, 2, length(service_object) - 2) WHERE service_object LIKE '|%'")
    op.execute("UPDATE service_guides SET service_object = substr(service_object, 1, 10)")
    with op.batch_alter_table('service_guides', schema=None) as batch_op:
        batch_op.alter_column('online', existing_type=sa.Boolean(), nullable=False)
        batch_op.alter_column('service_object', existing_type=sa.String(length=200),
                              type_=sa.String(length=10), existing_nullable=False)

    with op.batch_alter_table('commitments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('statutory_days', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('committed_days', sa.Integer(), nullable=True))
    op.execute('UPDATE commitments SET statutory_days = COALESCE(statutory_workdays, 0), '
               'committed_days = COALESCE(committed_workdays, 0), compression = COALESCE(compression, 0)')
    with op.batch_alter_table('commitments', schema=None) as batch_op:
        batch_op.alter_column('statutory_days', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('committed_days', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('compression', existing_type=sa.Double(), nullable=False)
        batch_op.drop_column('statutory_workdays')
        batch_op.drop_column('committed_workdays')

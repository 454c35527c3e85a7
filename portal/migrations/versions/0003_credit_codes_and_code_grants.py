"""Department credit codes and codes handed over by the efficiency office

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 07:05:32.801570
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | Sequence[str] | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add departments.credit_codes (统一社会信用代码) and the code_grants table (codes handed over)."""
    op.create_table('code_grants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('granted_by', sa.String(length=40), nullable=False),
    sa.Column('granted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('kind', 'code')
    )
    with op.batch_alter_table('code_grants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_code_grants_department_id'), ['department_id'], unique=False)

    with op.batch_alter_table('departments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('credit_codes', sa.JSON(), nullable=True))



def downgrade() -> None:
    """Drop departments.credit_codes and the code_grants table."""
    with op.batch_alter_table('departments', schema=None) as batch_op:
        batch_op.drop_column('credit_codes')

    with op.batch_alter_table('code_grants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_code_grants_department_id'))

    op.drop_table('code_grants')

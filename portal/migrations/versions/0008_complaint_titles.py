"""A complaint is titled by its category and the department complained of, not its case number

Lists, search, feeds and the change log showed a complaint as its case number
(2024-XN-0012). The title is now `<问题类别> · <被投诉单位>`: every stored complaint
and every change event of a complaint is retitled, each event with the department's
name as it stood at that revision (so `flask changes verify` still recomputes it from
the snapshots). The case number stays the item's code. The search index documents
change too: its version is bumped, so `flask search reindex --if-missing` rebuilds it.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 11:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | Sequence[str] | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_DEPARTMENTS = sa.table('departments', sa.column('id', sa.Integer), sa.column('name', sa.String))
_REVISIONS = sa.table('revisions', sa.column('id', sa.Integer), sa.column('department_id', sa.Integer),
                      sa.column('kind', sa.String), sa.column('snapshot', sa.JSON))
_CASES = sa.table('complaint_cases', sa.column('id', sa.Integer), sa.column('department_id', sa.Integer),
                  sa.column('code', sa.String), sa.column('title', sa.String), sa.column('record', sa.JSON))
_EVENTS = sa.table('change_events', sa.column('id', sa.Integer), sa.column('revision_id', sa.Integer),
                   sa.column('kind', sa.String), sa.column('code', sa.String), sa.column('action', sa.String),
                   sa.column('title', sa.String))


def _title(record: dict | None, department: str, fallback: str) -> str:
    # The declaration's named title (portal/schemas/complaints.py) as it stands at this revision.
    category = (record or {}).get('category')
    return f"{category} · {department}"[:300] if category else fallback


def upgrade() -> None:
    """Retitle complaints and their change events by category and department."""
    bind = op.get_bind()
    names = dict(bind.execute(sa.select(_DEPARTMENTS.c.id, _DEPARTMENTS.c.name)).all())
    cases = sa.select(_CASES.c.id, _CASES.c.department_id, _CASES.c.title, _CASES.c.record)
    for id_, department_id, title, record in bind.execute(cases).all():
        new = _title(record, names.get(department_id, ''), title)
        if new != title:
            bind.execute(_CASES.update().where(_CASES.c.id == id_).values(title=new))
    _retitle_events(bind, names)


def _retitle_events(bind, current: dict[int, str]) -> None:
    """Walk the revision log in order, as verification does: names as of each revision, the
    record an event names (the new one, or for a withdrawal the one that was live)."""
    named: dict[int, str] = {}  # department id → its name as of the revisions walked so far
    live: dict[int, dict[str, dict]] = {}  # department id → its live complaints by code
    revisions = bind.execute(sa.select(_REVISIONS.c.id, _REVISIONS.c.department_id, _REVISIONS.c.kind,
                                       _REVISIONS.c.snapshot)
                             .where(_REVISIONS.c.kind.in_(('departments', 'complaints')))
                             .order_by(_REVISIONS.c.id)).all()
    for revision_id, department_id, kind, snapshot in revisions:
        if kind == 'departments':
            if snapshot and snapshot[0].get('name'):
                named[department_id] = snapshot[0]['name']
            continue
        name = named.get(department_id, current.get(department_id, ''))
        incoming = {r.get('code'): r for r in snapshot or []}
        before = live.get(department_id, {})
        for id_, code, action, title in bind.execute(
                sa.select(_EVENTS.c.id, _EVENTS.c.code, _EVENTS.c.action, _EVENTS.c.title)
                .where(_EVENTS.c.revision_id == revision_id, _EVENTS.c.kind == 'complaints')).all():
            record = before.get(code) if action == 'withdrawn' else incoming.get(code)
            new = _title(record, name, title)
            if new != title:
                bind.execute(_EVENTS.update().where(_EVENTS.c.id == id_).values(title=new))
        live[department_id] = incoming


def downgrade() -> None:
    """Complaints and their events titled by their case numbers again."""
    op.execute("UPDATE complaint_cases SET title = code")
    op.execute("UPDATE change_events SET title = code WHERE kind = 'complaints'")

"""A department's publishing history per kind, and rollback to an earlier state."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import publish
from ..accounts import audit
from ..catalog import changes
from ..catalog.changes import ChangeLog
from ..models import Department, Revision, User
from ..privacy.redact import shown_file_name
from ..schemas import KINDS
from .uploads import check_allowed


def revisions(session: Session, department: Department, kind: str) -> list[Revision]:
    """Every revision of a department's list of `kind`, newest first."""
    return list(session.scalars(
        select(Revision).where(Revision.department_id == department.id, Revision.kind == kind)
        .order_by(Revision.number.desc())
    ))


def revision_for(session: Session, user: User, revision_id: int) -> Revision:
    """A revision the user may see, or LookupError / NotAllowed."""
    revision = session.get(Revision, revision_id)
    if revision is None:
        raise LookupError(revision_id)
    check_allowed(user, revision.department)
    return revision


def events_of(session: Session, revision: Revision, page: int, page_size: int) -> ChangeLog:
    """Page `page` of what a revision changed, item by item (NotFound past the last page).

    The desk shows a department its own revision whole: the public pages' privacy
    guard does not apply here.
    """
    return changes.revision_events(session, revision, page, page_size, public=False)


def rollback(session: Session, user: User, revision: Revision) -> Revision | None:
    """Publish the state after `revision` again, as a new revision (history is never rewritten)."""
    check_allowed(user, revision.department)
    reason = f"回退到第 {revision.number} 版"
    with publish.opened(session) as writer:
        # An old revision's records may be of an older shape (one 服务对象 as text).
        kind = KINDS[revision.kind]
        new = writer.publish(revision.department, kind, [kind.current(r) for r in revision.snapshot],
                             # A new revision stores the name masked as it is shown (`shown_file_name`).
                             author=user.username, source="rollback",
                             filename=shown_file_name(revision.filename),
                             file_sha256=revision.file_sha256, reason=reason)
        counts = {"added": new.added, "changed": new.changed, "withdrawn": new.withdrawn} if new else {}
        audit.record(session, user.username, "revision.rollback", department=revision.department,
                     kind=revision.kind, revision=new, content_hash=revision.content_sha256,
                     to_number=revision.number, **counts)
    return new

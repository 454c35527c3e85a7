"""Record actions in the append-only audit log."""

from __future__ import annotations

from flask import has_request_context, request
from sqlalchemy.orm import Session

from ..models import AuditEvent


def record(
    session: Session,
    actor: str,
    action: str,
    *,
    department=None,
    kind: str | None = None,
    revision=None,
    content_hash: str | None = None,
    **detail,
) -> AuditEvent:
    """Add one audit entry to the session (committed with the action it records).

    `detail` must never carry passwords, tokens or complaint personal data: callers
    pass counts, file hashes and names of things, not contents.
    """
    entry = AuditEvent(
        actor=actor,
        action=action,
        address=request.remote_addr if has_request_context() else None,
        department_id=department.id if department is not None else None,
        kind=kind,
        revision_id=revision.id if revision is not None else None,
        content_hash=content_hash,
        detail=detail,
    )
    session.add(entry)
    return entry

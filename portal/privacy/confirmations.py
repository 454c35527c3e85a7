"""Who may confirm that a finding is not personal data, and when a confirmation settles it.

One person's word settles a lower-confidence finding (a name or an address proposed
by the words around it, a number that fails its check). A high-confidence finding —
a checksum-valid ID number, a mobile, a bank card — needs a second person: an
administrator of the efficiency office (`User.is_admin`) who neither uploaded it nor
gave the first confirmation. Until then it is "awaiting the efficiency office", and
publishing stays held. Both confirmations are in the audit log.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import PrivacyConfirmation, Upload, User
from .detect import HIGH, Finding

OPEN = "open"  # nobody has confirmed it: redact it, or confirm it is not personal
AWAITING_OFFICE = "awaiting_office"  # confirmed once; an administrator of the efficiency office must too
CONFIRMED = "confirmed"  # settled: it may be published


def needs_office(finding: Finding) -> bool:
    """True when one person's confirmation is not enough for this finding."""
    return finding.confidence == HIGH


def status(confirmation: PrivacyConfirmation | None, finding: Finding) -> str:
    """Where a finding stands, given its item's confirmation of the same value (or None)."""
    if confirmation is None:
        return OPEN
    if needs_office(finding) and confirmation.office_confirmed_by is None:
        return AWAITING_OFFICE
    return CONFIRMED


def may_confirm_for_office(user: User, upload: Upload, first: str | None) -> bool:
    """True when `user` may give the office's confirmation of a finding in `upload` that `first`
    confirmed: an active administrator who is neither the uploader nor the first to confirm."""
    return (user.active and user.is_admin and user.id != upload.user_id
            and first is not None and user.username != first)


def awaiting_office(session: Session) -> list[Upload]:
    """The pending uploads with a high-confidence finding confirmed once, oldest first: the
    efficiency office's queue."""
    waiting = select(PrivacyConfirmation.upload_id).where(
        PrivacyConfirmation.confidence == HIGH, PrivacyConfirmation.office_confirmed_by.is_(None))
    return list(session.scalars(
        select(Upload).where(Upload.status == "pending", Upload.id.in_(waiting)).order_by(Upload.id)
    ))

"""Findings in an upload, and how its uploader resolves each one before publishing.

Every disclosure kind is screened: every finding in a record's free text (the
fields and table columns `portal.privacy.places` names) must be either redacted
(the portal's suggested mask replaces the value in the staged records) or
confirmed as not personal data (kept as a `PrivacyConfirmation` for that item and
recorded in the audit log) — by two people for a high-confidence finding, the
second an administrator of the efficiency office (`portal.privacy.confirmations`).
The write path refuses to publish records with a finding that is neither
(`held`), however they arrive: an upload, the content loader, the API or a rollback.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..accounts import audit
from ..models import PrivacyConfirmation, Upload, User, utcnow
from ..schemas import KINDS, Kind, Problem
from . import confirmations, places
from .detect import Finding
from .labels import category_label, confidence_label
from .redact import mask, redact_fingerprint
from .screening import Screening, public_now, screen


class NeedsOffice(PermissionError):
    """A finding awaiting the efficiency office, and an account that may not confirm it for the office."""


class PersonalDataHeld(ValueError):
    """Records with unresolved findings cannot be published."""

    def __init__(self, findings: list[RowFinding]):
        super().__init__(f"{len(findings)} unresolved personal-data findings")
        self.findings = findings


@dataclass(frozen=True)
class RowFinding:
    """A finding in one field of one record, and how to show and resolve it."""

    code: str  # the item's code (案件编号, 事项编码 …)
    field: str  # where in the record: the field's name, or a table cell's path (`places.Place.path`)
    label: str  # the field's Chinese header
    text: str  # the field's (or cell's) whole text, as staged
    finding: Finding
    row: int | None = None  # the file's row number, when known
    table_row: int | None = None  # for a table's cell: its row in the table
    table_column: str | None = None  # for a table's cell: its column's Chinese header
    status: str = confirmations.OPEN  # OPEN, or AWAITING_OFFICE once confirmed by one person
    confirmed_by: str | None = None  # who confirmed it first, when someone did

    @property
    def needs_office(self) -> bool:
        """True for a high-confidence finding: confirming it takes the efficiency office too."""
        return confirmations.needs_office(self.finding)

    @property
    def key(self) -> str:
        """Names the finding within an upload: item, field and value (all its occurrences)."""
        named = f"{self.code}\x1f{self.field}\x1f{self.finding.fingerprint}"
        return hashlib.sha256(named.encode()).hexdigest()[:20]

    @property
    def category_label(self) -> str:
        """What kind of personal data this probably is, in the current language."""
        return category_label(self.finding.category)

    @property
    def confidence_label(self) -> str:
        """高 or 需复核, in the current language."""
        return confidence_label(self.finding.confidence)

    @property
    def suggestion(self) -> str:
        """The mask offered in place of the value."""
        return mask(self.finding)

    @property
    def segments(self) -> list[tuple[str, bool]]:
        """The text around the finding as (text, highlighted) pieces, at most ~40 characters each side."""
        start, end = self.finding.start, self.finding.end
        before = self.text[max(0, start - 40):start]
        after = self.text[end:end + 40]
        return [
            ("…" + before if start > 40 else before, False),
            (self.text[start:end], True),
            (after + "…" if end + 40 < len(self.text) else after, False),
        ]

    def as_dict(self) -> dict:
        """The finding as JSON-ready data for the API (the suggestion, not the value)."""
        cell = {"row": self.table_row, "column": self.table_column} if self.table_row else None
        return {
            "key": self.key, "code": self.code, "row": self.row, "column": self.label, "cell": cell,
            "category": self.finding.category, "confidence": self.finding.confidence,
            "suggestion": self.suggestion, "status": self.status, "needs_office": self.needs_office,
        }


def _confirmations(session: Session, kind: Kind,
                   codes: list[str]) -> dict[tuple[str, str], PrivacyConfirmation]:
    if not codes:
        return {}
    rows = session.scalars(select(PrivacyConfirmation).where(
        PrivacyConfirmation.kind == kind.name, PrivacyConfirmation.code.in_(codes)))
    return {(row.code, row.fingerprint): row for row in rows}


def touched(kind: Kind, records: list[dict], live: dict[str, dict]) -> list[dict]:
    """The records a publish would add or change (`live`: the live records by code): the ones to
    screen, since the others are published already."""
    return [r for r in records if live.get(kind.key(r)) != r]


def unresolved(session: Session, kind: Kind, screening: Screening,
               rows: dict[str, int] | None = None) -> list[RowFinding]:
    """The findings of a screening that nobody has settled: open ones, and high-confidence ones
    confirmed by one person that await the efficiency office, record by record.

    `rows` maps codes to the file's row numbers, when known.
    """
    confirmed = _confirmations(session, kind, [code for code, read in screening.records if read.found])
    found = []
    for code, read in screening.records:
        for place, finding in read.found:
            confirmation = confirmed.get((code, finding.fingerprint))
            status = confirmations.status(confirmation, finding)
            if status != confirmations.CONFIRMED:
                found.append(RowFinding(code, place.path, place.label, place.text, finding,
                                        (rows or {}).get(code), place.table_row, place.table_column,
                                        status, confirmation.confirmed_by if confirmation else None))
    return found


def findings(
    session: Session, kind: Kind, records: list[dict], rows: dict[str, int] | None = None
) -> list[RowFinding]:
    """The unresolved findings in `records`, record by record: open ones, and high-confidence ones
    confirmed by one person that await the efficiency office (settled ones are left out).

    `rows` maps codes to the file's row numbers, when known.
    """
    if not records:
        return []
    return unresolved(session, kind, screen(session, kind, records), rows)


def as_problems(found: list[RowFinding]) -> list[Problem]:
    """Findings as validation problems, for loaders that cannot ask anyone (the content loader)."""
    return [
        Problem(f.row, f.label, str(_l("疑似含有个人信息(%(category)s),请改为“%(suggestion)s”或删除",
                                      category=category_label(f.finding.category), suggestion=f.suggestion)))
        for f in found
    ]


def held(session: Session, kind: Kind, records: list[dict], earlier: Screening | None = None) -> list[RowFinding]:
    """The unresolved findings that keep these records from being published (`earlier`: the
    screening made while preparing them, reused where it still holds; see `screen`)."""
    if not records:
        return []
    return unresolved(session, kind, screen(session, kind, records, earlier))


def _check(user: User, upload: Upload) -> None:
    # The views check this too; a service that changes what gets published checks again.
    if not user.may_act_for(upload.department):
        raise PermissionError(upload.department.code)
    if upload.status != "pending":
        raise ValueError(upload.status)


def upload_findings(session: Session, upload: Upload, live: dict[str, dict]) -> list[RowFinding]:
    """The unresolved findings of a staged upload, in the records it would add or change, with
    their rows in the file (kept at staging; none for an upload staged before rows were kept)."""
    kind = KINDS[upload.kind]
    return findings(session, kind, touched(kind, upload.records, live), upload.rows)


def _find(session: Session, upload: Upload, live: dict[str, dict], key: str) -> RowFinding:
    for found in upload_findings(session, upload, live):
        if found.key == key:
            return found
    raise LookupError(key)


def redact(session: Session, user: User, upload: Upload, live: dict[str, dict], key: str) -> RowFinding:
    """Replace a finding's value (every occurrence in that field) by its mask in the staged records."""
    _check(user, upload)
    found = _find(session, upload, live, key)
    _apply_redactions(session, upload, [found])
    audit.record(session, user.username, "privacy.redacted", department=upload.department, kind=upload.kind,
                 upload=upload.id, code=found.code, field=found.field, category=found.finding.category)
    session.commit()
    return found


def redact_all(session: Session, user: User, upload: Upload, live: dict[str, dict]) -> int:
    """Accept every suggested redaction of an upload; return how many findings were redacted."""
    _check(user, upload)
    found = upload_findings(session, upload, live)
    if found:
        _apply_redactions(session, upload, found)
        audit.record(session, user.username, "privacy.redacted", department=upload.department,
                     kind=upload.kind, upload=upload.id, findings=len(found),
                     categories=sorted({f.finding.category for f in found}))
        session.commit()
    return len(found)


def _apply_redactions(session: Session, upload: Upload, found: list[RowFinding]) -> None:
    kind = KINDS[upload.kind]
    base = public_now(session)
    by_code = {kind.key(r): dict(r) for r in upload.records}
    for item in found:
        record = by_code[item.code]
        known = places.with_contacts(base, places.contacts(kind, [record]))
        text = redact_fingerprint(places.text_at(record, item.field), item.finding.fingerprint, known)
        by_code[item.code] = places.replaced(record, item.field, text)
    # A new list: JSON columns notice reassignment, not mutation.
    upload.records = [by_code[kind.key(r)] for r in upload.records]


def confirm(session: Session, user: User, upload: Upload, live: dict[str, dict], key: str) -> RowFinding:
    """Record a person's word that a finding is not personal data (audited; the value is not kept).

    The first confirmation settles a lower-confidence finding; a high-confidence one then
    awaits the efficiency office, whose administrator's confirmation (not the uploader's,
    nor the first confirmer's: `NeedsOffice`) settles it. Returns the finding with its new
    status (`confirmations.AWAITING_OFFICE` or `CONFIRMED`).
    """
    _check(user, upload)
    found = _find(session, upload, live, key)
    detail = dict(department=upload.department, kind=upload.kind, upload=upload.id, code=found.code,
                  field=found.field, category=found.finding.category, confidence=found.finding.confidence,
                  fingerprint=found.finding.fingerprint)
    if found.status == confirmations.OPEN:
        session.add(PrivacyConfirmation(
            kind=upload.kind, code=found.code, fingerprint=found.finding.fingerprint,
            category=found.finding.category, field=found.field, confirmed_by=user.username,
            upload_id=upload.id, confidence=found.finding.confidence,
        ))
        audit.record(session, user.username, "privacy.confirmed_not_personal", **detail)
        status = confirmations.AWAITING_OFFICE if found.needs_office else confirmations.CONFIRMED
    else:
        if not confirmations.may_confirm_for_office(user, upload, found.confirmed_by):
            raise NeedsOffice(found.key)
        confirmation = session.scalars(select(PrivacyConfirmation).where(
            PrivacyConfirmation.kind == upload.kind, PrivacyConfirmation.code == found.code,
            PrivacyConfirmation.fingerprint == found.finding.fingerprint)).one()
        confirmation.office_confirmed_by, confirmation.office_confirmed_at = user.username, utcnow()
        audit.record(session, user.username, "privacy.office_confirmed_not_personal",
                     first_confirmed_by=confirmation.confirmed_by, **detail)
        status = confirmations.CONFIRMED
    session.commit()
    return replace(found, status=status)

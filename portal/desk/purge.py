"""Purge a published revision's personal data: its content goes, its hashes and tombstones stay.

What is removed, wherever it is stored:
- the revision's snapshot: every record becomes a stub (its key and its choice, date and
  number fields, which cannot carry personal data, plus `"purged": true`);
- the records it introduced (added or changed) or in which the detector finds anything,
  in every other snapshot of the same department and kind, in the items (which are then
  withdrawn: their tombstone says why), in staged uploads, and as old/new values in the
  change events; its own change events lose their field values entirely;
- the bytes of the uploaded files these revisions were published from.

What stays: every revision's metadata and hash, the recorded content hashes (so the chain
still verifies: a purged revision verifies as purged, by its recorded hashes and by the
hash of what is left, kept in `PrivacyPurge`), the change events themselves, the
tombstones, and the audit entry of the purge. Files that the content loader read from
disk are named in the report: only their owner can edit them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..accounts import audit
from ..models import MODELS, ChangeEvent, PrivacyPurge, Revision, StoredFile, Upload, utcnow
from .. import publish
from ..publish.canonical import content_hash
from ..publish.plan import live_records
from ..schemas import KINDS, Kind
from ..privacy.detect import detect
from ..privacy.places import places
from ..privacy.stubs import is_stub, stub

PURGED_REASON = "该内容含有个人信息,已由效能办依法删除"


class AlreadyPurged(ValueError):
    """The revision's personal data was purged already."""


@dataclass
class PurgeReport:
    """What a purge removed."""

    revision_id: int
    revisions: list[int] = field(default_factory=list)  # every revision whose snapshot changed
    records: int = 0  # records stubbed, over all snapshots
    items: int = 0  # items emptied (and withdrawn when live)
    events: int = 0  # change events whose values were removed
    files: int = 0  # stored files emptied
    content_files: list[str] = field(default_factory=list)  # files on disk their owner must edit


def is_purged(session: Session, revision: Revision) -> bool:
    """True when an administrator purged this revision itself (not only records it carried)."""
    found = session.scalar(select(PrivacyPurge.id).where(
        PrivacyPurge.revision_id == revision.id, PrivacyPurge.requested_revision_id == revision.id))
    return found is not None


def _has_findings(kind: Kind, record: dict) -> bool:
    return any(detect(place.text) for place in places(kind, record))


def _tainted(session: Session, kind: Kind, revision: Revision) -> dict[str, dict]:
    """The records this revision is to blame for: those it introduced, and any with findings."""
    introduced = set(session.scalars(
        select(ChangeEvent.code).where(ChangeEvent.revision_id == revision.id,
                                       ChangeEvent.action.in_(("added", "changed")))
    ))
    return {kind.key(r): r for r in revision.snapshot
            if not is_stub(r) and (kind.key(r) in introduced or _has_findings(kind, r))}


def _scrub_snapshot(
    kind: Kind, snapshot: list, tainted: dict[str, dict], everything: bool
) -> tuple[list, int]:
    """Stub the tainted records of a snapshot (all of them with `everything`); count them."""
    kept, stubbed = [], 0
    for record in snapshot:
        if not is_stub(record) and (everything or tainted.get(kind.key(record)) == record):
            kept.append(stub(kind, record))
            stubbed += 1
        else:
            kept.append(record)
    return kept, stubbed


def _scrub_revisions(session, kind, revision, tainted, actor, reason, now, report) -> list[Revision]:
    scope = session.scalars(
        select(Revision)
        .where(Revision.department_id == revision.department_id, Revision.kind == revision.kind)
        .order_by(Revision.id)
    ).all()
    purged = []
    for other in scope:
        snapshot, stubbed = _scrub_snapshot(kind, other.snapshot, tainted, other.id == revision.id)
        if not stubbed and other.id != revision.id:
            continue
        other.snapshot = snapshot
        report.records += stubbed
        report.revisions.append(other.id)
        purged.append(other)
        existing = session.scalars(select(PrivacyPurge).where(PrivacyPurge.revision_id == other.id)).first()
        if existing is None:
            session.add(PrivacyPurge(revision_id=other.id, requested_revision_id=revision.id, purged_at=now,
                                     purged_by=actor, reason=reason, records=stubbed,
                                     remaining_sha256=content_hash(snapshot)))
        else:
            # An earlier purge touched this revision; what is left now hashes differently.
            existing.records += stubbed
            existing.remaining_sha256 = content_hash(snapshot)
    return purged


def _withdraw_live(writer, kind, revision, tainted, actor) -> None:
    """Withdraw the tainted items that are live, through the door: a public act with its reason,
    whose change events every projection (search, downloads, the export) follows."""
    live = live_records(writer.session, revision.department, kind)
    keep = [record for code, record in live.items() if tainted.get(code) != record]
    if len(keep) != len(live):
        writer.publish(revision.department, kind, keep, author=actor, source="purge", reason=PURGED_REASON)


def _scrub_items(session, kind, revision, tainted, report) -> None:
    model = MODELS[kind.name]
    items = session.scalars(
        select(model).where(model.department_id == revision.department_id, model.code.in_(list(tainted)))
    )
    for item in items:
        if item.record != tainted[item.code]:
            continue  # changed since: its current content is not what is purged
        item.record = stub(kind, item.record)
        report.items += 1


def _scrub_events(session, revision, tainted, report) -> None:
    events = session.scalars(
        select(ChangeEvent).where(ChangeEvent.department_id == revision.department_id,
                                  ChangeEvent.kind == revision.kind)
    )
    for event in events:
        if event.revision_id == revision.id:
            changes = {}
        else:
            record = tainted.get(event.code, {})
            changes = {name: [None if value == record.get(name) and value is not None else value
                              for value in values]
                       for name, values in (event.changes or {}).items()}
        if changes != event.changes:
            event.changes = changes
            report.events += 1


def _scrub_uploads_and_files(session, kind, revision, tainted, purged, report) -> None:
    uploads = session.scalars(
        select(Upload).where(Upload.department_id == revision.department_id, Upload.kind == revision.kind)
    )
    for upload in uploads:
        records, stubbed = _scrub_snapshot(kind, upload.records, tainted, upload.revision_id == revision.id)
        if stubbed:
            upload.records = records
    for other in purged:
        stored = session.get(StoredFile, other.file_sha256) if other.file_sha256 else None
        if stored is not None and stored.size:
            stored.data, stored.size = b"", 0
            report.files += 1
        elif other.source == "content" and other.filename:
            report.content_files.append(other.filename)


def purge(session: Session, actor: str, revision: Revision, reason: str) -> PurgeReport:
    """Remove `revision`'s personal data everywhere it is stored and audit it, in one pass through the door."""
    if is_purged(session, revision):
        raise AlreadyPurged(revision.id)
    kind = KINDS[revision.kind]
    report = PurgeReport(revision.id)
    with publish.opened(session) as writer:
        now = utcnow()
        tainted = _tainted(session, kind, revision)
        _withdraw_live(writer, kind, revision, tainted, actor)
        purged = _scrub_revisions(session, kind, revision, tainted, actor, reason, now, report)
        _scrub_items(session, kind, revision, tainted, report)
        _scrub_events(session, revision, tainted, report)
        _scrub_uploads_and_files(session, kind, revision, tainted, purged, report)
        audit.record(session, actor, "privacy.purged", department=revision.department, kind=revision.kind,
                     revision=revision, content_hash=revision.content_sha256, reason=reason,
                     revisions=report.revisions, records=report.records, items=report.items,
                     events=report.events, files=report.files)
    return report

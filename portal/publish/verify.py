"""Check the hash chain of revisions end to end, and the change events against it.

For every revision, in the order they were written:
- its `prev_hash` is the hash of the revision before it (None for the first);
- its snapshot still hashes to its `content_sha256`, and its metadata, content
  hash and `prev_hash` still hash to its `hash` (`canonical.revision_hash`, the
  same definition the write path uses);
- its number follows the previous revision of the same department and kind;
- its change events are exactly the difference between the previous snapshot
  of that department and kind and its own (what was added, which fields
  changed from what to what, what was withdrawn), with the counts it records.

So editing a stored record, a revision's metadata, or the change log itself is
found and named. A revision whose personal data an administrator purged
(portal.desk.purge) no longer holds what `content_sha256` covers: it verifies
as purged, by its recorded hashes (its own hash and the chain through it are
unchanged) and by the hash of what it still holds, recorded at the purge; its
change events, and those of the next revision of its department and kind, can no
longer be recomputed from snapshots and are not compared. Rewriting the whole chain consistently is not detectable from
inside the database; `against` compares with a copy of the published chain
(revisions.json) that a reader archived earlier.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import ChangeEvent, PrivacyPurge, Revision
from ..schemas import DEPARTMENTS, KINDS, declared
from .canonical import content_hash, revision_hash
from .diff import compute


@dataclass
class Broken:
    """One revision that fails a check, named the way an operator finds it."""

    revision_id: int | None  # None for a revision the archived copy has and the database lacks
    department: str
    kind: str
    number: int
    message: str

    def __str__(self) -> str:
        where = f"revision #{self.revision_id}" if self.revision_id is not None else "revision"
        return f"{where} ({self.department} {self.kind} no. {self.number}): {self.message}"


@dataclass
class Report:
    """What verification found: how many revisions were checked, the head, and what is broken."""

    checked: int = 0
    head: str | None = None
    broken: list[Broken] = field(default_factory=list)
    purged: list[int] = field(default_factory=list)  # ids of revisions verified as purged

    @property
    def ok(self) -> bool:
        """True when every revision passed every check."""
        return not self.broken


def _expected_events(revision: Revision, live: dict[str, dict], department_name: str
                     ) -> dict[tuple[str, str], dict]:
    """The events a revision should have recorded: {(code, action): {"title", "changes"}}."""
    kind = declared(revision.kind)
    incoming = {kind.key(r): r for r in revision.snapshot}
    diff = compute(live, incoming)

    def title(record: dict) -> str:
        return kind.title_for(record, department_name)

    expected = {(code, "added"): {"title": title(incoming[code]), "changes": {}} for code in diff.added}
    for code, changes in diff.changed.items():
        expected[(code, "changed")] = {"title": title(incoming[code]), "changes": changes}
    for code in diff.withdrawn:
        expected[(code, "withdrawn")] = {"title": title(live[code]), "changes": {}}
    return expected


def _event_problems(revision: Revision, events: list[ChangeEvent], live: dict[str, dict],
                    department_name: str) -> list[str]:
    expected = _expected_events(revision, live, department_name)
    recorded = {(e.code, e.action): e for e in events}
    problems = []
    missing = sorted(set(expected) - set(recorded))
    extra = sorted(set(recorded) - set(expected))
    if missing:
        problems.append("change events missing for " + ", ".join(f"{a} {c}" for c, a in missing))
    if extra:
        problems.append(
            "change events not backed by the snapshot: " + ", ".join(f"{a} {c}" for c, a in extra)
        )
    if len(recorded) != len(events):
        problems.append("an item has more than one change event of the same kind")
    for key in sorted(set(expected) & set(recorded)):
        event, want = recorded[key], expected[key]
        if event.changes != want["changes"]:
            problems.append(f"the recorded field changes of {key[1]} {key[0]} differ from the snapshots")
        if event.title != want["title"]:
            problems.append(f"the title of {key[1]} {key[0]} differs from the snapshot")
        if not event.uid.endswith(f"/{key[0]}/{revision.hash[:16]}/{key[1]}"):
            problems.append(f"the id of {key[1]} {key[0]} does not name this revision")
        if event.department_id != revision.department_id or event.kind != revision.kind:
            problems.append(f"{key[1]} {key[0]} is filed under another department or kind")
    counts = {a: sum(1 for _, action in expected if action == a) for a in ("added", "changed", "withdrawn")}
    recorded_counts = {"added": revision.added, "changed": revision.changed, "withdrawn": revision.withdrawn}
    if counts != recorded_counts:
        problems.append(f"counts {recorded_counts} do not match the snapshots {counts}")
    return problems


def _revision_problems(revision: Revision, previous_hash: str | None, last_number: int,
                       remaining: str | None = None) -> list[str]:
    """`remaining`: for a purged revision, the hash of what its snapshot held after the purge."""
    problems = []
    if revision.prev_hash != previous_hash:
        problems.append(
            f"prev_hash {revision.prev_hash} is not the hash of the revision before it ({previous_hash})"
        )
    if remaining is not None:
        if content_hash(revision.snapshot) != remaining:
            problems.append("purged: what is left of its records no longer matches the hash recorded at the purge")
    elif content_hash(revision.snapshot) != revision.content_sha256:
        problems.append("its records no longer match content_sha256 (the snapshot was altered)")
    if revision_hash(revision) != revision.hash:
        problems.append("its hash does not match its metadata, content hash and prev_hash")
    if revision.number != last_number + 1:
        problems.append(f"number {revision.number} does not follow {last_number} of its department and kind")
    return problems


def _events_by_revision(session: Session, revision_id: int) -> list[ChangeEvent]:
    return list(session.scalars(select(ChangeEvent).where(ChangeEvent.revision_id == revision_id)))


def verify_chain(session: Session, published: list[dict] | None = None) -> Report:
    """Check every revision and its events; `published` is an archived copy of the chain
    (the `revisions` of revisions.json) whose hashes must all still be there, unchanged."""
    report = Report()
    previous_hash = None
    # The live records of each department and kind after the revisions seen so far.
    live: dict[tuple[int, str], dict[str, dict] | None] = {}
    numbers: dict[tuple[int, str], int] = {}
    names: dict[str, str] = {}  # each department's name as of the revisions seen so far
    stored: dict[tuple[str, str, int], tuple[int, str]] = {}
    purged = dict(session.execute(select(PrivacyPurge.revision_id, PrivacyPurge.remaining_sha256)).all())
    revisions = session.scalars(select(Revision).order_by(Revision.id).execution_options(yield_per=200))
    for revision in revisions:
        scope = (revision.department_id, revision.kind)
        problems = _revision_problems(revision, previous_hash, numbers.get(scope, 0), purged.get(revision.id))
        if revision.id in purged:
            report.purged.append(revision.id)
        if revision.kind in KINDS or revision.kind == DEPARTMENTS.name:
            # After a purge the snapshots no longer say what the events recorded: None, unknown.
            if revision.id not in purged and live.get(scope, {}) is not None:
                events = _events_by_revision(session, revision.id)
                # Titles that name the department (complaints) use its name as of this revision.
                name = names.get(revision.department.code, revision.department.name)
                problems += _event_problems(revision, events, live.get(scope, {}), name)
            if revision.kind == DEPARTMENTS.name and revision.snapshot:
                names[revision.department.code] = revision.snapshot[0].get("name", revision.department.name)
            live[scope] = None if revision.id in purged else {
                declared(revision.kind).key(r): r for r in revision.snapshot}
        else:
            problems.append(f"unknown kind {revision.kind!r}")
        for message in problems:
            report.broken.append(
                Broken(revision.id, revision.department.code, revision.kind, revision.number, message)
            )
        numbers[scope] = revision.number
        stored[(revision.department.code, revision.kind, revision.number)] = (revision.id, revision.hash)
        previous_hash = revision.hash
        report.checked += 1
        session.expunge(revision)  # keep memory flat: snapshots are large and read once
    report.head = previous_hash
    if published is not None:
        report.broken += _against(published, stored)
    return report


def _against(published: list[dict], stored: dict[tuple[str, str, int], tuple[int, str]]) -> list[Broken]:
    """Revisions whose hash differs from (or that are missing since) an archived copy."""
    broken = []
    for item in published:
        key = (item["department"], item["kind"], item["number"])
        if key not in stored:
            broken.append(Broken(None, *key, "is in the archived copy but no longer in the database"))
        elif stored[key][1] != item["hash"]:
            message = f"hash {stored[key][1]} differs from the archived copy's {item['hash']}"
            broken.append(Broken(stored[key][0], *key, message))
    return broken

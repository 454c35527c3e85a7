"""What one revision recorded: its change events a page at a time, the page of its revision
each event is on, and the records as the revision published them (`catalog.changes` reads
the change log; these serve its links, the feeds' and the revision pages)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from ..models import ChangeEvent, Revision
from ..privacy import guard
from ..publish import memo
from ..schemas import declared
from .listing import NotFound


@dataclass
class ChangeLog:
    """One page of change events, newest first, and the filters that chose them."""

    events: list[ChangeEvent]
    total: int
    page: int
    pages: int
    page_size: int
    filters: dict[str, str] = field(default_factory=dict)
    # Whether the final privacy guard let each of `events` through (public pages): their verdict,
    # carried to what serialises them instead of their being read again.
    screened: bool = False


def revision_events(session: Session, revision: Revision, page: int, page_size: int,
                    *, public: bool = True) -> ChangeLog:
    """Page `page` of the events a revision recorded, in the order they were recorded; NotFound
    past the last page.

    Pages are cut by position among all of the revision's events (as `revision_pages`
    counts them), so a link from the change log lands on the page holding its event.
    On public pages (`public`) the privacy guard then leaves out any event it withholds;
    the desk shows a department its own revision whole.
    """
    condition = ChangeEvent.revision_id == revision.id
    total = session.scalar(select(func.count()).select_from(ChangeEvent).where(condition))
    pages = max(1, math.ceil(total / page_size))
    if page < 1 or page > pages:
        raise NotFound("page")
    events = list(session.scalars(
        select(ChangeEvent).where(condition).order_by(ChangeEvent.id)
        .limit(page_size).offset((page - 1) * page_size)
    ))
    return ChangeLog(guard.public_events(events) if public else events, total, page, pages, page_size,
                     screened=public)


def revision_pages(session: Session, events: list[ChangeEvent], page_size: int) -> dict[int, int]:
    """The page of its revision (`revision_events` with `page_size`) that shows each event, by event id.

    Counted from the event's position among its revision's events, so that the change
    log's and the feeds' links to `#change-<code>` land on the page that holds it.
    """
    if not events:
        return {}
    # Kept per state of the database: every language and format of a page asks it of the same events.
    ids = tuple(e.id for e in events)
    return memo.per_revision(session, ("revision pages", ids, page_size),
                             lambda: _revision_pages(session, ids, page_size))


def _revision_pages(session: Session, ids: tuple[int, ...], page_size: int) -> dict[int, int]:
    earlier = aliased(ChangeEvent)
    position = (
        select(func.count(earlier.id))
        .where(earlier.revision_id == ChangeEvent.revision_id, earlier.id < ChangeEvent.id)
        .correlate(ChangeEvent)
        .scalar_subquery()
    )
    rows = session.execute(select(ChangeEvent.id, position).where(ChangeEvent.id.in_(ids)))
    return {event_id: before // page_size + 1 for event_id, before in rows}


def records_at(session: Session, events: list[ChangeEvent]) -> dict[tuple[int, str], dict]:
    """The record of each event's item as its revision published it, keyed by (revision id, code).

    Read from the revisions' snapshots (the hash-covered truth), so what an
    event says about an item never shifts when the item changes later.
    """
    wanted: dict[int, set[str]] = {}
    for event in events:
        wanted.setdefault(event.revision_id, set()).add(event.code)
    if not wanted:
        return {}
    # Reading a revision's snapshot reads every record of its department and kind: done once per
    # state of the database for the events of a page, whatever the language and format.
    key = ("records at", tuple(sorted((r, tuple(sorted(codes))) for r, codes in wanted.items())))
    return memo.per_revision(session, key, lambda: _records_at(session, wanted))


def _records_at(session: Session, wanted: dict[int, set[str]]) -> dict[tuple[int, str], dict]:
    found = {}
    rows = session.execute(
        select(Revision.id, Revision.kind, Revision.snapshot).where(Revision.id.in_(list(wanted)))
    )
    for revision_id, kind, snapshot in rows:
        key = declared(kind).key
        for record in snapshot:
            code = key(record)
            if code in wanted[revision_id]:
                found[(revision_id, code)] = record
    return found

"""The change log as data: change events by department, kind, action and date, a page at a time.

Events are recorded once, by `portal.publish.apply`, and never rewritten; the
change log, the feeds and the home page's latest changes all read them here,
so none of them has its own idea of what changed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from ..models import ChangeEvent, Department, Revision
from ..privacy import guard
from ..publish import memo
from ..schemas import DEPARTMENTS, KINDS
from .archives import ArchivedPage, archive_count, archive_span, front_span, legacy_page, on_front
from .listing import NotFound
from .revision_events import ChangeLog, records_at, revision_events, revision_pages  # noqa: F401 (their home was here)

ACTIONS = ("added", "changed", "withdrawn")


@dataclass(frozen=True)
class Scope:
    """Which events a feed or a log covers: the whole site, one department, one kind, or both."""

    department: str | None = None  # a department code
    kind: str | None = None

    @property
    def key(self) -> str:
        """A path naming the scope, for feed ids: `all`, `powers`, `departments/X`, `departments/X/powers`."""
        if self.department:
            return f"departments/{self.department}" + (f"/{self.kind}" if self.kind else "")
        return self.kind or "all"


@dataclass
class LogPage(ArchivedPage):
    """The change log's front page (`page` None: the newest events) or one of its archive pages
    (`archives`: numbered from the oldest, never changing once written), newest first: events the
    final privacy guard let through."""

    events: list[ChangeEvent]
    total: int
    page: int | None
    archives: int
    page_size: int
    filters: dict[str, str] = field(default_factory=dict)


def _events_at(session: Session, conditions: list, start: int, end: int) -> list[int]:
    """The ids of the events matching `conditions` at positions `start` … `end`-1 counted from the
    oldest, newest first: chosen from the index alone, so that only those rows are read (sorting
    thousands of whole rows, their diffs included, to keep fifty was most of a feed's time)."""
    if end <= start:
        return []
    return list(session.scalars(
        select(ChangeEvent.id).where(*conditions).order_by(ChangeEvent.id).limit(end - start).offset(start)
    ))[::-1]


def _events(session: Session, ids: list[int]) -> list[ChangeEvent]:
    """The events `ids` names, newest first. The revision is loaded for links to its page, without
    its snapshot (every record of the department and kind), in the same statement: a second one
    for a page's few revisions cost as much as the events themselves (a feed or a log page each)."""
    if not ids:
        return []
    return list(session.scalars(
        select(ChangeEvent)
        .options(joinedload(ChangeEvent.revision, innerjoin=True).defer(Revision.snapshot))
        .where(ChangeEvent.id.in_(ids))
        .order_by(ChangeEvent.id.desc())
    ).unique())


def scope_conditions(session: Session, scope: Scope) -> list:
    """SQL conditions for a scope; NotFound when it names no department or kind."""
    conditions = []
    if scope.kind is not None:
        if scope.kind not in KINDS and scope.kind != DEPARTMENTS.name:
            raise NotFound(scope.kind)
        conditions.append(ChangeEvent.kind == scope.kind)
    if scope.department is not None:
        department_id = session.scalar(select(Department.id).where(Department.code == scope.department))
        if department_id is None:
            raise NotFound(scope.department)
        conditions.append(ChangeEvent.department_id == department_id)
    return conditions


def _date(value: str, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise NotFound(name) from None


def _day_start(day: dt.date, zone: ZoneInfo) -> dt.datetime:
    """The instant `day` begins in `zone`, in UTC.

    On the calendar's first and last days (years 1 and 9999) that instant can lie past
    the end of what a datetime holds in UTC; the calendar's own end is then the bound,
    which includes or excludes every recorded event just the same.
    """
    try:
        return dt.datetime.combine(day, dt.time(), zone).astimezone(dt.timezone.utc)
    except OverflowError:
        edge = dt.datetime.min if day.year == dt.MINYEAR else dt.datetime.max
        return edge.replace(tzinfo=dt.timezone.utc)


def _day_end(day: dt.date, zone: ZoneInfo) -> dt.datetime:
    """The instant the day after `day` begins in `zone`, in UTC (the last day has none: the end of time)."""
    if day == dt.date.max:
        return dt.datetime.max.replace(tzinfo=dt.timezone.utc)
    return _day_start(day + dt.timedelta(days=1), zone)


def parse_filters(session: Session, args, timezone: str) -> tuple[dict[str, str], list]:
    """The change log's filters from query `args`, and their SQL conditions.

    `department` (code), `kind` and `action` must name something that exists;
    `from` and `to` are dates (YYYY-MM-DD, both inclusive) in the portal's
    timezone, since that is the day a reader of the site sees on every event.
    Anything else raises NotFound.
    """
    filters = {name: args[name] for name in ("department", "kind", "action", "from", "to") if args.get(name)}
    conditions = scope_conditions(session, Scope(filters.get("department"), filters.get("kind")))
    if "action" in filters:
        if filters["action"] not in ACTIONS:
            raise NotFound(filters["action"])
        conditions.append(ChangeEvent.action == filters["action"])
    zone = ZoneInfo(timezone)
    if "from" in filters:
        conditions.append(ChangeEvent.created_at >= _day_start(_date(filters["from"], "from"), zone))
    if "to" in filters:
        conditions.append(ChangeEvent.created_at < _day_end(_date(filters["to"], "to"), zone))
    return filters, conditions


def change_log(session: Session, args, page: int | None, page_size: int, timezone: str) -> LogPage:
    """The change log filtered as query `args` asks: its front page (`page` None) or archive page
    `page` (`archives`); NotFound for an archive page that does not exist."""
    filters, conditions = parse_filters(session, args, timezone)
    return _log_page(session, conditions, filters, page, page_size)


def scoped_events(session: Session, scope: Scope, page: int | None, page_size: int) -> LogPage:
    """A scope's front page of events (`page` None: what a feed's subscription document shows)
    or archive page `page`; NotFound for an archive page that does not exist."""
    conditions = scope_conditions(session, scope)
    filters = {k: v for k, v in (("department", scope.department), ("kind", scope.kind)) if v}
    return _log_page(session, conditions, filters, page, page_size)


def count(session: Session, conditions: list) -> int:
    """How many events match `conditions`."""
    return session.scalar(select(func.count()).select_from(ChangeEvent).where(*conditions))


def _log_page(session: Session, conditions: list, filters: dict, page: int | None, page_size: int) -> LogPage:
    # Which events a page shows (counted and cut) is the same in every language and
    # format, and for the change log's page and the feed of the same scope: chosen once per
    # state of the database (a publish renders each touched log page six times, the export too).
    def choose() -> tuple[int, int, list[int]]:  # the total, the archive pages and the events' ids
        total = count(session, conditions)
        archives = archive_count(total, page_size)
        if page is not None and not 1 <= page <= archives:
            raise NotFound("page")
        start, end = front_span(total, page_size) if page is None else archive_span(page, page_size)
        return total, archives, _events_at(session, conditions, start, end)

    key = ("log page", tuple(sorted(filters.items())), page, page_size)
    total, archives, ids = memo.per_revision(session, key, choose)
    # The final privacy guard, on every render: an event that would show a complainant's data is
    # left out, even one changed behind the door's back since its ids were kept.
    events = guard.public_events(_events(session, ids))
    return LogPage(events, total, page, archives, page_size, filters)


def legacy_archive(session: Session, args, page: int, page_size: int, timezone: str) -> int | None:
    """Where page `page` of the old newest-first numbering of the log filtered by `args` went:
    an archive page, or None for the front page (`archives.legacy_page`)."""
    _, conditions = parse_filters(session, args, timezone)
    return legacy_page(count(session, conditions), page_size, page)


def not_archived_yet(session: Session, args, page: int, page_size: int, timezone: str) -> bool:
    """Whether archive page `page` of the log filtered by `args` is still on its front page."""
    _, conditions = parse_filters(session, args, timezone)
    return on_front(count(session, conditions), page_size, page)


def legacy_scope_archive(session: Session, scope: Scope, page: int, page_size: int) -> int | None:
    """`legacy_archive` for a feed's scope."""
    return legacy_page(count(session, scope_conditions(session, scope)), page_size, page)


def scope_not_archived_yet(session: Session, scope: Scope, page: int, page_size: int) -> bool:
    """`not_archived_yet` for a feed's scope."""
    return on_front(count(session, scope_conditions(session, scope)), page_size, page)

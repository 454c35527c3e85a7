"""The change logs', the chain's and the feeds' archive pages in an incremental export (`catalog.archives`).

An archive page never changes once written, but for the newest one's link to the next
newer page; so after a publish a log's new archive pages are written, and its newest
archive of the last export when a new one follows it. Archive pages go away only when
events do (a purge): those past a touched log's last archive now are deleted.
"""

from __future__ import annotations

from pathlib import Path

from flask import current_app

from sqlalchemy import func, select

from ..catalog import changes
from ..catalog.archives import archive_count
from ..catalog.changes import Scope
from ..extensions import db
from ..models import ChangeEvent, Revision
from ..views.changes import CHANGE_FILTERS


class Counts:
    """How many archive pages each change log and feed had at revision `since` and has now."""

    def __init__(self, since: int) -> None:
        self.since = since
        self._known: dict[tuple, tuple[int, int]] = {}

    def rewrites(self, endpoint: str, values: dict) -> bool:
        """Whether the archive page `values` names (of "changes.index", "changes.revisions" or
        "feeds.feed") is new, or
        was the newest and is followed by a new one now."""
        page = int(values["page"])
        before, now = self.of(endpoint, values)
        return page > before or (page == before and now > before)

    def of(self, endpoint: str, values: dict) -> tuple[int, int]:
        """(archive pages at `since`, archive pages now) of the log, chain or feed `values` name."""
        if endpoint == "changes.revisions":
            return self.chain()
        if endpoint == "changes.index":
            filters = {k: str(values[k]) for k in CHANGE_FILTERS if values.get(k)}
            if values.get("facet"):
                filters[values["facet"]] = str(values["value"])
            return self.log(filters)
        return self.feed(Scope(values.get("department"), values.get("kind")))

    def log(self, filters: dict[str, str]) -> tuple[int, int]:
        """`of` for the change log filtered by `filters`."""
        key = ("log", tuple(sorted(filters.items())))
        if key not in self._known:
            _, conditions = changes.parse_filters(db.session, filters, current_app.config["BABEL_DEFAULT_TIMEZONE"])
            self._known[key] = self._count(conditions, current_app.config["PAGE_SIZE"])
        return self._known[key]

    def feed(self, scope: Scope) -> tuple[int, int]:
        """`of` for the feed of `scope`."""
        key = ("feed", scope.department, scope.kind)
        if key not in self._known:
            conditions = changes.scope_conditions(db.session, scope)
            self._known[key] = self._count(conditions, current_app.config["FEED_SIZE"])
        return self._known[key]

    def chain(self) -> tuple[int, int]:
        """`of` for the chain of revisions."""
        if "chain" not in self._known:
            def counted(*conditions) -> int:
                return db.session.scalar(select(func.count()).select_from(Revision).where(*conditions))
            size = current_app.config["PAGE_SIZE"]
            self._known["chain"] = (archive_count(counted(Revision.id <= self.since), size),
                                    archive_count(counted(), size))
        return self._known["chain"]

    def _count(self, conditions: list, size: int) -> tuple[int, int]:
        before = changes.count(db.session, [*conditions, ChangeEvent.revision_id <= self.since])
        return archive_count(before, size), archive_count(changes.count(db.session, conditions), size)


def _past(folder: Path, last: int) -> list[Path]:
    """The archive files in `folder` (`N/`, `N.json`, `N.atom`, `N.rss`) numbered past `last`."""
    if not folder.is_dir():
        return []
    return [p for p in folder.iterdir() if p.name.partition(".")[0].isdigit() and int(p.name.partition(".")[0]) > last]


def vanished(base: Path, counts: Counts, touched: list[tuple[str, str]],
             feeds: list[tuple[str | None, str | None]]) -> list[Path]:
    """The archive pages in one language's folder `base` of the change logs (the whole log and
    those filtered by `touched` (filter, value)), the chain and the `feeds` (department, kind)
    that no longer exist."""
    paths = _past(base / "changes" / "page", counts.log({})[1])
    paths += _past(base / "changes" / "revisions" / "page", counts.chain()[1])
    for facet, value in touched:
        paths += _past(base / "changes" / "by" / facet / value / "page", counts.log({facet: value})[1])
    for department, kind in feeds:
        folder = base / "feeds" / ("departments/" + department if department else "") / (kind or "")
        if not department and not kind:
            folder = base / "feeds" / "changes"
        paths += _past(folder / "page", counts.feed(Scope(department, kind))[1])
    return paths

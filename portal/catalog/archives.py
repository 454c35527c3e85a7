"""How the change log and its feeds are cut into pages that never change once full (RFC 5005).

Events are numbered from the oldest (position 0) and cut into archive pages of
`size`: archive page k holds positions (k-1)·size … k·size-1. Only complete pages
are archives, so an archive page's events never change; the front page (the log's
own address, the feed's subscription document) shows everything newer, between
`size` and 2·size-1 events once there are that many. A publish then adds to the
front page and, each time `size` more events arrive, one archive page.

    events 0…119, size 50 → archive 1 = 0…49, front = 50…119 (newest first)
    events 0…149, size 50 → archives 1 and 2, front = 100…149

A visitor walks from the front page to the newest archive and on to older ones;
an archive page links to the next newer one, the newest archive to the front page.
"""

from __future__ import annotations

import math


def archive_count(total: int, size: int) -> int:
    """How many archive pages `total` events fill: all complete pages but the newest one,
    which the front page shows with the events after it."""
    return max(1, total // size) - 1


def front_span(total: int, size: int) -> tuple[int, int]:
    """The positions (from the oldest, end excluded) the front page shows."""
    return archive_count(total, size) * size, total


def archive_span(page: int, size: int) -> tuple[int, int]:
    """The positions (from the oldest, end excluded) archive page `page` holds."""
    return (page - 1) * size, page * size


def legacy_page(total: int, size: int, page: int) -> int | None:
    """Where a page number of the old newest-first numbering (`?page=N`) went: the archive page
    holding that page's newest event, or None for the front page; LookupError past the end."""
    newest_first = (page - 1) * size
    if page < 1 or (newest_first >= total and page > 1):
        raise LookupError("page")
    if total == 0:
        return None  # an empty log's only page is its front page
    position = total - 1 - newest_first
    archive = position // size + 1
    return archive if archive <= archive_count(total, size) else None


def on_front(total: int, size: int, page: int) -> bool:
    """Whether archive page `page` is not an archive yet because its events are on the front page
    (it was a page of events; it becomes an archive as the log grows)."""
    return archive_count(total, size) < page <= max(1, math.ceil(total / size))


class ArchivedPage:
    """The links of one page of an archived log: `page` is its archive number (None for the
    front page) and `archives` how many archive pages there are."""

    page: int | None
    archives: int

    @property
    def older(self) -> int | None:
        """The archive page of the entries just before these, if any."""
        older = self.archives if self.page is None else self.page - 1
        return older or None

    @property
    def newer(self) -> int | None:
        """The archive page of the entries just after these; None for the front page (or none)."""
        return self.page + 1 if self.page is not None and self.page < self.archives else None

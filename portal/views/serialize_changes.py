"""The change log, revisions and the hash chain as JSON-ready data."""

from __future__ import annotations

from collections.abc import Iterable

from ..catalog.changes import ChangeLog, LogPage
from ..catalog.describe import Description
from ..models import ChangeEvent, Revision
from ..privacy.redact import shown_file_name
from . import serialize
from ..web.urls import changes_url, revision_url

# How `portal.publish.canonical.revision_hash` computes a revision's hash, for
# anyone who checks the published chain without our code (a test keeps it true).
HASH_RULE = (
    "hash = SHA-256 (hex) of the canonical JSON (UTF-8, keys sorted, no spaces, "
    "non-ASCII kept) of {number, department, kind, created_at, author, source, filename, "
    "file_sha256, content_sha256, prev_hash}; content_sha256 = SHA-256 of the canonical "
    "JSON of the revision's records in code order; prev_hash = the hash of the revision "
    "before it in this list (null for the first). A filename that holds personal data is shown "
    "masked (138****5678): that revision's hash covers the name as stored, and is not recomputed "
    "from the one shown."
)


def revision(found: Revision) -> dict:
    """A revision as the chain publishes it: everything its hash covers, its counts, its page."""
    return {
        "number": found.number,
        "department": found.department.code,
        "kind": found.kind,
        "created_at": found.created_at.isoformat(),
        "author": found.author,
        "source": found.source,
        "filename": shown_file_name(found.filename),
        "file_sha256": found.file_sha256,
        "content_sha256": found.content_sha256,
        "prev_hash": found.prev_hash,
        "hash": found.hash,
        "added": found.added,
        "changed": found.changed,
        "withdrawn": found.withdrawn,
        "url": revision_url(found),
    }


def change(event: ChangeEvent, described: Description, page: int = 1, screened: bool = False) -> dict:
    """A change event with the revision that recorded it, the URL of its diff (on `page` of the
    revision's page), and its wording in the page's language (headline, summary, key facts,
    field-by-field diff). `screened`: as `serialize.event`."""
    return {
        **serialize.event(event, screened),
        "revision": {"number": event.revision.number, "hash": event.revision.hash},
        "diff_url": revision_url(event.revision, code=event.code, page=page),
        "headline": described.title,
        "summary": described.summary,
        "facts": [{"label": label, "value": value} for label, value in described.facts],
        "diff": [{"field": c.name, "label": c.label, "old": c.old, "new": c.new, "withheld": c.withheld}
                 for c in described.diff],
    }


def change_log(log: LogPage, described: list[Description], pages: dict[int, int]) -> dict:
    """The change log's front page (with the total and `archives`, the number of archive pages) or
    one archive page (`page`, numbered from the oldest; nothing on it changes as the log grows,
    but for its `newer` link while it is the newest): the filters, the events (worded), `next`
    (the older events' twin) and `newer`; `pages` gives the page of its revision on which each
    event is shown (by event id)."""
    counts = {"total": log.total, "archives": log.archives} if log.page is None else {"page": log.page}
    newer = None
    if log.page is not None:
        newer = changes_url("json", **log.filters, page=log.newer)
    return {
        **counts,
        "page_size": log.page_size,
        "filters": log.filters,
        "next": changes_url("json", **log.filters, page=log.older) if log.older else None,
        "newer": newer,
        # A log page holds only events the guard let through (`catalog.changes.LogPage`).
        "items": [change(e, d, pages.get(e.id, 1), screened=True) for e, d in zip(log.events, described)],
    }


def revision_page(found: Revision, log: ChangeLog, described: list[Description]) -> dict:
    """A page of one revision: the revision as the chain publishes it, and a page of its changes
    with the total before pagination and the next page's twin, as the lists give them."""
    return {
        **revision(found),
        "total": log.total,
        "page": log.page,
        "pages": log.pages,
        "page_size": log.page_size,
        "next": revision_url(found, "json", page=log.page + 1) if log.page < log.pages else None,
        "changes": [change(e, d, log.page, log.screened) for e, d in zip(log.events, described)],
    }


def chain(revisions: Iterable[Revision]) -> dict:
    """The whole chain, oldest first, with its head and the rule to recompute every hash."""
    items = [revision(r) for r in revisions]
    return {
        "hash_rule": HASH_RULE,
        "count": len(items),
        "head": items[-1]["hash"] if items else None,
        "revisions": items,
    }

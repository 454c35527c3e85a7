"""The revisions as the public sees them: one revision with its neighbours, and the hash chain.

A revision is addressed by department, kind and number (测试局 · 权责清单 · 第 3 版),
which never changes; the chain is every revision in the order it was written. Its pages
are cut as the change log's are (`archives`, RFC 5005): a front page with the newest
revisions, and archive pages numbered from the oldest that never change once full, so
that a publish adds to the front page and now and then one archive page.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, defer

from ..models import Department, Revision
from ..schemas import DEPARTMENTS, KINDS
from .archives import ArchivedPage, archive_count, archive_span, front_span, legacy_page, on_front
from .listing import NotFound


@dataclass
class Neighbours:
    """The revisions around one: its predecessor in the whole chain, and the versions before
    and after it of the same department and kind."""

    chain_previous: Revision | None
    previous: Revision | None
    next: Revision | None


@dataclass
class ChainPage:
    """A page of the chain, newest first."""

    revisions: list[Revision]
    total: int
    page: int
    pages: int
    head: str | None  # the hash of the newest revision: what a reader archives to notice rewrites


@dataclass
class ChainLog(ArchivedPage):
    """The chain's front page (`page` None: the newest revisions, with the total and the head)
    or one of its archive pages (`archives` of them, numbered from the oldest), newest first."""

    revisions: list[Revision]
    total: int
    page: int | None
    archives: int
    head: str | None
    page_size: int


def _light():
    # Pages about revisions never show the records themselves.
    return select(Revision).options(defer(Revision.snapshot))


def revision(session: Session, department: str, kind: str, number: int) -> Revision:
    """The revision `number` of a department's `kind`, or NotFound."""
    if kind not in KINDS and kind != DEPARTMENTS.name:
        raise NotFound(kind)
    found = session.scalars(
        _light()
        .join(Department, Revision.department_id == Department.id)
        .where(Department.code == department, Revision.kind == kind, Revision.number == number)
    ).first()
    if found is None:
        raise NotFound(f"{department}/{kind}/{number}")
    return found


def neighbours(session: Session, revision: Revision) -> Neighbours:
    """The chain predecessor (the revision whose hash this one carries) and the scope's neighbours."""
    def scoped(number):
        return session.scalars(
            _light().where(
                Revision.department_id == revision.department_id,
                Revision.kind == revision.kind,
                Revision.number == number,
            )
        ).first()

    chain_previous = None
    if revision.prev_hash:
        chain_previous = session.scalars(_light().where(Revision.hash == revision.prev_hash)).first()
    return Neighbours(chain_previous, scoped(revision.number - 1), scoped(revision.number + 1))


def chain_page(session: Session, page: int, page_size: int) -> ChainPage:
    """One page of the chain, newest first, with its head; NotFound past the last page."""
    total = session.scalar(select(func.count()).select_from(Revision))
    pages = max(1, math.ceil(total / page_size))
    if page < 1 or page > pages:
        raise NotFound("page")
    revisions = session.scalars(
        _light().order_by(Revision.id.desc()).limit(page_size).offset((page - 1) * page_size)
    ).all()
    head = session.scalar(select(Revision.hash).order_by(Revision.id.desc()).limit(1))
    return ChainPage(list(revisions), total, page, pages, head)


def first(session: Session) -> Revision | None:
    """The chain's first revision (None before the first publish): it stays the same whatever is
    published after it."""
    return session.scalars(_light().order_by(Revision.id).limit(1)).first()


def _count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Revision))


def chain_log(session: Session, page: int | None, page_size: int) -> ChainLog:
    """The chain's front page (`page` None) or archive page `page` (`archives`); NotFound for an
    archive page that does not exist."""
    total = _count(session)
    archives = archive_count(total, page_size)
    if page is not None and not 1 <= page <= archives:
        raise NotFound("page")
    start, end = front_span(total, page_size) if page is None else archive_span(page, page_size)
    # Revision ids grow in chain order: positions from the oldest are ids in order.
    revisions = list(session.scalars(_light().order_by(Revision.id).limit(end - start).offset(start)))
    head = session.scalar(select(Revision.hash).order_by(Revision.id.desc()).limit(1))
    return ChainLog(revisions[::-1], total, page, archives, head, page_size)


def legacy_chain_page(session: Session, page: int, page_size: int) -> int | None:
    """Where page `page` of the chain's old newest-first numbering (`?page=N`) went: an archive
    page, or None for the front page (`archives.legacy_page`); LookupError past the end."""
    return legacy_page(_count(session), page_size, page)


def not_archived_yet(session: Session, page: int, page_size: int) -> bool:
    """Whether archive page `page` of the chain is still on its front page."""
    return on_front(_count(session), page_size, page)


def whole_chain(session: Session) -> Iterator[Revision]:
    """Every revision in chain order (oldest first), read in batches so memory stays flat."""
    yield from session.scalars(_light().order_by(Revision.id).execution_options(yield_per=500))

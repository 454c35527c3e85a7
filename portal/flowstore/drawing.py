"""Draw the flowcharts of published service guides and keep them, one SVG per locale.

Charts are drawn when service guides are published, and again when
commitments are, whose time limits a chart shows at its end. The `published`
signal notes which services a committed revision touched; they are drawn
together when the request or command that published them ends, because one
run of `dot` for many charts costs little more than one for a single chart
(loading the CJK fonts dominates), and loading a city publishes dozens of files.

What is drawn can always be drawn again from the published data (`flask
flowcharts draw`), so a missing Graphviz never fails a publish: the page then
shows the text equivalent alone until the charts are drawn.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from flask import Flask, current_app, g
from flask_babel import force_locale
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from ..extensions import db
from ..i18n.display import converter
from ..schemas.limits import NO_LIMIT, written
from ..models import ChangeEvent, Commitment, Flowchart, ProjectionCursor, Revision, ServiceGuide, utcnow
from ..publish.signals import catch_up_due, published
from ..flowcharts import dot, svg, text
from ..flowcharts.graph import Flow, InvalidFlow
from ..flowcharts.validate import read

log = logging.getLogger(__name__)

# The kinds whose publishing changes what a chart shows.
DRAWN_FROM = ("services", "commitments")
# One `dot` run per this many charts, and so many runs at once: a run starts in about
# 60 ms (the CJK fonts) and lays a chart out in about 5 ms, on one core.
_BATCH = 40
_RUNS = min(4, os.cpu_count() or 1)
# Set in an app context that published guides or commitments: catch up when it ends.
_NOTED = "flowcharts_to_draw"
# The store's name in the projection cursors.
CURSOR = "flowcharts"


@dataclass(frozen=True)
class _Sketch:
    """Everything a chart will show, before Graphviz lays it out."""

    service: ServiceGuide
    locale: str
    source: str
    title: str
    description: str

    @property
    def digest(self) -> str:
        parts = (self.source, self.title, self.description, svg.FINISH_VERSION)
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()


# Services read, drawn and stored at a time: what one batch holds in memory, whatever the city's size.
CHUNK = 200


def draw(session: Session, codes: Iterable[str] | None = None, force: bool = False,
         commit: bool = False) -> int:
    """Draw the charts of the service guides with `codes` (all when None) in every locale.

    Only charts that are missing or whose content changed are drawn, unless
    `force`. Services are taken `CHUNK` at a time; with `commit`, each chunk is
    committed and let go of as soon as it is stored, so drawing a province holds
    one chunk in memory, and a crash keeps what was drawn (a chart whose content
    is unchanged is not drawn again). Returns how many were drawn; without
    `commit`, the caller commits.
    """
    drawn = 0
    for services in _chunks(session, codes):
        drawn += _draw_chunk(session, services, force)
        if commit:
            session.commit()
            session.expunge_all()  # the stored charts are not needed again here
    return drawn


def _chunks(session: Session, codes: Iterable[str] | None) -> Iterator[list[ServiceGuide]]:
    """The services with `codes` (all when None), `CHUNK` at a time, in the order of their codes."""
    if codes is not None:
        wanted = sorted(set(codes))
        for start in range(0, len(wanted), CHUNK):
            yield list(session.scalars(select(ServiceGuide).where(
                ServiceGuide.code.in_(wanted[start:start + CHUNK])).order_by(ServiceGuide.code)))
        return
    after = ""
    while services := list(session.scalars(
            select(ServiceGuide).where(ServiceGuide.code > after).order_by(ServiceGuide.code).limit(CHUNK))):
        yield services
        after = services[-1].code


def _draw_chunk(session: Session, services: list[ServiceGuide], force: bool) -> int:
    """Draw and store the charts of these services that need it; flushes, does not commit."""
    if not services:
        return 0
    limits = _limits(session, [s.code for s in services])
    existing = {
        (chart.service_id, chart.locale): chart
        for chart in session.scalars(
            select(Flowchart).where(Flowchart.service_id.in_([s.id for s in services]))
        )
    }
    # Each batch goes to `dot` as soon as it is sketched, so that Graphviz lays out one batch
    # while the next is sketched and the one before is finished (on two cores, both stay busy).
    pool = ThreadPoolExecutor(max_workers=_RUNS)
    sent: deque[tuple[list, Future]] = deque()
    batch: list[tuple[_Sketch, Flowchart | None]] = []
    drawn = 0
    try:
        for service in services:
            try:
                flow = read(service.record["flow"])
            except InvalidFlow as error:
                # Published before the flow rules existed: it has a text list but no chart.
                log.warning("flowchart of %s not drawn: %s", service.code, error)
                continue
            for locale in current_app.config["LOCALES"].values():
                sketch = _sketch(service, flow, limits.get(service.code, text.Limits()), locale)
                chart = existing.get((service.id, locale))
                if force or chart is None or chart.drawn_from != sketch.digest:
                    batch.append((sketch, chart))
                if len(batch) == _BATCH:
                    sent.append((batch, pool.submit(svg.run_dot, [sketch.source for sketch, _ in batch])))
                    batch = []
                while sent and sent[0][1].done():
                    drawn += _store(session, *sent.popleft())
        if batch:
            sent.append((batch, pool.submit(svg.run_dot, [sketch.source for sketch, _ in batch])))
        while sent:
            drawn += _store(session, *sent.popleft())
    finally:
        pool.shutdown(cancel_futures=True)
    session.flush()
    return drawn


def _store(session: Session, batch: list[tuple[_Sketch, Flowchart | None]], documents: Future) -> int:
    """Finish and keep the charts `dot` drew for a batch; how many."""
    for (sketch, chart), document in zip(batch, documents.result()):
        if chart is None:
            chart = Flowchart(service_id=sketch.service.id, locale=sketch.locale)
            session.add(chart)
        chart.svg = svg.finish(document, f"flowchart-{sketch.service.code}", sketch.title, sketch.description)
        chart.drawn_from = sketch.digest
        chart.drawn_at = utcnow()
    return len(batch)


def _sketch(service: ServiceGuide, flow: Flow, limits: text.Limits, locale: str) -> _Sketch:
    """The chart of one flow as the readers of `locale` see it.

    Like a zh-hant page, a Traditional chart is converted as a whole, before
    layout: the published steps, and any fixed word the catalog lacks.
    """
    convert: Callable[[str], str] = converter().convert if locale == "zh_Hant" else str
    with force_locale(locale):
        return _Sketch(
            service=service,
            locale=locale,
            source=convert(dot.source(flow, service.code, limits, svg.font_for(locale))),
            title=convert(text.title(service.title)),
            description=convert(text.describe(text.walk(flow), limits)),
        )


def _limits(session: Session, codes: list[str]) -> dict[str, text.Limits]:
    """The time limits of the live commitments made for these services."""
    rows = session.execute(
        select(Commitment.code, Commitment.record).where(
            Commitment.code.in_(codes), Commitment.withdrawn_at.is_(None)
        )
    )
    return {code: text.Limits(_as_drawn(record["statutory_days"]), _as_drawn(record["committed_days"]))
            for code, record in rows}


def _as_drawn(limit):
    """A limit as a chart says it: working days as a number, any other limit as written (3个月)."""
    if limit is None:
        return NO_LIMIT
    return written(limit) if isinstance(limit, dict) else limit


def sync(session: Session, commit: bool = False) -> int:
    """Draw the charts of every service that revisions since the store's last applied one touched.

    The store records the last revision it applied (`ProjectionCursor`), so a crash
    or a missing Graphviz after a publish is repaired by the next sync, without
    redrawing everything. Returns how many charts were drawn; the caller commits (the cursor's
    move at least: with `commit`, the charts are committed chunk by chunk as `draw` says).
    """
    since = ProjectionCursor.position(session, CURSOR)
    head = session.scalar(select(func.max(Revision.id))) or 0
    if head <= since:
        return 0
    codes = set(session.scalars(
        select(ChangeEvent.code).where(ChangeEvent.revision_id > since, ChangeEvent.revision_id <= head,
                                       ChangeEvent.kind.in_(DRAWN_FROM))
    ))
    drawn = draw(session, codes, commit=commit) if codes else 0
    ProjectionCursor.advance(session, CURSOR, head)
    return drawn


def note_published(app: Flask, revision: Revision) -> None:
    """Note that charts may need drawing once this app context ends."""
    if revision.kind in DRAWN_FROM:
        g.setdefault(_NOTED, True)


def note_now_and_then() -> None:
    """Before a request, now and then: look for charts that other app servers failed to draw."""
    # Here, not as the context ends: by then Flask has already ended the request's context.
    if catch_up_due("flowcharts"):
        g.setdefault(_NOTED, True)


def draw_noted(exception: BaseException | None = None) -> None:
    """Catch the store up as the app context ends: after a publish here, or now and then.

    This follows a committed publish and must not undo it: if Graphviz is
    missing or fails, the charts stay as they were, the store's cursor does not
    move, and the log says what to do.
    """
    app = current_app._get_current_object()
    if not g.pop(_NOTED, None):
        return
    # A session of its own: committing the context's session here would also
    # commit whatever a failed request left in it.
    session = db.session.session_factory()
    try:
        sync(session, commit=True)
        session.commit()
    except (svg.RenderError, SQLAlchemyError) as error:
        session.rollback()
        if not app.extensions.get("flowcharts.warned"):
            app.extensions["flowcharts.warned"] = True
            app.logger.warning("flowcharts not drawn (%s); once fixed, run `flask flowcharts draw`", error)
    finally:
        session.close()


def init_app(app: Flask) -> None:
    """Keep the flowchart store in step with the revision log."""
    published.connect(note_published, sender=app)
    app.before_request(note_now_and_then)
    app.teardown_appcontext(draw_noted)

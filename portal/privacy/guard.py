"""The final guard: every public exit runs what it is about to emit through here.

Pages, JSON twins, the change log, feeds, downloads, the search index and the
static export call `check_item` / `public_items` / `check_event` /
`public_events` (or `allowed` on their own texts) on complaint data before they
emit it. A high-confidence finding that the item's department has not confirmed
as public refuses the item: it is withheld (HTTP 451 for a page of its own,
left out of a list) and an error is logged naming the item and the kinds of
data found, never the data. Whatever bug lets personal data into the database,
it still does not leave by these exits.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from flask import current_app
from sqlalchemy import select

from ..extensions import db
from ..models import ChangeEvent, PrivacyConfirmation
from ..schemas import KINDS
from . import public
from .detect import Finding, detect, high



def protected(kind: str) -> bool:
    """True when a kind's records tell of members of the public (its declaration's `personal_data`)."""
    found = KINDS.get(kind)
    return found is not None and found.personal_data


def not_in_events(kind: str) -> frozenset[str]:
    """Fields whose values the change log and feeds never show (catalog.describe): an event
    does not emit them, so they are not what its guard looks at."""
    return frozenset(f.name for f in KINDS[kind].text_fields) if protected(kind) else frozenset()


class Withheld(Exception):
    """An item the final guard refused to emit."""

    def __init__(self, kind: str, code: str, categories: list[str]):
        super().__init__(f"{kind} {code}: {', '.join(categories)}")
        self.kind = kind
        self.code = code
        self.categories = categories


def texts(value) -> Iterator[str]:
    """Every string inside a value: a text, a record, a table of rows, nested."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for inner in value.values():
            yield from texts(inner)
    elif isinstance(value, (list, tuple)):
        for inner in value:
            yield from texts(inner)


def _confirmed(kind: str, code: str) -> set[str]:
    return set(db.session.scalars(
        select(PrivacyConfirmation.fingerprint).where(
            PrivacyConfirmation.kind == kind, PrivacyConfirmation.code == code)
    ))


def refused(kind: str | None, code: str | None, *values) -> list[Finding]:
    """The final guard's decision: the high-confidence findings in `values` that may not be emitted.

    `kind` None screens plain text from anywhere; kinds that carry no text about
    members of the public pass unscreened. Findings the item's department confirmed
    as not personal (by fingerprint, for this item only) are let through.
    """
    if kind is not None and not protected(kind):
        return []
    known = public.current(db.session)
    # One pass over all the texts: no pattern crosses a line break between two of them.
    found = high(detect("\n".join(texts(values)), known))
    if found and kind is not None and code is not None:
        confirmed = _confirmed(kind, code)
        found = [f for f in found if f.fingerprint not in confirmed]
    return found


def _log(kind, code, found: list[Finding], where: str) -> list[str]:
    categories = sorted({f.category for f in found})
    # The item and the categories only: the log must not become the leak.
    current_app.logger.error("privacy guard withheld %s %s from %s: %s",
                             kind, code, where, ", ".join(categories))
    return categories


def allowed(kind: str | None, code: str | None, *values, where: str) -> bool:
    """True when `values` may be emitted; False (and an error logged) when the guard refuses."""
    found = refused(kind, code, *values)
    if found:
        _log(kind, code, found, where)
    return not found


def check(kind: str | None, code: str | None, *values, where: str) -> None:
    """Raise Withheld (and log) when the guard refuses `values`."""
    found = refused(kind, code, *values)
    if found:
        raise Withheld(kind or "text", code or "", _log(kind, code, found, where))


def _item_values(item) -> tuple:
    return item.code, item.title, item.record, item.withdrawn_reason


def check_item(item, where: str = "page") -> None:
    """Raise Withheld unless a disclosure item (record, title, tombstone reason) may be emitted."""
    check(item.kind, item.code, *_item_values(item), where=where)


def public_items(items: Iterable, where: str = "list") -> list:
    """The items that may be emitted; the others are left out (and logged)."""
    return [item for item in items if allowed(item.kind, item.code, *_item_values(item), where=where)]


def _event_values(event: ChangeEvent) -> tuple:
    hidden = not_in_events(event.kind)
    changes = {name: values for name, values in (event.changes or {}).items() if name not in hidden}
    return event.code, event.title, event.reason, changes


def check_event(event: ChangeEvent, where: str = "change log") -> None:
    """Raise Withheld unless what a change event shows (title, reason, changes) may be emitted."""
    check(event.kind, event.code, *_event_values(event), where=where)


def public_events(events: Iterable[ChangeEvent], where: str = "change log") -> list[ChangeEvent]:
    """The events that may be emitted; the others are left out (and logged)."""
    return [e for e in events if allowed(e.kind, e.code, *_event_values(e), where=where)]

"""The final guard: every public exit runs what it is about to emit through here.

Pages, JSON twins, the change log, feeds, the search index and lists call
`check_item` / `public_items` / `check_event` / `public_events` (or `allowed` on
their own texts) on the items and events of every disclosure kind before they emit
them: a power item's 备注 or a withdrawal's reason can carry personal data as
easily as a complaint. A high-confidence finding that is not public on purpose (the
departments' and the city's numbers and addresses, the item's own declared contact
numbers) and was not confirmed as not personal refuses the item: it is withheld
(HTTP 451 for a page of its own, left out of a list) and an error is logged naming
the item and the kinds of data found, never the data. Whatever bug lets personal
data into the database, it still does not leave by these exits.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from ..extensions import db
from ..models import ChangeEvent, PrivacyConfirmation
from ..schemas import KINDS
from . import places, public
from .detect import HIGH_SCORE, Finding, Public
from .kept import Kept, detect_kept
from .screening import Screened

# Public pages show the same items again and again, and detecting is a pure function of a text
# and of what is public: the high findings of recently screened texts are kept, by the text's
# digest, so that a list page reads each item's text once, not once per view. (What is kept is
# decided afresh for any text that changed; confirmations are read afresh every time.)
_recent = Kept(8192)


def protected(kind: str) -> bool:
    """True when a kind's records tell of members of the public (its declaration's `personal_data`)."""
    found = KINDS.get(kind)
    return found is not None and found.personal_data


def screened(kind: str) -> bool:
    """True for every disclosure kind: the guard reads whatever any of them emits. (The departments'
    own records are the efficiency office's reference data: their numbers are public by definition.)"""
    return kind in KINDS


def not_in_events(kind: str) -> frozenset[str]:
    """Fields whose values the change log and feeds never show (catalog.describe): an event
    does not emit them, so they are not what its guard looks at. Only kinds about members of the
    public (complaints) hide their free text there; the others show it, and the guard screens it."""
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
    # The guard refuses high-confidence findings only, and one person's word settles none of them:
    # only what the efficiency office confirmed too is let through (portal.privacy.confirmations).
    return set(db.session.scalars(
        select(PrivacyConfirmation.fingerprint).where(
            PrivacyConfirmation.kind == kind, PrivacyConfirmation.code == code,
            PrivacyConfirmation.office_confirmed_by.is_not(None))
    ))


def _high(text: str, known: Public) -> list[Finding]:
    """The high-confidence findings in `text`, remembered for the texts screened most recently."""
    key = (hashlib.sha256(text.encode()).digest(), known)
    found = _recent.get(key)
    if found is None:
        found = _by_line(text, known)
        _recent.put(key, found)
    return found


def _by_line(text: str, known: Public) -> list[Finding]:
    """`detect(text, known, high_only=True)`, line by line: no pattern crosses a line break, nor
    looks across one (a line break is neither a digit, a letter, a separator nor a unit), so the
    high findings of a text are those of its lines. An item's lines (its title, its cells) recur
    in other items, and what was found in a line is kept (`detect_kept`)."""
    found: list[Finding] = []
    offset = 0
    for line in text.split("\n"):
        if line:
            found += [f if not offset else replace(f, start=f.start + offset, end=f.end + offset)
                      for f in detect_kept(line, known, high_only=True)]
        offset += len(line) + 1
    return found


# What the detector is: every module of this package. A verdict stored under another version of
# them is not trusted (a new rule may refuse what the old ones let through).
_DETECTOR = hashlib.sha256(b"".join(
    path.read_bytes() for path in sorted(Path(__file__).parent.glob("*.py")))).hexdigest()


@lru_cache(maxsize=64)
def _known_digest(known: Public) -> str:
    # Everything the verdict depended on besides the text: what was public, and the detector.
    # Kept for the few sets seen lately: a publish asks it of every item, with the same set.
    parts = [_DETECTOR, *sorted(known.contacts), "\0", *known.addresses]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _verdict(joined: str, known: Public) -> str:
    return hashlib.sha256(f"{_known_digest(known)}\n{joined}".encode()).hexdigest()


def _screened(kind: str | None, code: str | None, values, contacts: frozenset[str]) -> tuple[str, Public]:
    """The text the guard reads of `values` (one string), and what is public for it."""
    known = places.with_contacts(public.current(db.session), contacts)
    # One pass over all the texts: no pattern crosses a line break between two of them. The
    # item's own code is its published identity wherever a text repeats it (a feed entry's
    # summary names it), never personal data, however much its digits look like an ID.
    joined = "\n".join(texts(values))
    if code:
        joined = joined.replace(code, "\n")
    return joined, known


def refused(kind: str | None, code: str | None, *values,
            contacts: frozenset[str] = frozenset(), stored: str | None = None) -> list[Finding]:
    """The final guard's decision: the high-confidence findings in `values` that may not be emitted.

    `stored` is the item's verdict from publish time (`publish_verdict`): when what is about
    to be emitted is the very text it was given for, under the same detector and the same
    public numbers, the detector is not run again. `kind` None screens plain text from anywhere; a disclosure kind's item is screened
    whole, its own declared contact numbers (`contacts`, see `item_contacts`) being
    public. Findings confirmed as not personal (by fingerprint, for this item only,
    by the uploader and the efficiency office) are let through. Departments' records
    (not a disclosure kind) pass unscreened.
    """
    if kind is not None and not screened(kind):
        return []
    joined, known = _screened(kind, code, values, contacts)
    if stored is not None and stored == _verdict(joined, known):
        # Exactly this text, with exactly what was public, was screened clean when it was published.
        return []
    found = _high(joined, known)
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


def allowed(kind: str | None, code: str | None, *values, where: str,
            contacts: frozenset[str] = frozenset()) -> bool:
    """True when `values` may be emitted; False (and an error logged) when the guard refuses."""
    found = refused(kind, code, *values, contacts=contacts)
    if found:
        _log(kind, code, found, where)
    return not found


def check(kind: str | None, code: str | None, *values, where: str,
          contacts: frozenset[str] = frozenset()) -> None:
    """Raise Withheld (and log) when the guard refuses `values`."""
    found = refused(kind, code, *values, contacts=contacts)
    if found:
        raise Withheld(kind or "text", code or "", _log(kind, code, found, where))


def item_contacts(kind: str, record: dict | None) -> frozenset[str]:
    """The numbers an item publishes on purpose in its declared contact fields (its 咨询电话 …)."""
    return places.contacts(KINDS[kind], [record or {}]) if kind in KINDS else frozenset()


def event_contacts(event: ChangeEvent) -> frozenset[str]:
    """The numbers a change event shows in the item's declared contact fields, old and new."""
    if event.kind not in KINDS:
        return frozenset()
    changes = (event.changes or {}).items()
    versions = [{name: values[side] for name, values in changes
                 if isinstance(values, list) and len(values) == 2} for side in (0, 1)]
    return places.contacts(KINDS[event.kind], versions)


def item_texts(kind: str, title: str, record: dict | None, reason: str | None = None,
               screened: tuple[places.Place, ...] | None = None) -> tuple:
    """What the guard reads of an item: its title, the free text its declaration screens (every
    field and table cell an upload screens) and its tombstone's reason.

    Codes are identifiers checked by their own rules, not prose: a national 实施编码 carries an
    18-digit credit code that reads like an ID number, and must not withhold its item. (`screened`:
    `places.places` of the record, when a publish's screening read them already.)"""
    declared = KINDS.get(kind)
    if declared is None:
        return title, record, reason
    record = record or {}
    texts = [p.text for p in (places.places(declared, record) if screened is None else screened)]
    # Contact fields are not screened on upload (their numbers are public on purpose, and
    # `contacts` passes them as such), but anything else typed into one is still caught here.
    texts += [record[f.name] for f in declared.fields if f.contact and isinstance(record.get(f.name), str)]
    return title, texts, reason


def _item_values(item) -> tuple:
    return item_texts(item.kind, item.title, item.record, item.withdrawn_reason)


def _item_allowed(item, where: str) -> bool:
    found = refused(item.kind, item.code, *_item_values(item), contacts=item_contacts(item.kind, item.record),
                    stored=getattr(item, "screened", None))
    if found:
        _log(item.kind, item.code, found, where)
    return not found


def check_item(item, where: str = "page") -> None:
    """Raise Withheld unless a disclosure item (record, title, tombstone reason) may be emitted."""
    found = refused(item.kind, item.code, *_item_values(item), contacts=item_contacts(item.kind, item.record),
                    stored=getattr(item, "screened", None))
    if found:
        raise Withheld(item.kind, item.code, _log(item.kind, item.code, found, where))


def publish_verdict(item) -> str | None:
    """The verdict to keep with an item as it is published: a digest of what the guard read and
    let through (see `refused`), or None when it would be refused (it is then screened on every
    exit, and any confirmation the office adds later is honoured)."""
    return verdict(item.kind, item.code, item.title, item.record, item.withdrawn_reason)


def verdict(kind: str, code: str, title: str, record: dict | None, reason: str | None,
            screened: Screened | None = None, public_then: Public | None = None) -> str | None:
    """`publish_verdict` of an item given by its parts (an item about to be inserted). `screened`: the
    record as its publish's screening read it, with `public_then` public. No pattern crosses a line
    break (`_by_line`): when it read this very record, with the same numbers public, and the code
    (read as a line break) is in none of its texts, their high findings are the ones it found."""
    reuse = screened is not None and screened.record == record
    values = item_texts(kind, title, record, reason, screened.texts if reuse else None)
    joined, known = _screened(kind, code, values, screened.contacts if reuse else item_contacts(kind, record))
    if reuse and public_then is not None and places.with_contacts(public_then, screened.contacts) == known \
            and not any(code in place.text for place in screened.texts):
        rest, _ = _screened(kind, code, item_texts(kind, title, record, reason, ()), frozenset())
        found = [f for _place, f in screened.found if f.score >= HIGH_SCORE] + _by_line(rest, known)
    else:
        found = _high(joined, known)
    if found and {f.fingerprint for f in found} - _confirmed(kind, code):
        return None
    return _verdict(joined, known)


def public_items(items: Iterable, where: str = "list") -> list:
    """The items that may be emitted; the others are left out (and logged)."""
    return [item for item in items if _item_allowed(item, where)]


def _event_values(event: ChangeEvent) -> tuple:
    hidden = not_in_events(event.kind)
    changes = {name: values for name, values in (event.changes or {}).items() if name not in hidden}
    return event.code, event.title, event.reason, changes


def check_event(event: ChangeEvent, where: str = "change log") -> None:
    """Raise Withheld unless what a change event shows (title, reason, changes) may be emitted."""
    check(event.kind, event.code, *_event_values(event), where=where, contacts=event_contacts(event))


def public_events(events: Iterable[ChangeEvent], where: str = "change log") -> list[ChangeEvent]:
    """The events that may be emitted; the others are left out (and logged)."""
    return [e for e in events
            if allowed(e.kind, e.code, *_event_values(e), where=where, contacts=event_contacts(e))]

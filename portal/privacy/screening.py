"""Screen records once per publish: what the detector finds in each record's screened texts.

A publish screens its records while it is prepared (the uploader resolves what is
found) and again inside the door, which refuses whatever is unresolved however the
records arrive. Detecting is a pure function of a text and of what is public, so
the second look reuses the first for every record whose texts and own contact
numbers are exactly the ones screened, while the same numbers are public; anything
else is read again. Confirmations are not part of a screening: they are read afresh
(`portal.privacy.review.unresolved`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app, has_app_context
from sqlalchemy.orm import Session

from ..schemas import Kind
from . import places, public
from .detect import Finding, Public
from .kept import detect_kept, remember


def public_now(session: Session) -> Public:
    """What is public on purpose, read from the database now (not as this request first saw it)."""
    content_dir = current_app.config.get("CONTENT_DIR") if has_app_context() else None
    return public.build(session, content_dir)


@dataclass(frozen=True)
class Screened:
    """One record as the detector read it: its screened texts, its own contact numbers, and every
    finding (before anyone confirmed any) with the place it is in."""

    texts: tuple[places.Place, ...]
    contacts: frozenset[str]
    found: tuple[tuple[places.Place, Finding], ...]
    # The record read (its texts and contacts follow from it alone): an equal record is read alike.
    record: dict = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Screening:
    """Records screened once, with what was public then (see `screen`)."""

    kind: str
    public: Public
    records: tuple[tuple[str, Screened], ...]  # (code, how it read), in the records' order


def screen(session: Session, kind: Kind, records: list[dict], earlier: Screening | None = None) -> Screening:
    """Run the detector over the screened texts of `records`; a record of `earlier` (a screening
    of the same kind, made while exactly the same numbers were public) whose texts and contact
    numbers are unchanged keeps what was found in it then."""
    return screen_against(public_now(session), kind, records, earlier)


def screen_against(base: Public, kind: Kind, records: list[dict],
                   earlier: Screening | None = None) -> Screening:
    """`screen` with what is public given (`public_now`, read by the caller): needs no database,
    so a loader may screen a file's records while it reads them, in a process of its own."""
    reuse = dict(earlier.records) if earlier is not None and earlier.kind == kind.name and \
        earlier.public == base else {}
    screened = []
    for record in records:
        code = kind.key(record)
        previous = reuse.get(code)
        if previous is not None and previous.record == record:
            screened.append((code, previous))  # the same record: the same texts, read alike
            continue
        texts = tuple(places.places(kind, record))
        contacts = places.contacts(kind, [record])
        if previous is None or previous.texts != texts or previous.contacts != contacts:
            # The item's own 咨询电话 or 监督电话 is public wherever the item mentions it.
            known = places.with_contacts(base, contacts)
            found = [(place, f) for place in texts for f in detect_kept(place.text, known)]
            # Anything but its own numbers typed into a contact field is read by the final guard
            # (`guard.item_texts`): the upload reads it alike, so that it is resolved before publishing.
            found += [(place, f) for place in places.contact_places(kind, record)
                      for f in detect_kept(place.text, known, high_only=True)]
            previous = Screened(texts, contacts, tuple(found), record)
        screened.append((code, previous))
    return Screening(kind.name, base, tuple(screened))


def learn(screening: Screening) -> None:
    """Keep what a screening made in another process found in each text it read (`kept.remember`):
    the verdict stored with each item as it is published reads the same texts."""
    base = screening.public
    for _code, read in screening.records:
        known = places.with_contacts(base, read.contacts)
        found = read.found
        for place in read.texts:
            remember(place.text, known, tuple(f for where, f in found if where == place) if found else ())

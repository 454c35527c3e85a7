"""What the portal publishes on purpose and the detector must therefore leave alone.

The departments' published 咨询电话 and 投诉电话 (content/departments.csv), the
city's 效能投诉电话 (city.yaml) and the departments' office addresses are public
service information, not anyone's personal data.
"""

from __future__ import annotations

from functools import lru_cache

from flask import current_app, g, has_app_context
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..city import city
from ..models import Department, Revision
from .detect import EMAIL, LANDLINE, MOBILE, NOTHING_PUBLIC, Public, detect
from .normalize import fold

# Where an app keeps the public contacts it built last, with the newest revision they reflect.
_KEPT = "privacy.public"


@lru_cache(maxsize=4096)
def contacts_in(text: str | None) -> frozenset[str]:
    """The phone numbers (digits, without extension) and e-mail addresses written in `text`.

    Kept for the texts read most recently: every item on a list page names its 咨询电话, and
    most name the same few.
    """
    found = set()
    for finding in detect(text or ""):
        if finding.category in (MOBILE, LANDLINE, EMAIL):
            found.add(finding.canonical.split("-", 1)[0])
    return frozenset(found)


def build(session: Session, content_dir: str | None) -> Public:
    """The public contacts and addresses of every department and of the city."""
    rows = tuple(session.execute(_NUMBERS_AND_ADDRESSES))  # rows hash and compare as tuples
    return _built(rows, city(content_dir).complaint_phone if content_dir else None)


_NUMBERS_AND_ADDRESSES = select(Department.phone, Department.complaint_phone, Department.address)


@lru_cache(maxsize=8)
def _built(rows: tuple, city_phone: str | None) -> Public:
    # Read afresh every time, built again only when what was read differs: a publish screens
    # its records twice, and every file of a load does, against the same departments.
    contacts: set[str] = set()
    addresses = []
    for phone, complaint_phone, address in rows:
        contacts |= contacts_in(phone) | contacts_in(complaint_phone)
        if address:
            addresses.append(fold(address).text)
    if city_phone:
        contacts |= contacts_in(city_phone)
    return Public(frozenset(contacts), tuple(addresses))


def current(session: Session) -> Public:
    """The public contacts, read once per app context (a request, a command), and built again
    only when a revision has landed since (the departments' numbers change only by publishing)."""
    if not has_app_context():
        return NOTHING_PUBLIC
    if "privacy_public" not in g:
        content_dir = current_app.config.get("CONTENT_DIR")
        head = session.execute(select(Revision.id, Revision.hash).order_by(Revision.id.desc()).limit(1)).first()
        key = (str(session.get_bind().url), tuple(head or ()), content_dir)
        kept = current_app.extensions.get(_KEPT)
        if kept is None or kept[0] != key:
            kept = current_app.extensions[_KEPT] = (key, build(session, content_dir))
        g.privacy_public = kept[1]
    return g.privacy_public

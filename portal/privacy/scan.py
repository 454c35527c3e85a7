"""Look through what is published for personal data: the operator's check after a leak or an upgrade."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import MODELS
from ..schemas import KINDS
from . import guard, places, public
from .detect import HIGH, detect


@dataclass
class Hit:
    """An item with findings: which, where, and what kinds of data (never the data)."""

    kind: str
    code: str
    department: str
    withdrawn: bool
    categories: list[str]
    confidence: str  # HIGH when the public exits withhold the item


def scan(session: Session) -> list[Hit]:
    """Every item of every kind (live or tombstone) whose texts have findings, high ones first."""
    base = public.build(session, current_app.config.get("CONTENT_DIR"))
    hits = []
    for kind in sorted(k for k in KINDS if guard.screened(k)):
        model = MODELS[kind]
        for item in session.scalars(select(model).order_by(model.code)):
            known = places.with_contacts(base, guard.item_contacts(kind, item.record))
            found = [f for text in guard.texts((item.title, item.record, item.withdrawn_reason))
                     for f in detect(text, known)]
            if found:
                confidence = HIGH if any(f.confidence == HIGH for f in found) else found[0].confidence
                hits.append(Hit(kind, item.code, item.department.code, item.is_withdrawn,
                                sorted({f.category for f in found}), confidence))
    return sorted(hits, key=lambda h: (h.confidence != HIGH, h.kind, h.code))

"""The privacy verdict kept with every item, given again under the detector and numbers of now.

An item's stored verdict (`guard.publish_verdict`) is a digest of the text the guard let
through, of the detector's own code and of the numbers that were public. When a release
changes the detector, or a department's public numbers change, the digests stop matching:
nothing unsafe follows (every exit then screens the item again), but every page pays for
that screening until the item is next published. `refresh` gives each item the verdict a
publish would give it now. It changes no content and records no revision: a verdict is
not what an item says, only what the guard already concluded about it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import MODELS
from ..privacy import guard


@dataclass
class Refreshed:
    """How many items were read, and how many of their stored verdicts changed."""

    checked: int = 0
    changed: int = 0


def refresh(session: Session, batch: int = 500) -> Refreshed:
    """Work out every item's verdict (live and tombstones, every kind) and store those that differ.

    Committed batch by batch, in id order, with the session emptied between batches, so
    that memory stays flat at any scale. A publish landing meanwhile gives its items their
    verdict itself; one overwritten here with a verdict for the text before it is merely
    not trusted (it names another text), never wrongly trusted.
    """
    done = Refreshed()
    for model in MODELS.values():
        after = 0
        while items := session.scalars(select(model).where(model.id > after)
                                       .order_by(model.id).limit(batch)).all():
            for item in items:
                now = guard.publish_verdict(item)
                if item.screened != now:
                    item.screened = now
                    done.changed += 1
            done.checked += len(items)
            after = items[-1].id
            session.commit()
            session.expunge_all()
    return done

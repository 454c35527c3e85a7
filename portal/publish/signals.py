"""What happens after a publish has been committed.

The write path commits a revision and then sends `published`; readers that keep
their own copy of published data (the search index, caches) subscribe to it, so
the write path never needs to know them. Subscribers must not fail the publish:
what they keep can always be rebuilt from the revisions.
"""

from __future__ import annotations

from blinker import Namespace
from flask import current_app
from sqlalchemy.orm import Session

from ..models import Revision

_signals = Namespace()

# Sent with the app as sender and `revision=` the committed Revision.
published = _signals.signal("published")


def commit(session: Session, revision: Revision | None) -> None:
    """Commit the session, then announce the revision (when there is one)."""
    session.commit()
    if revision is not None:
        published.send(current_app._get_current_object(), revision=revision)

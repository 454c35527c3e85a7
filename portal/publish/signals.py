"""What happens after a publish has been committed.

The door (`portal.publish.door`) commits and then sends `published` for each
revision; projections that keep their own copy of published data (the search
index, the flowcharts) subscribe to it and catch up from the revision log, so
the write path never needs to know them. Subscribers must not fail the publish:
what they keep can always be caught up or rebuilt from the revisions.
"""

from __future__ import annotations

import math
import time

from blinker import Namespace
from flask import current_app, has_request_context

_signals = Namespace()

# Sent with the app as sender and `revision=` the committed Revision.
published = _signals.signal("published")



def catch_up_due(projection: str) -> bool:
    """True when `projection` should look at the revision log again in this process.

    While serving requests, at most every CATCH_UP_SECONDS: that is how publishes made
    through another app server sharing the database reach this one's projections.
    """
    if not has_request_context():
        return False
    app = current_app._get_current_object()
    now, key = time.monotonic(), f"portal.caught_up.{projection}"
    if now - app.extensions.get(key, -math.inf) < app.config["CATCH_UP_SECONDS"]:
        return False
    app.extensions[key] = now
    return True

"""What happens after a publish has been committed.

The door (`portal.publish.door`) commits and then sends `published` for each
revision; projections that keep their own copy of published data (the search
index, the flowcharts) subscribe to it and catch up from the revision log, so
the write path never needs to know them. Subscribers must not fail the publish:
what they keep can always be caught up or rebuilt from the revisions.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Sent with the app as sender and `revision=` the committed Revision.
published = _signals.signal("published")


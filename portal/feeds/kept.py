"""Feed entries kept across publishes: an event's entry is described, rendered and guarded once.

A feed page's entries are kept per state of the database with the public answers
(`publish.memo`), so every publish forgets them, and the first request after it (a reader
polls the subscription document right after a publish) would describe, render and guard
every entry again, for the one or two that are new. But an entry is a function of its
recorded event and of little else, and that little is in the key:

- the event itself (its id): its title, action, reason and creation never change, and its
  field values and its revision's snapshot (a complaint's or appraisal's facts) change only
  when a purge scrubs them: the number of purges is in the key;
- its department's names (a rename is a publish like any other);
- the privacy office's confirmations, which the final guard honours (`memo.guard_state`);
- the language and everything an absolute address is made of (`requests.address_key`).

Everything else an entry holds (labels, vocabularies, dates, the page of the revision that
shows the event) is fixed for a running process. An entry the guard withheld is kept as
withheld. Each worker keeps at most `SIZE` entries, the least recently used going first;
nothing when PAGE_CACHE_MIB is 0 (which turns every kept answer off).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable

from flask import current_app

# About the entries of a hundred feed pages (a few KiB each).
SIZE = 4096
_KEY = "portal.feed_entries"
WITHHELD = "withheld"


class _Entries:
    """One process's kept entries, the least recently used first."""

    def __init__(self) -> None:
        self.entries: OrderedDict[Hashable, object] = OrderedDict()
        self.lock = threading.Lock()


def _store() -> _Entries:
    return current_app.extensions.setdefault(_KEY, _Entries())


def _on() -> bool:
    return current_app.config.get("PAGE_CACHE_BYTES", 0) > 0


def kept(keys: list[Hashable]) -> dict[Hashable, object]:
    """The entries kept for those of `keys` that have one (an entry, or WITHHELD)."""
    if not _on():
        return {}
    store = _store()
    found = {}
    with store.lock:
        for key in keys:
            entry = store.entries.get(key)
            if entry is not None:
                store.entries.move_to_end(key)
                found[key] = entry
    return found


def keep(made: dict[Hashable, object]) -> None:
    """Keep entries (or WITHHELD) by key; the least recently used go beyond `SIZE`."""
    if not _on():
        return
    store = _store()
    with store.lock:
        store.entries.update(made)
        while len(store.entries) > SIZE:
            store.entries.popitem(last=False)


def clear(app) -> None:
    """Forget every kept entry of `app`'s process (benchmarks time a worker's very first feed)."""
    app.extensions.pop(_KEY, None)

"""Python's cycle collector during a bulk load: run once per department, not every few hundred objects.

A load makes hundreds of thousands of objects (records, rows, screened texts,
findings) that nearly all live until their department is published. Left to
itself, the collector runs every 700 new objects and every so often goes over
everything still alive, which took about a tenth of a load's CPU while finding
almost nothing. Here it is paused for the load, and `collect` (called once per
department) frees whatever cycles the department's files left behind, among the
objects made since the last call only, so that memory stays flat.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """Pause automatic collection for the block (as it was before, after it)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def collect() -> None:
    """Free the cycles among the objects made since the last collection (not the older ones)."""
    gc.collect(1)

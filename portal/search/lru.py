"""A least-recently-used cache bounded by the bytes its values hold (each worker keeps its own)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable


def array_bytes(value) -> int:
    """The bytes a value of numpy arrays holds (a tuple's, summed; 64 for anything else)."""
    if isinstance(value, tuple):
        return sum(map(array_bytes, value))
    return getattr(value, "nbytes", 64)


class BoundedLRU:
    """Values by key, the least recently used dropped first once they hold more than `limit` bytes."""

    def __init__(self, limit: int, size: Callable[[object], int] = array_bytes):
        self.limit, self.size, self._size_of = limit, 0, size
        self.items: OrderedDict = OrderedDict()

    def get(self, key: Hashable, load: Callable[[], object]):
        """The cached value of `key`, loaded (and older entries evicted) on a miss.

        A value larger than the whole limit is returned without being kept.
        """
        found = self.items.get(key)
        if found is not None:
            self.items.move_to_end(key)
            return found
        found = load()
        size = self._size_of(found)
        if size > self.limit:
            return found
        self.items[key] = found
        self.size += size
        while self.size > self.limit:
            _key, old = self.items.popitem(last=False)
            self.size -= self._size_of(old)
        return found

    def peek(self, key: Hashable):
        """The cached value of `key`, or None (not counted as a use)."""
        return self.items.get(key)

    def forget(self, keep: Callable[[Hashable], bool]) -> None:
        """Drop every entry whose key `keep` refuses."""
        for key in [k for k in self.items if not keep(k)]:
            self.size -= self._size_of(self.items.pop(key))

    def clear(self) -> None:
        """Drop everything."""
        self.items.clear()
        self.size = 0

"""The segments of an open index as search reads them, and an LRU of their decoded postings."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field


@dataclass
class Leaf:
    """One segment of the index, with its facet columns and document sizes read once."""

    reader: object
    offset: int
    sid: str
    columns: dict[str, list[str]] = field(default_factory=dict)
    sizes: list[int] = field(default_factory=list)
    title_sizes: list[int] = field(default_factory=list)
    deleted: frozenset = frozenset()
    keys: list | None = None
    norms: list | None = None
    title_norms: list | None = None
    by_value: dict = field(default_factory=dict)
    by_length: list | None = None


def _size(value) -> int:
    return sum(map(len, value)) if isinstance(value, tuple) else len(value)


class PostingsCache:
    """An LRU of decoded postings, bounded by how many postings it holds."""

    def __init__(self, limit: int):
        self.limit, self.size = limit, 0
        self.items: OrderedDict = OrderedDict()

    def get(self, key, load):
        """The cached value of `key`, loaded (and older entries evicted) on a miss."""
        found = self.items.get(key)
        if found is not None:
            self.items.move_to_end(key)
            return found
        found = load()
        self.items[key] = found
        self.size += _size(found)
        while self.size > self.limit and len(self.items) > 1:
            _key, old = self.items.popitem(last=False)
            self.size -= _size(old)
        return found

    def forget(self, sids: set[str]):
        """Drop the postings of every segment not in `sids`."""
        for key in [k for k in self.items if k[0] not in sids]:
            self.size -= _size(self.items.pop(key))

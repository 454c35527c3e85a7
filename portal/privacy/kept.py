"""A bounded memory of recent answers, cheap enough to ask once per text of every record."""

from __future__ import annotations


class Kept:
    """Answers kept for the keys asked most recently: at most `2 × size`, in two generations.

    New answers go to the young generation; when it is full it becomes the old one and the
    oldest answers go. An answer found among the old is kept young again. A look-up is a
    dict look-up or two, with no lock: two threads asking at once at worst work an answer
    out twice. (An LRU list moved on every look-up cost more than some of the answers kept.)
    """

    def __init__(self, size: int):
        self.size = size
        self._young: dict = {}
        self._old: dict = {}

    def get(self, key):
        """The answer kept for `key`, or None."""
        found = self._young.get(key)
        if found is None:
            found = self._old.get(key)
            if found is not None:
                self.put(key, found)
        return found

    def put(self, key, answer) -> None:
        """Keep `answer` for `key`."""
        young = self._young
        young[key] = answer
        if len(young) >= self.size:
            self._old, self._young = young, {}

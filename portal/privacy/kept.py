"""What the detector found in the texts read most recently: a bounded memory, cheap enough to ask
once per text of every record."""

from __future__ import annotations

import hashlib

from .detect import HIGH_SCORE, NOTHING_PUBLIC, Finding, Public, detect


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


# Lists repeat their texts from row to row (a material's 原件1份, a step's 窗口受理), and detecting
# is a pure function of a text and of what is public: what was found in the texts read most
# recently is kept, a long text by its digest (so that it is not held on to).
_KEPT_SIZE = 16384
_KEPT_AS_IS = 256  # characters: a shorter text is its own key
_kept = Kept(_KEPT_SIZE)


def detect_kept(text: str, public: Public = NOTHING_PUBLIC, *, high_only: bool = False) -> tuple[Finding, ...]:
    """`detect`, remembered for the texts read most recently."""
    said = text if len(text) <= _KEPT_AS_IS else hashlib.sha256(text.encode()).digest()
    found = _kept.get((said, public, high_only))
    if found is None and high_only:
        # A publish screens each record whole, then keeps the item's verdict from its high
        # findings: those are the high ones of the whole reading (see `detect`).
        whole = _kept.get((said, public, False))
        if whole is not None:
            found = tuple(f for f in whole if f.score >= HIGH_SCORE)
            _kept.put((said, public, True), found)
    if found is None:
        found = tuple(detect(text, public, high_only=high_only))
        _kept.put((said, public, high_only), found)
    return found


def remember(text: str, public: Public, found: tuple[Finding, ...]) -> None:
    """Keep `found` as what `detect(text, public)` finds: what another process found in a text it
    screened (the content loader's reader), so that this one does not read the text again."""
    said = text if len(text) <= _KEPT_AS_IS else hashlib.sha256(text.encode()).digest()
    _kept.put((said, public, False), found)

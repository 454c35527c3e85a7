"""Index terms: Han text as overlapping character bigrams, other words as whole tokens."""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

from .text_normalize import FIELD_BREAK, NOT_HAN, RUNS, normalize

# Positions left empty after a run, so that bigram offsets never join two runs.
_RUN_GAP = 3


# Runs repeat their lengths. A cache, not a list filled as needed: threads cannot race to fill it.
@lru_cache(maxsize=1024)
def _slices(count: int) -> tuple[slice, ...]:
    """The bigram slices of a run of count + 1 characters."""
    return tuple(slice(i, i + 2) for i in range(count))


def index_terms(texts) -> tuple[dict[str, int | list[int]], int]:
    """The index terms of a document's texts with their positions, and how many there are.

    Han runs give overlapping bigrams at consecutive positions (a lone Han
    character gives itself); other word runs give one token each. Texts are
    joined with breaks that no phrase can cross. A term occurring once maps to
    its position, a repeated one to the list of its positions.
    """
    grams: list[str] = []
    positions: list[int] = []
    pos = 0
    for han, other in RUNS.findall(normalize(FIELD_BREAK.join(t for t in texts if t))):
        if han:
            chars = NOT_HAN.sub("", han)
            count = len(chars) - 1
            if count:
                grams += map(chars.__getitem__, _slices(count))
                positions += range(pos, pos + count)
            else:
                grams.append(chars)
                positions.append(pos)
                count = 1
            pos += count + _RUN_GAP
        else:
            grams.append(other)
            positions.append(pos)
            pos += 1
    terms: dict[str, int | list[int]] = dict(zip(grams, positions))
    if len(terms) < len(grams):  # some terms repeat: gather their positions
        repeated = {g for g, n in Counter(grams).items() if n > 1}
        for gram in repeated:
            terms[gram] = []
        for gram, position in [(g, p) for g, p in zip(grams, positions) if g in repeated]:
            terms[gram].append(position)
    return terms, len(grams)


def bigrams(chars: str) -> list[str]:
    """The overlapping bigrams of a Han string (one item for a single character)."""
    if len(chars) < 2:
        return [chars] if chars else []
    return [chars[i:i + 2] for i in range(len(chars) - 1)]

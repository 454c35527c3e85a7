"""Reading whoosh postings a block at a time, and decoding the packed positions they hold.

Queries are evaluated in `portal.search.whoosh_engine` from raw postings
(`read_postings`) rather than through whoosh's matcher tree, whose per-posting
method calls make phrase queries over common bigrams slow. This relies on
internals of the pinned whoosh-reloaded 2.7.5 (the W3 codec's block reader);
tests/test_search.py checks it against whoosh's own public API.
"""

from __future__ import annotations

from array import array
from itertools import accumulate
from struct import Struct

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching import wrappers

U32 = Struct("=I")


def decode_positions(value: bytes):
    """The positions of one posting value."""
    if len(value) == 4:
        return U32.unpack(value)
    positions = array("I")
    positions.frombytes(value)
    return positions


def read_postings(reader, fieldname: str, term: str) -> tuple[list[int], list]:
    """All postings of a term in one segment: (docnums, values), deleted documents included."""
    btext = term.encode("utf-8")
    if (fieldname, btext) not in reader:
        return [], []
    matcher = reader.postings(fieldname, btext)
    while isinstance(matcher, wrappers.WrappingMatcher):
        matcher = matcher.child
    if not isinstance(matcher, W3LeafMatcher):  # not written by the W3 codec: the slow, public way
        items = list(matcher.all_items())
        return [i for i, _ in items], [v for _, v in items]
    ids: list[int] = []
    values: list = []
    while True:
        matcher._read_data()
        data = matcher._data
        ids.extend(accumulate(data[0]))
        if data[2] is None:
            values.extend([None] * len(data[0]))
        else:
            values.extend(data[2])
        if matcher._lastblock:
            return ids, values
        matcher._goto(matcher._nextoffset)

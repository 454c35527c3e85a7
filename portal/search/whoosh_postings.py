"""Reading whoosh postings a block at a time, and decoding the packed positions they hold.

Queries are evaluated in `portal.search.whoosh_engine` from raw postings
(`read_postings`) rather than through whoosh's matcher tree, whose per-posting
method calls make phrase queries over common bigrams slow. This relies on
internals of the pinned whoosh-reloaded 2.7.5 (the W3 codec's block reader);
tests/test_search.py checks it against whoosh's own public API.
"""

from __future__ import annotations

import io
import pickle
import zlib
from array import array
from itertools import accumulate
from struct import Struct

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3LeafMatcher
from whoosh.matching import wrappers

U32 = Struct("=I")
BLOCK_LENGTH = Struct("!i")


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
    for data in _blocks(matcher):
        ids.extend(accumulate(data[0]))
        if data[2] is None:
            values.extend([None] * len(data[0]))
        else:
            values.extend(data[2])
    return ids, values


def _blocks(matcher: W3LeafMatcher):
    """The data of each block of a term's postings: the whole list is read at once, then cut up.

    Whoosh reads block by block (a seek, a header, a pickle, then the data): a common
    bigram has hundreds of blocks. A block is its length (negative for the last), its
    pickled info (whose fourth item says whether the data is compressed) and its pickled,
    perhaps compressed, data: (id deltas, weights, values).
    """
    length = matcher._length
    if isinstance(length, tuple):  # whoosh 2.7 reads a stored term's extent length as a 1-tuple
        length = length[0]
    whole = matcher._postfile.get(matcher._startoffset, length)
    if whole[:4] != WHOOSH3_HEADER_MAGIC:
        raise ValueError("not a whoosh 3 posting list")
    position = 4
    while True:
        length = BLOCK_LENGTH.unpack_from(whole, position)[0]
        end = position + 4 + abs(length)
        block = io.BytesIO(whole[position + 4:end])
        info = pickle.load(block)
        data = block.read()
        yield pickle.loads(zlib.decompress(data) if info[3] else data)
        if length < 0:
            return
        position = end

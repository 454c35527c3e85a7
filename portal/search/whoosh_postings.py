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


def read_postings(reader, fieldname: str, term: str, within=None) -> tuple[list[int], list]:
    """All postings of a term in one segment: (docnums, values), deleted documents included.

    With `within` (ascending document numbers), only the blocks that may hold one of those
    documents are decompressed: the postings of every document in `within` are all there,
    others may be missing. A phrase check over a few candidates then reads a few blocks of
    a common bigram, not all of them.
    """
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
    for data in _blocks(matcher, within):
        ids.extend(accumulate(data[0]))
        if data[2] is None:
            values.extend([None] * len(data[0]))
        else:
            values.extend(data[2])
    return ids, values


def _blocks(matcher: W3LeafMatcher, within=None):
    """The data of each block of a term's postings (of those that may hold a document of `within`,
    when given): the whole list is read at once, then cut up.

    Whoosh reads block by block (a seek, a header, a pickle, then the data): a common
    bigram has hundreds of blocks. A block is its length (negative for the last), its
    pickled info (whose second item is the block's last document and whose fourth says
    whether the data is compressed) and its pickled, perhaps compressed, data: (id
    deltas, weights, values). Each block's ids start afresh, so a block can be skipped.
    """
    length = matcher._length
    if isinstance(length, tuple):  # whoosh 2.7 reads a stored term's extent length as a 1-tuple
        length = length[0]
    whole = matcher._postfile.get(matcher._startoffset, length)
    if whole[:4] != WHOOSH3_HEADER_MAGIC:
        raise ValueError("not a whoosh 3 posting list")
    position = 4
    first = 0  # no document of this block comes before the one after the previous block's last
    while True:
        length = BLOCK_LENGTH.unpack_from(whole, position)[0]
        end = position + 4 + abs(length)
        block = io.BytesIO(whole[position + 4:end])
        info = pickle.load(block)
        if within is None or _any_between(within, first, info[1]):
            data = block.read()
            yield pickle.loads(zlib.decompress(data) if info[3] else data)
        if length < 0:
            return
        position, first = end, info[1] + 1


def _any_between(docs, low: int, high: int) -> bool:
    """Whether the ascending array `docs` holds a number from `low` to `high`."""
    at = docs.searchsorted(low)
    return at < len(docs) and docs[at] <= high

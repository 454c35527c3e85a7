"""A fast bulk writer for whoosh segments, and the merge policy of incremental commits.

Whoosh is pure Python, and its general writer spends ~10 µs on every posting
(pooling, sorting, one call per posting into the codec). A bigram index holds
hundreds of postings per document, so `BulkWriter` inverts the bigram fields in
memory and hands the codec whole blocks of 128 postings; positions are stored
as packed uint32 arrays (`PackedPositions`) rather than pickles. The files it
writes are ordinary whoosh segments: any whoosh reader opens them, and deletes,
updates and merges work as usual.

This relies on internals of the pinned whoosh-reloaded 2.7.5 (the W3 codec's
block writer); tests/test_search.py checks it against whoosh's own public API.
"""

from __future__ import annotations

import operator
import pickle
import zlib
from array import array
from itertools import groupby

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC
from whoosh.reading import SegmentReader
from whoosh.util.numeric import length_to_byte
from whoosh.writing import SegmentWriter

from .whoosh_postings import U32
from .whoosh_schema import Grams

BLOCK = 128  # postings per block, as whoosh's own writer
# Full blocks are zlib-compressed (level 1, small window); compressing small ones costs
# more time than the bytes it saves.
COMPRESS_FROM = BLOCK
COMPRESSION = 1
# Segments smaller than this are merged into the next incremental commit once there are
# enough of them; the large segment a full rebuild writes is never rewritten by a publish.
SMALL_SEGMENT = 5000
SMALL_SEGMENTS_BEFORE_MERGE = 4

_ONE = [array("I", [i]).tobytes() for i in range(1 << 12)]


class BulkWriter(SegmentWriter):
    """A segment writer that inverts `Grams` fields in memory and writes them block by block."""

    def __init__(self, ix, **kwargs):
        super().__init__(ix, **kwargs)
        self._grams = {name for name, f in self.schema.items() if isinstance(f, Grams)}
        self._inverted: dict[str, dict[str, tuple[list, list]]] = {name: {} for name in self._grams}
        self._lengths: dict[str, dict[int, int]] = {name: {} for name in self._grams}

    def add_document(self, **fields):
        self._check_state()
        perdoc, schema, docnum = self.perdocwriter, self.schema, self.docnum
        names = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, names)
        perdoc.start_doc(docnum)
        try:
            for name in names:
                value = fields[name]
                if value is None:
                    continue
                fieldobj = schema[name]
                if name in self._grams:
                    length = self._invert(name, docnum, value)
                    perdoc.add_field(name, fieldobj, None, length)
                    continue
                length = 0
                if fieldobj.indexed:
                    for tbytes, freq, weight, vbytes in fieldobj.index(value):
                        if fieldobj.scorable:
                            length += freq
                        self.pool.add((name, tbytes, docnum, weight, vbytes))
                perdoc.add_field(name, fieldobj, value if fieldobj.stored else None, length)
                if fieldobj.column_type:
                    perdoc.add_column_value(name, fieldobj.column_type, fieldobj.to_column_value(value))
        except Exception:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def _invert(self, name: str, docnum: int, value: tuple[dict, int]) -> int:
        terms, length = value
        inverted = self._inverted[name]
        get = inverted.get
        one, cached = _ONE, len(_ONE)
        for term, positions in terms.items():
            entry = get(term)
            if entry is None:
                entry = inverted[term] = ([], [])
            entry[0].append(docnum)
            if positions.__class__ is int:
                entry[1].append(one[positions] if positions < cached else U32.pack(positions))
            else:
                entry[1].append(array("I", positions).tobytes())
        self._lengths[name][docnum] = length
        return length

    def add_reader(self, reader):
        """Copy a segment in (merging): gram postings join the in-memory inversion."""
        self._check_state()
        startdoc = self.docnum
        names = set(self.schema.names()) | {
            n for n in reader.indexed_field_names() if n in self.schema}
        docmap = self.write_per_doc(names, reader)
        postings = self._process_posts(reader.iter_postings(), startdoc, docmap)
        for fieldname, tbytes, docnum, weight, value in postings:
            if fieldname in self._grams:
                entry = self._inverted[fieldname].get(tbytes.decode("utf-8"))
                if entry is None:
                    entry = self._inverted[fieldname][tbytes.decode("utf-8")] = ([], [])
                entry[0].append(docnum)
                entry[1].append(value)
                lengths = self._lengths[fieldname]
                lengths[docnum] = lengths.get(docnum, 0) + int(weight)
            else:
                self.pool.add((fieldname, tbytes, docnum, weight, value))
        self._added = True

    def _flush_segment(self):
        self.perdocwriter.close()
        lengths = self.per_document_reader() if self.codec.length_stats else None
        writer = self.fieldwriter
        pooled = groupby(self.pool.iter_postings(), key=lambda posting: posting[0])
        names = sorted(set(self.pool.fieldnames) | {n for n in self._grams if self._inverted[n]})
        for name in names:
            if name in self._grams:
                self._write_grams(name)
            else:
                pooled_name, items = next(pooled)
                assert pooled_name == name, (pooled_name, name)
                # Lengths only feed BM25 statistics, and these fields are not scored.
                writer.add_postings(self.schema, None, items)
        writer.close()
        if lengths:
            lengths.close()

    def _write_grams(self, name: str):
        writer = self.fieldwriter
        writer.start_field(name, self.schema[name])
        block = writer._postwriter
        lengths = self._lengths[name]
        inverted = self._inverted[name]
        for term in sorted(inverted):
            ids, values = inverted[term]
            writer.start_term(term.encode("utf-8"))
            count = len(ids)
            for start in range(0, count, BLOCK):
                chunk = ids[start:start + BLOCK]
                sizes = [lengths[d] for d in chunk]
                block._ids = chunk
                block._values = values[start:start + BLOCK]
                # A posting's weight is its frequency: the number of packed positions.
                block._weights = array("f", [len(v) >> 2 for v in block._values])
                block._minlength, block._maxlength = min(sizes), max(sizes)
                block._maxweight = max(block._weights)
                _write_block(block, last=start + BLOCK >= count)
            writer.finish_term()
        writer.finish_field()


_sub = operator.sub
# Whoosh pickles blocks with protocol 2, which has no opcode for bytes: every posting value
# becomes a call to codecs.encode. Protocol 5 stores bytes as bytes (9x faster, 3x smaller),
# and whoosh's reader unpickles any protocol.
_PROTOCOL = 5


def _dumps(value) -> bytes:
    return pickle.dumps(value, _PROTOCOL)


def _compress(data: bytes) -> bytes:
    # A small window and memory level make zlib's per-call set-up cheap; blocks are small.
    packer = zlib.compressobj(COMPRESSION, zlib.DEFLATED, 10, 2)
    return packer.compress(data) + packer.flush()


def _write_block(block, last: bool) -> None:
    """Write the block buffered in a W3 postings writer, as `W3PostingsWriter._write_block` does.

    The bytes are the same (readers cannot tell), but ids are delta-encoded,
    weights minified and blocks compressed without a Python loop per posting.
    """
    if not block._blockcount:
        block._postfile.write(WHOOSH3_HEADER_MAGIC)
    block._terminfo.add_block(block)
    ids = block._ids
    deltas = (ids[0], *map(_sub, ids[1:], ids[:-1]))
    weights = block._weights
    if weights.count(1.0) == len(weights):
        weights = None
    elif weights.count(weights[0]) == len(weights):
        weights = weights[0]
    else:
        weights = tuple(weights)
    data = _dumps((deltas, weights, tuple(block._values)))
    comp = COMPRESSION if len(ids) >= COMPRESS_FROM else 0
    if comp:
        data = _compress(data)
    info = _dumps((len(ids), ids[-1], block._maxweight, comp, length_to_byte(block._minlength),
                   length_to_byte(block._maxlength)))
    size = len(info) + len(data)
    block._postfile.write_int(-size if last else size)
    block._postfile.write(info)
    block._postfile.write(data)
    block._blockcount += 1
    block._new_block()


def merge_small(writer, segments):
    """Merge policy for incremental commits: fold small segments in once there are a few."""
    live = [s for s in segments if s.doc_count() > 0]
    small = [s for s in live if s.doc_count_all() < SMALL_SEGMENT]
    if len(small) < SMALL_SEGMENTS_BEFORE_MERGE:
        return live
    for segment in small:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [s for s in live if s not in small]

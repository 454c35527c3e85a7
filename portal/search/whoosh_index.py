"""The whoosh side of search: schema, a fast bulk writer, and reading postings a block at a time.

Whoosh is pure Python, and its general writer spends ~10 µs on every posting
(pooling, sorting, one call per posting into the codec). A bigram index holds
hundreds of postings per document, so `BulkWriter` inverts the bigram fields in
memory and hands the codec whole blocks of 128 postings; positions are stored
as packed uint32 arrays (`PackedPositions`) rather than pickles. The files it
writes are ordinary whoosh segments: any whoosh reader opens them, and deletes,
updates and merges work as usual.

Queries are evaluated in `portal.search.whoosh_engine` from raw postings
(`read_postings`) rather than through whoosh's matcher tree, whose per-posting
method calls make phrase queries over common bigrams slow.

This module relies on internals of the pinned whoosh-reloaded 2.7.5 (the W3
codec's block writer and reader); tests/test_search.py checks both against
whoosh's own public API, so an upgrade that changes them fails loudly.
"""

from __future__ import annotations

from .whoosh_bulk_writer import (
    BLOCK, COMPRESS_FROM, COMPRESSION, SMALL_SEGMENT, SMALL_SEGMENTS_BEFORE_MERGE, BulkWriter, merge_small,
)
from .whoosh_postings import decode_positions, read_postings
from .whoosh_schema import Grams, PackedPositions, schema

__all__ = [
    "BLOCK", "COMPRESSION", "COMPRESS_FROM", "SMALL_SEGMENT", "SMALL_SEGMENTS_BEFORE_MERGE", "BulkWriter",
    "Grams", "PackedPositions", "decode_positions", "merge_small", "read_postings", "schema",
]

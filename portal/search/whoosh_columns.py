"""Reading a segment's whole facet and size columns at once, as arrays.

Whoosh reads a column value by value (a seek, a read and an unpack each): at
50,000 documents a segment, the columns search needs took a worker's first
search about a second. Its reference and numeric columns are fixed-width
big-endian arrays on disk, read here in one go. This relies on internals of the
pinned whoosh-reloaded 2.7.5 (the column readers' fields); any other reader is
read the public way, and tests/test_search_arrays.py checks both agree.
"""

from __future__ import annotations

import numpy as np
from whoosh import columns


def facet_column(reader, name: str) -> tuple[np.ndarray, list[str]]:
    """A facet column as (a code per document, the values the codes stand for)."""
    raw = reader.column_reader(name, translate=False)
    if isinstance(raw, columns.RefBytesColumn.Reader):
        count, width = raw._doccount, raw._itemsize
        big_endian = np.dtype(raw._typecode).newbyteorder(">")
        refs = np.frombuffer(raw._dbfile.get(raw._basepos, count * width), big_endian)
        return refs.astype(np.int32), [value.decode() for value in raw._uniques]
    values = [v.decode() for v in reader.column_reader(name)]
    distinct, codes = np.unique(np.array(values, dtype=object), return_inverse=True)
    return codes.astype(np.int32), [str(v) for v in distinct]


def number_column(reader, name: str) -> np.ndarray:
    """A numeric column as an int64 array, one value per document."""
    raw = reader.column_reader(name, translate=False)
    if isinstance(raw, columns.NumericColumn.Reader) and raw._typecode in "bBhHiIlL":
        written = min(raw._count, raw._doccount)
        found = np.full(raw._doccount, raw._default, np.int64)
        found[:written] = np.frombuffer(raw._dbfile.get(raw._basepos, written * raw._fixedlen),
                                        np.dtype(raw._typecode).newbyteorder(">"))
        return found
    return np.array(list(reader.column_reader(name)), np.int64)

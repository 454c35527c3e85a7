"""What the browser index holds for each live item: the server's index terms, field by field.

The terms are exactly those of the server index (`search.text.index_terms`: Han
text as character bigrams, other words whole, codes with their prefixes), so the
browser cannot disagree with the server about what a document contains; only the
query side is done again in JavaScript (static/js/static-search.js).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy.orm import Session

from ..search.documents import Document, live_documents
from ..search.index_terms import index_terms
from ..search.whoosh_fields import code_terms

# The index's fields, in MiniSearch's numbering: title (with what ranks with it), all text, codes.
FIELDS = {"t": 0, "x": 1, "c": 2}


@dataclass
class Record:
    """One item as the browser index stores it."""

    doc: Document
    fields: list[dict[str, int]]  # per field: {term: occurrences}
    lengths: list[int]  # per field: how many terms (BM25's length)


def _counts(texts: list[str]) -> tuple[dict[str, int], int]:
    terms, size = index_terms(texts)
    return {t: (len(p) if isinstance(p, list) else 1) for t, p in terms.items()}, size


def record(doc: Document) -> Record:
    """The browser index's view of one search document."""
    title, title_size = _counts([doc.title, *doc.headline])
    text, text_size = _counts(doc.texts)
    codes = sorted({t for c in doc.codes for t in code_terms(c)})
    return Record(doc, [title, text, dict.fromkeys(codes, 1)], [title_size, text_size, len(codes)])


# Each item's terms as the last build in this process counted them, by (kind, code), with what
# they were counted from: an export after a publish counts again only the items whose text changed
# (one entry per item, replaced when its text changes).
_counted: dict[tuple[str, str], tuple[tuple, Record]] = {}


def records(session: Session) -> Iterator[Record]:
    """Every live item the privacy guard allows, in the server index's order (kind, then code)."""
    for doc in live_documents(session):
        text = (doc.title, tuple(doc.headline), tuple(doc.texts), tuple(doc.codes))
        kept = _counted.get((doc.kind, doc.code))
        if kept is not None and kept[0] == text:
            yield Record(doc, kept[1].fields, kept[1].lengths)  # the fields are only read
            continue
        found = record(doc)
        _counted[(doc.kind, doc.code)] = (text, found)
        yield found

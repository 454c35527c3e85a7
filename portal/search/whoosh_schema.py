"""The whoosh index schema, with the gram fields that hold `text.index_terms` output as packed positions."""

from __future__ import annotations

from array import array

from whoosh import columns, formats
from whoosh import fields as wfields

from .whoosh_postings import decode_positions


class PackedPositions(formats.Positions):
    """Term positions as a packed uint32 array (the frequency is its length)."""

    def word_values(self, value, analyzer, **kwargs):
        raise TypeError("gram fields are indexed from index_terms() output, not analysed")

    def encode(self, poslist):
        return array("I", poslist).tobytes()

    def decode_positions(self, valuestring):
        return list(decode_positions(valuestring))

    def decode_frequency(self, valuestring):
        return len(valuestring) // 4

    def decode_weight(self, valuestring):
        return float(len(valuestring) // 4) * self.field_boost

    def decode_position_boosts(self, valuestring):
        return [(pos, 1) for pos in decode_positions(valuestring)]


class Grams(wfields.FieldType):
    """A field whose value is `({term: position(s)}, length)` as `text.index_terms` returns."""

    def __init__(self, field_boost: float = 1.0):
        self.format = PackedPositions(field_boost=field_boost)
        self.analyzer = None
        self.scorable = True
        self.stored = False
        self.unique = False
        self.vector = None
        self.column_type = None


def schema() -> wfields.Schema:
    """The index schema: identity, facets and sizes (columns only), codes, two gram fields, what hits show."""
    return wfields.Schema(
        id=wfields.ID(stored=True, unique=True),
        kind=wfields.COLUMN(columns.RefBytesColumn()),
        department=wfields.COLUMN(columns.RefBytesColumn()),
        power_type=wfields.COLUMN(columns.RefBytesColumn()),
        year=wfields.COLUMN(columns.RefBytesColumn()),
        size=wfields.COLUMN(columns.NumericColumn("I")),
        title_size=wfields.COLUMN(columns.NumericColumn("I")),
        codes=wfields.KEYWORD(lowercase=True, scorable=False),
        title=Grams(),
        all=Grams(),
        code=wfields.STORED(),
        heading=wfields.STORED(),
        text=wfields.STORED(),
    )

"""Field types of a disclosure declaration, by the one name every declaration imports them from.

A field knows its English identifier, its Chinese header (the column name in
files, templates and downloads), whether it is required, and how to turn one raw
cell into a clean, JSON-ready value. Raw cells are always strings (CSV cells and
YAML scalars are read as text, never coerced), or lists of row mappings for
table fields, so that parsing happens here and only here.

The types live in `field_base` (text, errors, cleaning), `field_scalars` (numbers,
dates, vocabularies, yes/no, a department) and `field_table` (nested tables).
"""

from __future__ import annotations

from .field_base import Field, FieldError, LongText, TableError, clean_text
from .field_scalars import Boolean, Choice, Date, Decimal, Department, Integer
from .field_table import Table

__all__ = ["Boolean", "Choice", "Date", "Decimal", "Department", "Field", "FieldError", "Integer", "LongText",
           "Table", "TableError", "clean_text"]

"""A file's column headers and table sheets as the declaration names them, whichever script they are in.

The zh-hant desk names every column in Traditional (權力類型, 申請材料): its pages are converted
whole. A header copied from there is read as the kind's own (权力类型) by every reader, before
anything else looks at it, so validation, templates' table sheets and the stored records all
see the Simplified header. A header that spells nothing the kind declares is left as written
(and reported as an unknown column).
"""

from __future__ import annotations

from functools import lru_cache

from ..schemas import Kind
from ..schemas.fields import Table
from ..schemas.spellings import Spellings


def _labels(kind: Kind) -> list[str]:
    """Every header a file of `kind` may have: fields, computed values, tables' columns, and the
    kind's own label (its workbook's main sheet)."""
    labels = [kind.label]
    for f in (*kind.fields, *(c.field for c in kind.computed)):
        labels.append(f.label)
        if isinstance(f, Table):
            labels += [c.label for c in f.columns]
    return labels


@lru_cache(maxsize=32)
def _known(kind: Kind) -> frozenset[str]:
    return frozenset(_labels(kind))


@lru_cache(maxsize=32)
def _spellings(kind: Kind) -> Spellings:
    # Built only when a file has a header that is not the kind's own: most files have none.
    return Spellings(_labels(kind))


def header(kind: Kind, text: str) -> str:
    """The header of `kind` that `text` spells (itself when it is one), or `text` as it is."""
    if text in _known(kind) or not text:
        return text
    return _spellings(kind).simplified(text) or text


def row(kind: Kind, found: dict) -> dict:
    """An item of a JSON or YAML file, or a table's row, with its headers read as `header` does (and
    its tables' rows too). A header whose Simplified one the item has as well is left as written:
    validation then names it as an unknown column rather than one silently replacing the other."""
    known = _known(kind)
    if all(isinstance(key, str) and key in known and not isinstance(value, list)
           for key, value in found.items()):
        return found
    renamed = {}
    for key, value in found.items():
        if isinstance(key, str) and key not in known and header(kind, key) not in found:
            key = header(kind, key)
        renamed[key] = table_rows(kind, value) if isinstance(value, list) else value
    return renamed


def table_rows(kind: Kind, rows: list) -> list:
    """A table's rows (mappings keyed by column header) with their headers read as `row` does."""
    return [row(kind, found) if isinstance(found, dict) else found for found in rows]

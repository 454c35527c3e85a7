"""Where in a record personal data could be written, and what the record publishes on purpose.

Every disclosure kind is screened, not only complaints: a power item's 备注 or a
material's 备注 can carry a phone number as easily as a complaint's summary. What
is screened is read from the declaration (`Field.screened`): every free-text field
and every free-text column of a table, but not codes, vocabularies, dates, numbers,
nor the contact numbers a department publishes on purpose (咨询电话, 监督投诉电话,
监督电话), whose numbers are public for their item wherever it mentions them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..schemas import Kind
from ..schemas.fields import Table
from .detect import Public
from .public import contacts_in


@dataclass(frozen=True)
class Place:
    """One screened text of a record: a field, or one cell of a table."""

    path: str  # "remarks", or "materials.2.notes" for a table's cell (rows counted from 1)
    label: str  # the field's Chinese header
    text: str
    table_row: int | None = None  # for a cell: its row in the table
    table_column: str | None = None  # for a cell: its column's Chinese header


def places(kind: Kind, record: dict) -> Iterator[Place]:
    """The screened texts of a record, in declaration order (empty ones left out)."""
    for declared in kind.fields:
        value = record.get(declared.name)
        if isinstance(declared, Table):
            for number, row in enumerate(value if isinstance(value, list) else [], start=1):
                for column in declared.text_columns:
                    text = row.get(column.name) if isinstance(row, dict) else None
                    if isinstance(text, str) and text:
                        yield Place(f"{declared.name}.{number}.{column.name}", declared.label, text,
                                    number, column.label)
        elif declared.screened and isinstance(value, str) and value:
            yield Place(declared.name, declared.label, value)


def text_at(record: dict, path: str) -> str:
    """The text at `path` (a `Place.path`) of `record`."""
    name, _sep, cell = path.partition(".")
    if not cell:
        return record[name]
    number, _sep, column = cell.partition(".")
    return record[name][int(number) - 1][column]


def replaced(record: dict, path: str, text: str) -> dict:
    """A copy of `record` with the text at `path` (a `Place.path`) replaced."""
    name, _sep, cell = path.partition(".")
    if not cell:
        return {**record, name: text}
    number, _sep, column = cell.partition(".")
    rows = [dict(row) for row in record[name]]
    rows[int(number) - 1][column] = text
    return {**record, name: rows}


def contacts(kind: Kind, records: Iterable[dict]) -> frozenset[str]:
    """The phone numbers and e-mail addresses written in the declared contact fields of `records`
    (digits without extension, e-mail in lower case: as `Public.contacts` holds them)."""
    found: set[str] = set()
    names = [f.name for f in kind.fields if f.contact]
    for record in records:
        for name in names:
            value = record.get(name) if isinstance(record, dict) else None
            if isinstance(value, str):
                found |= contacts_in(value)
    return frozenset(found)


def with_contacts(known: Public, extra: frozenset[str]) -> Public:
    """`known` with `extra` numbers published on purpose (an item's own contact fields)."""
    if not extra or extra <= known.contacts:
        return known
    return Public(known.contacts | extra, known.addresses)

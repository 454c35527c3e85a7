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
from functools import lru_cache
from typing import NamedTuple

from ..schemas import Kind
from ..schemas.fields import Table
from .detect import Public
from .public import contacts_in


class Place(NamedTuple):
    """One screened text of a record: a field, or one cell of a table (a tuple: a publish makes
    one for every text of every record, and a tuple is built several times faster than a frozen
    dataclass)."""

    path: str  # "remarks", or "materials.2.notes" for a table's cell (rows counted from 1)
    label: str  # the field's Chinese header
    text: str
    table_row: int | None = None  # for a cell: its row in the table
    table_column: str | None = None  # for a cell: its column's Chinese header


def places(kind: Kind, record: dict) -> Iterator[Place]:
    """The screened texts of a record, in declaration order (empty ones left out)."""
    for name, label, columns in _screened_fields(kind):
        value = record.get(name)
        if columns is not None:
            if not isinstance(value, list):
                continue
            for number, row in enumerate(value, start=1):
                if not isinstance(row, dict):
                    continue
                for column, column_label in columns:
                    text = row.get(column)
                    if isinstance(text, str) and text:
                        yield Place(f"{name}.{number}.{column}", label, text, number, column_label)
        elif isinstance(value, str) and value:
            yield Place(name, label, value)


def contact_places(kind: Kind, record: dict) -> Iterator[Place]:
    """The declared contact fields of a record (咨询电话 …): not screened texts, as their numbers are
    public for the item, but read for anything else that the final guard refuses."""
    labels = _declared(kind, "contact labels", lambda k: {f.name: f.label for f in k.fields if f.contact})
    for name in _contact_fields(kind):
        value = record.get(name)
        if isinstance(value, str) and value:
            yield Place(name, labels[name], value)


_DECLARED: dict[tuple[int, str], tuple[Kind, tuple]] = {}


def _declared(kind: Kind, what: str, build) -> tuple:
    """What `build(kind)` reads from a declaration, read once per kind and not once per record."""
    kept = _DECLARED.get((id(kind), what))
    if kept is None or kept[0] is not kind:
        kept = _DECLARED[(id(kind), what)] = (kind, build(kind))  # the kind is held: its id stays its own
    return kept[1]


def _screened_fields(kind: Kind) -> tuple:
    """(name, label, None) for each screened field of `kind` and (name, label, ((column, column
    label), …)) for each table, in declaration order."""
    return _declared(kind, "screened", lambda k: tuple(
        (f.name, f.label, tuple((c.name, c.label) for c in f.text_columns)) if isinstance(f, Table)
        else (f.name, f.label, None)
        for f in k.fields if isinstance(f, Table) or f.screened))


def _contact_fields(kind: Kind) -> tuple[str, ...]:
    return _declared(kind, "contacts", lambda k: tuple(f.name for f in k.fields if f.contact))


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
    names = _contact_fields(kind)
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
    return _joined(known, extra)


@lru_cache(maxsize=1024)
def _joined(known: Public, extra: frozenset[str]) -> Public:
    # The same object for the same numbers: items of one department share their 咨询电话, and
    # what the detector keeps is found again by identity, not by comparing sets.
    return Public(known.contacts | extra, known.addresses)

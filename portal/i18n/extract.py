"""The translatable strings of the disclosure declarations.

Field labels, vocabularies, help texts and kind names are plain strings in
`portal.schemas` (they double as the Chinese headers of files), so gettext
keywords cannot find them; the catalog update reads the declarations themselves.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..models.gaps import checks as gap_checks
from ..schemas import DEPARTMENTS, KINDS
from ..schemas.fields import Table


def _strings(fields) -> Iterator[str]:
    for field in fields:
        yield field.label
        if field.help:
            yield field.help
        if field.missing:
            yield field.missing
        yield from getattr(field, "choices", ())
        if isinstance(field, Table):
            yield from _strings(field.columns)


def schema_strings() -> list[str]:
    """Every translatable string the declarations hold, in declaration order, once."""
    found: dict[str, None] = {}
    for kind in (DEPARTMENTS, *KINDS.values()):
        # Computed columns (办理天数, 法定时限(工作日) …) are shown like declared ones.
        fields = (*kind.fields, *(c.field for c in kind.computed))
        for text in (kind.label, kind.item_label, kind.description, *_strings(fields)):
            if text:
                found.setdefault(text, None)
    # Gaps the declarations do not name themselves (a guide without its process).
    for _kind, _field, missing in gap_checks():
        found.setdefault(missing, None)
    return list(found)


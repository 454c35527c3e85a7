"""What a purge leaves of a record: a stub that says so, and that is never published again."""

from __future__ import annotations

from ..schemas import Kind
from ..schemas.fields import Boolean, Choice, Date, Decimal, Department, Integer

# The mark a stub carries; the write path refuses to publish a record that has it.
PURGED = "purged"
# Field types whose validated values cannot carry personal data: a stub keeps them.
_SAFE_TYPES = (Boolean, Choice, Date, Decimal, Department, Integer)


def stub(kind: Kind, record: dict) -> dict:
    """What is left of a purged record: its key and the fields that cannot be personal."""
    kept = {f.name: record.get(f.name) for f in kind.fields
            if f.name in kind.key_fields or isinstance(f, _SAFE_TYPES)}
    return {**kept, PURGED: True}


def is_stub(record: dict) -> bool:
    """True for a record a purge left behind."""
    return bool(record.get(PURGED))

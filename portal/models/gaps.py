"""Transparency gaps: the fields whose absence the declarations name (未公布设定依据 …), and which
of them an item's record leaves empty — kept with the item when it is published
(`Disclosure.left_empty`), so that a department's gaps are counted from an index, not from the
records."""

from __future__ import annotations

from functools import cache

from ..schemas import KINDS

# A guide without its process cannot be drawn as a flowchart; the declaration requires a flow,
# but a guide published before that rule may lack one.
WITHOUT_FLOW = ("services", "flow", "未公布办理流程")


def checks() -> list[tuple[str, str, str]]:
    """(kind, field, what is missing) for every field whose absence the declarations name."""
    found = [(kind.name, field.name, field.missing)
             for kind in KINDS.values() for field in kind.fields if getattr(field, "missing", None)]
    if WITHOUT_FLOW[0] in KINDS:
        found.append(WITHOUT_FLOW)
    return found


@cache  # asked for every record a publish writes; the declarations do not change while running
def checked(kind: str) -> tuple[str, ...]:
    """The fields of `kind` whose absence is named, each once, in declaration order."""
    return tuple(dict.fromkeys(field for k, field, _missing in checks() if k == kind))


def is_empty(value) -> bool:
    """Whether a record's value counts as left empty: absent, null, "" or an empty list (and, as
    `Disclosure.leaves_empty` reads the JSON, a text that is literally "[]")."""
    # SQLite's JSON functions end a text at its first NUL character: read it as they do.
    return value is None or value == [] or (isinstance(value, str) and value.split("\0")[0] in ("", "[]"))


def left_empty(kind: str, record: dict) -> str | None:
    """What a record of `kind` leaves empty among its checked fields, as stored: each field's name
    between bars ("|basis|"; "|" when none is empty), or None for a kind without checked fields."""
    fields = checked(kind)
    if not fields:
        return None
    return "|" + "".join(f"{name}|" for name in fields if is_empty(record.get(name)))


def marker(field: str) -> str:
    """What `left_empty` holds (among the rest) when `field` is left empty."""
    return f"|{field}|"

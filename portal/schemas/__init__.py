"""One declaration per disclosure kind; everything else reads these.

`KINDS` lists the five kinds in the order the portal presents them (and loads
them: commitments refer to services).
"""

from .appraisals import APPRAISALS
from .commitments import COMMITMENTS
from .complaints import COMPLAINTS
from .departments import DEPARTMENTS
from .kind import Kind, Problem, Validated
from .powers import POWERS
from .services import SERVICES

KINDS: dict[str, Kind] = {
    kind.name: kind for kind in (POWERS, SERVICES, COMMITMENTS, APPRAISALS, COMPLAINTS)
}


def declared(name: str) -> Kind:
    """The declaration a revision or change event names: a disclosure kind, or the departments."""
    if name == DEPARTMENTS.name:
        return DEPARTMENTS
    return KINDS[name]

__all__ = ["DEPARTMENTS", "KINDS", "Kind", "Problem", "Validated", "declared"]

"""What the preview warns about before a department publishes (nothing here refuses by itself).

- codes whose names change completely (most likely reused for another item): the
  uploader confirms them, and publishing without that confirmation is refused;
- guides whose flow adds up to more working days than their commitment promises.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from ..models import Upload
from ..publish.checks import promise_warnings
from ..publish.plan import Plan, diffed
from ..publish.references import renamed, renamed_message
from ..schemas import KINDS


@dataclass
class Cautions:
    """The preview's warnings: renamed codes (code, message) and contradicted promises (code, message)."""

    renamed: list[tuple[str, str]] = field(default_factory=list)
    promises: list[tuple[str, str]] = field(default_factory=list)


class RenamesUnconfirmed(ValueError):
    """Publishing an upload whose renamed codes the uploader has not confirmed."""

    def __init__(self, codes: list[str]):
        super().__init__(", ".join(codes))
        self.codes = codes


def cautions(session: Session, upload: Upload, plan: Plan) -> Cautions:
    """What the preview of `upload` (diffed as `plan`) warns about."""
    incoming = {plan.kind.key(r): r for r in plan.records}
    return Cautions(
        renamed=[(code, renamed_message(code, old, new))
                 for code, old, new in renamed(plan.kind, plan.live, incoming, plan.diff)],
        promises=promise_warnings(session, upload.department, upload.kind, plan.records),
    )


def check_renames(session: Session, upload: Upload, confirmed: bool) -> None:
    """Raise RenamesUnconfirmed when the upload renames codes completely and that is not confirmed."""
    if confirmed:
        return
    plan = diffed(session, upload.department, KINDS[upload.kind], upload.records)
    incoming = {plan.kind.key(r): r for r in plan.records}
    found = renamed(plan.kind, plan.live, incoming, plan.diff)
    if found:
        raise RenamesUnconfirmed([code for code, _, _ in found])

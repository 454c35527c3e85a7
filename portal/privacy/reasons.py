"""Withdrawal reasons: free text that every withdrawn item's tombstone, the home page, the change
log, the feeds and the revision page publish, so checked like any field before anything is.

A reason is cleaned as a declared field is (NFC, no control characters, at most 500
characters) and screened for personal data; unlike a field's finding, a reason's cannot
be confirmed as not personal: the person publishing rewrites it (a reason needs no name
or number to say why an item is withdrawn).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from ..schemas.fields import Field, FieldError
from . import public
from .detect import Finding, detect
from .labels import category_label
from .redact import mask

MAX_LENGTH = 500
_REASON = Field("reason", "撤回原因", max_length=MAX_LENGTH)


class ReasonRefused(Exception):
    """A withdrawal reason that may not be published; nothing was. `message` is for the person
    publishing, in their language, and names what was found by its kind and mask, never its value."""

    def __init__(self, message: str, findings: list[Finding] | None = None):
        super().__init__(message)
        self.message = message
        self.findings = findings or []

    def as_dicts(self) -> list[dict]:
        """The findings as JSON-ready data (their kind and suggested mask, not their value)."""
        return [{"category": f.category, "confidence": f.confidence, "suggestion": mask(f)}
                for f in self.findings]


def checked(session: Session, reason: str | None) -> str | None:
    """The reason as it may be published (None when empty), or ReasonRefused."""
    try:
        text = _REASON.parse(reason)
    except FieldError as error:
        raise ReasonRefused(str(_l("撤回原因:%(problem)s", problem=error))) from None
    if text is None:
        return None
    found = detect(text, public.current(session))
    if found:
        named = str(_l("、")).join(
            str(_l("%(category)s(“%(suggestion)s”)", category=category_label(f.category), suggestion=mask(f)))
            for f in found)
        raise ReasonRefused(str(_l("撤回原因会公开显示,其中疑似含有个人信息:%(found)s。"
                                   "请删去后重新发布(本次没有发布任何内容)", found=named)), found)
    return text

"""SQLAlchemy models: one module per disclosure kind, plus departments and revisions.

`MODELS` maps each kind's schema name to its model.
"""

from .appraisals import AppraisalResult
from .base import Base, Disclosure, utcnow
from .commitments import Commitment
from .complaints import ComplaintCase
from .department import Department
from .powers import PowerItem
from .revision import ChangeEvent, Revision
from .services import ServiceGuide

MODELS: dict[str, type[Disclosure]] = {
    model.kind: model
    for model in (PowerItem, ServiceGuide, Commitment, AppraisalResult, ComplaintCase)
}

__all__ = [
    "MODELS", "AppraisalResult", "Base", "ChangeEvent", "Commitment", "ComplaintCase",
    "Department", "Disclosure", "PowerItem", "Revision", "ServiceGuide", "utcnow",
]

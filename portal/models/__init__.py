"""SQLAlchemy models: one module per disclosure kind, plus departments and revisions.

`MODELS` maps each kind's schema name to its model.
"""

from .accounts import ApiToken, LoginAttempt, LoginSession, User
from .appraisals import AppraisalResult
from .audit import AuditEvent, AuditLogIsAppendOnly
from .base import Base, Disclosure, utcnow
from .codes import CodeGrant
from .commitments import Commitment
from .complaints import ComplaintCase
from .department import Department
from .flowcharts import Flowchart
from .gaps import checked as _checked
from .indexes import complaint_figure_indexes, figure_indexes, gap_indexes, list_indexes
from .powers import PowerItem
from .privacy import PrivacyConfirmation, PrivacyPurge
from .projections import ProjectionCursor
from .revision import ChangeEvent, Revision
from .services import ServiceGuide
from .uploads import StoredFile, Upload
from ..schemas import KINDS

MODELS: dict[str, type[Disclosure]] = {
    model.kind: model
    for model in (PowerItem, ServiceGuide, Commitment, AppraisalResult, ComplaintCase)
}

# Declared here, once every model exists: the indexes join each model's table as they are made.
LIST_INDEXES = [index for kind, model in MODELS.items() for index in list_indexes(model, KINDS[kind])]
FIGURE_INDEXES = figure_indexes(Commitment, ComplaintCase)
STATISTICS_INDEXES = complaint_figure_indexes(ComplaintCase) + gap_indexes(MODELS, _checked)

__all__ = [
    "MODELS", "ApiToken", "AppraisalResult", "AuditEvent", "AuditLogIsAppendOnly", "Base",
    "ChangeEvent", "CodeGrant", "Commitment", "ComplaintCase", "Department", "Disclosure", "Flowchart", "LoginAttempt",
    "LoginSession", "PowerItem", "PrivacyConfirmation", "PrivacyPurge", "ProjectionCursor", "Revision", "ServiceGuide", "StoredFile", "Upload", "User", "utcnow",
]

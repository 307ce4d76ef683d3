"""Young people, concerns about them, and the cases the SSP organisation works on, one module
per sub-domain. Callers import from `cases.models`; the modules are how the code is organised.

Rules about one row live here. Every write goes through `services`, which also keeps the
object permissions of each case equal to what `permissions.CASE_ACCESS_RULES` derives from
its responsible body, its ad-hoc group, its coordinator and its recorded bases.
"""

from cases.models.cases import (
    CASE_TRANSITIONS,
    Action,
    Case,
    CaseGroupObjectPermission,
    CaseStatus,
    CaseUserObjectPermission,
    Note,
    PreventionKind,
    PreventionLevel,
)
from cases.models.concerns import (
    TEXT_MAX_LENGTH,
    Concern,
    ConcernAddendum,
    ConcernCategory,
    ConcernChange,
    ConcernStatus,
    NotificationStatus,
    SubjectKind,
    Urgency,
    YoungPerson,
)
from cases.models.escalation import (
    MAX_STEP_WORKING_DAYS,
    SCOPE_URGENCIES,
    ConcernEscalation,
    EscalationScope,
    EscalationSettings,
    EscalationStep,
    NotificationTask,
    RoutingRule,
)
from cases.models.merges import YoungPersonMerge
from cases.models.records import (
    CaseEvent,
    CaseEventKind,
    DeletionCause,
    DeletionOutcome,
    DeletionRecord,
)
from cases.models.retention import (
    PERIOD_DEFAULTS,
    HoldScope,
    LegalHold,
    RetentionPeriods,
    RetentionPolicy,
)
from cases.models.sharing import (
    Basis,
    BasisEndReason,
    BasisGround,
    BasisOrigin,
    Consent,
    ConsentStatus,
)
from cases.models.subjects import CaseSubject, ConcernPerson

__all__ = [
    "CASE_TRANSITIONS",
    "MAX_STEP_WORKING_DAYS",
    "PERIOD_DEFAULTS",
    "SCOPE_URGENCIES",
    "TEXT_MAX_LENGTH",
    "Action",
    "Basis",
    "BasisEndReason",
    "BasisGround",
    "BasisOrigin",
    "Case",
    "CaseEvent",
    "CaseEventKind",
    "CaseGroupObjectPermission",
    "CaseStatus",
    "CaseSubject",
    "CaseUserObjectPermission",
    "Concern",
    "ConcernAddendum",
    "ConcernCategory",
    "ConcernChange",
    "ConcernEscalation",
    "ConcernPerson",
    "ConcernStatus",
    "Consent",
    "ConsentStatus",
    "DeletionCause",
    "DeletionOutcome",
    "DeletionRecord",
    "EscalationScope",
    "EscalationSettings",
    "EscalationStep",
    "HoldScope",
    "LegalHold",
    "Note",
    "NotificationStatus",
    "NotificationTask",
    "PreventionKind",
    "PreventionLevel",
    "RetentionPeriods",
    "RetentionPolicy",
    "RoutingRule",
    "SubjectKind",
    "Urgency",
    "YoungPerson",
    "YoungPersonMerge",
]

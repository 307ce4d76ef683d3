"""Forms of the cases app. They check the shape of the input; the services check the rules."""

from cases.forms.cases import (
    ActionAssignForm,
    ActionForm,
    AdhocGroupCreateForm,
    AdhocGroupForm,
    CaseDetailsForm,
    CaseSearchForm,
    ConsentForm,
    CoordinatorForm,
    NoteCorrectionForm,
    NoteForm,
    ShareForm,
    StatusForm,
)
from cases.forms.common import BASIS_PREFIX, BasisSectionForm, DateInput, end_of
from cases.forms.concerns import AddendumForm, ConcernForm, TriageForm
from cases.forms.escalation import (
    AbsenceForm,
    EscalationStepForm,
    NotificationRecordForm,
    RoutingRuleForm,
    SmsGatewayForm,
)
from cases.forms.identity import ResolveYoungPersonForm
from cases.forms.oversight import (
    AuditSearchForm,
    DeletionLogForm,
    LegalHoldForm,
    LegalHoldReleaseForm,
    RetentionPolicyForm,
)
from cases.forms.triage import CaseAttachForm, ConcernCorrectionForm, MergeForm

__all__ = [
    "BASIS_PREFIX",
    "AbsenceForm",
    "ActionAssignForm",
    "ActionForm",
    "AddendumForm",
    "AdhocGroupCreateForm",
    "AdhocGroupForm",
    "AuditSearchForm",
    "BasisSectionForm",
    "CaseAttachForm",
    "CaseDetailsForm",
    "CaseSearchForm",
    "ConcernCorrectionForm",
    "ConcernForm",
    "ConsentForm",
    "CoordinatorForm",
    "DateInput",
    "DeletionLogForm",
    "EscalationStepForm",
    "LegalHoldForm",
    "LegalHoldReleaseForm",
    "MergeForm",
    "NoteCorrectionForm",
    "NoteForm",
    "NotificationRecordForm",
    "ResolveYoungPersonForm",
    "RetentionPolicyForm",
    "RoutingRuleForm",
    "ShareForm",
    "SmsGatewayForm",
    "StatusForm",
    "TriageForm",
    "end_of",
]

"""Forms of the cases app. They check the shape of the input; the services check the rules."""

from cases.forms.cases import (
    ActionForm,
    AdhocGroupForm,
    CaseDetailsForm,
    CaseSearchForm,
    ConsentForm,
    NoteCorrectionForm,
    NoteForm,
    ShareForm,
    StatusForm,
)
from cases.forms.common import BASIS_PREFIX, BasisSectionForm, DateInput, end_of
from cases.forms.concerns import AddendumForm, ConcernForm, TriageForm
from cases.forms.identity import ResolveYoungPersonForm
from cases.forms.oversight import (
    AuditSearchForm,
    DeletionLogForm,
    LegalHoldForm,
    LegalHoldReleaseForm,
    RetentionPolicyForm,
)

__all__ = [
    "BASIS_PREFIX",
    "ActionForm",
    "AddendumForm",
    "AdhocGroupForm",
    "AuditSearchForm",
    "BasisSectionForm",
    "CaseDetailsForm",
    "CaseSearchForm",
    "ConcernForm",
    "ConsentForm",
    "DateInput",
    "DeletionLogForm",
    "LegalHoldForm",
    "LegalHoldReleaseForm",
    "NoteCorrectionForm",
    "NoteForm",
    "ResolveYoungPersonForm",
    "RetentionPolicyForm",
    "ShareForm",
    "StatusForm",
    "TriageForm",
    "end_of",
]

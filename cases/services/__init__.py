"""Every write to young people, concerns and cases, one module per sub-domain. Keyword-only
functions named `<entity>_<verb>`. Callers import the package
(`from cases import services; services.case_share(...)`): the modules are how the code is
organised, not part of the interface.

Each service validates what spans rows, writes the timeline and the access log, keeps the
case's object permissions in step through `grants.sync_case_grants`, and sends mail only
after its transaction commits. Messages are Danish sentences a user can act on.
"""

from cases.services._common import PLANNING_HORIZON_YEARS, planning_horizon
from cases.services.actions import action_add, action_assign, action_complete
from cases.services.bases import (
    SHARE_CRITERIA,
    BasisRequest,
    basis_end,
    basis_give,
    basis_reschedule,
    current_consent,
    open_basis_for,
    share_criteria_confirmed,
)
from cases.services.cases import (
    case_change_status,
    case_event_add,
    case_open,
    case_update_details,
    consent_record,
    group_case_add_subjects,
    note_add,
    note_correct,
)
from cases.services.concerns import (
    concern_add_addendum,
    concern_close,
    concern_correct,
    concern_link_to_case,
    concern_needs_notification_answer,
    concern_open_case,
    concern_route,
    concern_submit,
    young_person_find_or_create,
)
from cases.services.coordinator import case_coordinator_change, check_coordinator
from cases.services.corrections import concern_attach_to_case
from cases.services.escalation import (
    concerns_escalate,
    escalation_sms_gateway_set,
    escalation_step_add,
    escalation_step_delete,
    routing_rule_add,
    routing_rule_delete,
    sms_gateway_of,
)
from cases.services.followthrough import concern_notification_record, notification_task_create
from cases.services.groups import (
    adhoc_group_close,
    adhoc_group_form,
    adhoc_member_add,
    adhoc_member_remove,
)
from cases.services.identity import (
    ReportedIdentity,
    concern_resolve_young_person,
    concern_settle_for_case,
)
from cases.services.retention import (
    case_erase,
    legal_hold_place,
    legal_hold_release,
    retention_policy_set,
    young_person_erase,
)
from cases.services.sharing import case_share, share_revoke, shares_expire
from cases.services.subjects import concern_open_group_case
from cases.services.young_people import young_person_merge

__all__ = [
    "PLANNING_HORIZON_YEARS",
    "SHARE_CRITERIA",
    "BasisRequest",
    "ReportedIdentity",
    "action_add",
    "action_assign",
    "action_complete",
    "adhoc_group_close",
    "adhoc_group_form",
    "adhoc_member_add",
    "adhoc_member_remove",
    "basis_end",
    "basis_give",
    "basis_reschedule",
    "case_change_status",
    "case_coordinator_change",
    "case_erase",
    "case_event_add",
    "case_open",
    "case_share",
    "case_update_details",
    "check_coordinator",
    "concern_add_addendum",
    "concern_attach_to_case",
    "concern_close",
    "concern_correct",
    "concern_link_to_case",
    "concern_needs_notification_answer",
    "concern_notification_record",
    "concern_open_case",
    "concern_open_group_case",
    "concern_resolve_young_person",
    "concern_route",
    "concern_settle_for_case",
    "concern_submit",
    "concerns_escalate",
    "consent_record",
    "current_consent",
    "escalation_sms_gateway_set",
    "escalation_step_add",
    "escalation_step_delete",
    "group_case_add_subjects",
    "legal_hold_place",
    "legal_hold_release",
    "note_add",
    "note_correct",
    "notification_task_create",
    "open_basis_for",
    "planning_horizon",
    "retention_policy_set",
    "routing_rule_add",
    "routing_rule_delete",
    "share_criteria_confirmed",
    "share_revoke",
    "shares_expire",
    "sms_gateway_of",
    "young_person_erase",
    "young_person_find_or_create",
    "young_person_merge",
]

from django.urls import path

from cases.views import (
    access,
    actions,
    audit,
    cases,
    concerns,
    corrections,
    escalation,
    groups,
    insight,
    retention,
    triage,
)

app_name = "cases"

urlpatterns = [
    path("bekymringer/ny/", concerns.concern_create, name="concern_create"),
    path("bekymringer/find-ung/", concerns.young_person_lookup, name="young_person_lookup"),
    path(
        "bekymringer/ny/flere-unge/",
        concerns.concern_other_young_people,
        name="concern_other_young_people",
    ),
    path(
        "bekymringer/ny/underretning/",
        concerns.concern_notification_question,
        name="concern_notification_question",
    ),
    path("bekymringer/mine/", concerns.my_concerns, name="my_concerns"),
    path("bekymringer/visitation/", concerns.triage_queue, name="triage_queue"),
    path("bekymringer/<int:pk>/", concerns.concern_detail, name="concern_detail"),
    path("bekymringer/<int:pk>/tilfoejelse/", concerns.concern_addendum, name="concern_addendum"),
    path("bekymringer/<int:pk>/visiter/", concerns.concern_triage, name="concern_triage"),
    path(
        "bekymringer/<int:pk>/ung/",
        concerns.concern_resolve_young_person,
        name="concern_resolve_young_person",
    ),
    path(
        "bekymringer/<int:pk>/ung/<int:person_pk>/",
        concerns.concern_resolve_young_person,
        name="concern_resolve_person",
    ),
    path("bekymringer/<int:pk>/ret/", corrections.concern_correct, name="concern_correct"),
    path("bekymringer/<int:pk>/knyt-til-sag/", corrections.concern_attach, name="concern_attach"),
    path("unge/dubletter/", triage.duplicate_list, name="duplicate_list"),
    path(
        "unge/dubletter/<int:first>/<int:second>/",
        triage.young_person_merge,
        name="young_person_merge",
    ),
    path(
        "bekymringer/<int:pk>/underretning/",
        escalation.concern_notification_record,
        name="concern_notification_record",
    ),
    path("sager/", cases.case_list, name="case_list"),
    path("sager/<int:pk>/", cases.case_detail, name="case_detail"),
    path("sager/<int:pk>/adgang/", access.case_access, name="case_access"),
    path("sager/<int:pk>/rediger/", cases.case_edit, name="case_edit"),
    path("sager/<int:pk>/notat/", cases.note_add, name="note_add"),
    path("sager/<int:pk>/notat/<int:note_id>/ret/", cases.note_correct, name="note_correct"),
    path("sager/<int:pk>/indsats/", actions.action_add, name="action_add"),
    path(
        "sager/<int:pk>/indsats/<int:action_id>/ansvarlig/",
        actions.action_assign,
        name="action_assign",
    ),
    path(
        "sager/<int:pk>/indsats/<int:action_id>/udfoert/",
        actions.action_complete,
        name="action_complete",
    ),
    path("sager/<int:pk>/samtykke/", cases.consent_record, name="consent_record"),
    path("sager/<int:pk>/status/", cases.status_change, name="status_change"),
    path("sager/<int:pk>/tovholder/", groups.coordinator_change, name="coordinator_change"),
    path("sager/<int:pk>/gruppe/", groups.group_add, name="group_add"),
    path(
        "sager/<int:pk>/gruppe/<int:membership_id>/fjern/",
        groups.group_remove,
        name="group_remove",
    ),
    path("sager/<int:pk>/gruppe/luk/", groups.group_close, name="group_close"),
    path("sager/<int:pk>/del/", cases.share_add, name="share_add"),
    path("sager/<int:pk>/del/<int:share_id>/tilbagekald/", cases.share_revoke, name="share_revoke"),
    path("adgangslog/", audit.audit_search, name="audit_search"),
    path("adgangslog/eksport.csv", audit.audit_export, name="audit_export"),
    path("adgangslog/ung/<int:young_person_id>/", insight.insight_report, name="insight_report"),
    path(
        "adgangslog/ung/<int:young_person_id>/indsigt.csv",
        insight.insight_report_csv,
        name="insight_report_csv",
    ),
    path(
        "adgangslog/ung/<int:young_person_id>/indsigt.pdf",
        insight.insight_report_pdf,
        name="insight_report_pdf",
    ),
    path("opbevaring/", retention.retention_index, name="retention_index"),
    path(
        "opbevaring/<int:municipality_id>/tilbageholdelse/",
        retention.legal_holds,
        name="legal_holds",
    ),
    path(
        "opbevaring/<int:municipality_id>/tilbageholdelse/<int:hold_id>/ophaev/",
        retention.legal_hold_release,
        name="legal_hold_release",
    ),
    path(
        "opbevaring/<int:municipality_id>/sletningslog/",
        retention.deletion_log,
        name="deletion_log",
    ),
    path(
        "opbevaring/<int:municipality_id>/sletningslog.csv",
        retention.deletion_log_export,
        name="deletion_log_export",
    ),
    path(
        "opbevaring/<int:municipality_id>/perioder/",
        retention.retention_policy,
        name="retention_policy",
    ),
    path(
        "eskalering/<int:municipality_id>/",
        escalation.escalation_settings,
        name="escalation_settings",
    ),
    path(
        "eskalering/<int:municipality_id>/trin/",
        escalation.escalation_step_add,
        name="escalation_step_add",
    ),
    path(
        "eskalering/<int:municipality_id>/trin/<int:pk>/slet/",
        escalation.escalation_step_delete,
        name="escalation_step_delete",
    ),
    path(
        "eskalering/<int:municipality_id>/sms/",
        escalation.sms_gateway_edit,
        name="sms_gateway_edit",
    ),
    path(
        "eskalering/<int:municipality_id>/fravaer/",
        escalation.absence_add,
        name="absence_add",
    ),
    path(
        "eskalering/<int:municipality_id>/fravaer/<int:pk>/slet/",
        escalation.absence_delete,
        name="absence_delete",
    ),
    path(
        "eskalering/<int:municipality_id>/routing/",
        escalation.routing_rule_add,
        name="routing_rule_add",
    ),
    path(
        "eskalering/<int:municipality_id>/routing/<int:pk>/slet/",
        escalation.routing_rule_delete,
        name="routing_rule_delete",
    ),
]

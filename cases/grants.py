"""Writing a case's object permissions: the grants `cases.permissions.CASE_ACCESS_RULES`
derive from the case's facts, kept in guardian's direct foreign-key tables (the module
docstring of `cases.permissions` says what each rule grants and why)."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import Permission

from cases.models import Case, CaseGroupObjectPermission, CaseUserObjectPermission
from cases.permissions import CASE_ACCESS_RULES, VIEW_CASE, case_facts


def _view_permission() -> Permission:
    return Permission.objects.get(content_type__app_label="cases", codename=VIEW_CASE)


def sync_case_grants(case: Case) -> None:
    """Make the case's object permissions equal to what the rules derive, in few queries.

    Rows for the same holder and reach merge: the grant lasts as long as the longest source.
    """
    wanted: dict[str, dict[tuple[int, bool], datetime | None]] = {"group": {}, "user": {}}
    facts = case_facts(case)
    for rule in CASE_ACCESS_RULES.values():
        for grant in rule(facts):
            key = (grant.holder_id, grant.all_sectors)
            table = wanted[grant.holder]
            if key not in table:
                table[key] = grant.expires_at
            elif table[key] is not None and grant.expires_at is not None:
                table[key] = max(table[key], grant.expires_at)
            else:
                table[key] = None
    permission = _view_permission()
    _sync_table(CaseGroupObjectPermission, "group_id", case, permission, wanted["group"])
    _sync_table(CaseUserObjectPermission, "user_id", case, permission, wanted["user"])


def _sync_table(
    model: type[CaseGroupObjectPermission] | type[CaseUserObjectPermission],
    holder: str,
    case: Case,
    permission: Permission,
    wanted: dict[tuple[int, bool], datetime | None],
) -> None:
    rows = model.objects.filter(content_object=case, permission=permission)
    current = {
        (holder_id, all_sectors): (pk, expires_at)
        for pk, holder_id, all_sectors, expires_at in rows.values_list(
            "pk", holder, "all_sectors", "expires_at"
        )
    }
    stale = [pk for key, (pk, _expires) in current.items() if key not in wanted]
    if stale:
        model.objects.filter(pk__in=stale).delete()
    for key, (pk, expires_at) in current.items():
        if key in wanted and wanted[key] != expires_at:
            model.objects.filter(pk=pk).update(expires_at=wanted[key])
    model.objects.bulk_create(
        [
            model(
                content_object=case,
                permission=permission,
                all_sectors=all_sectors,
                expires_at=expires_at,
                **{holder: holder_id},
            )
            for (holder_id, all_sectors), expires_at in wanted.items()
            if (holder_id, all_sectors) not in current
        ]
    )

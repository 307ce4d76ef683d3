"""A case's ad-hoc group: formed under the responsible body, its members read the case."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases import permissions
from cases.models import Case, CaseEventKind
from cases.services._common import event_add, touch
from forum import services as forum_services
from forum.models import Body, BodyKind, Membership, MembershipRole, Person
from ssp.audit import audit_log
from ssp.models import AuditAction, User


@transaction.atomic
def adhoc_group_form(*, case: Case, by: User, coordinator: Person) -> Body:
    """Form the case's ad-hoc group under the body responsible for it, with a coordinator.

    Its members read the case through the group's grant; leaving the group ends that access.
    """
    if case.adhoc_group_id is not None:
        raise ValidationError(_("Sagen har allerede en ad hoc-gruppe."))
    body = forum_services.body_create(
        municipality=case.municipality,
        kind=BodyKind.AD_HOC,
        name=_("Ad hoc-gruppe, sag %(number)s") % {"number": case.pk},
        parent=case.responsible_body,
        purpose=_("Samarbejde om én ung."),
    )
    forum_services.membership_add(
        body=body, person=coordinator, role=MembershipRole.COORDINATOR, by=by
    )
    case.adhoc_group = body
    case.save(update_fields=["adhoc_group"])
    permissions.sync_case_grants(case)
    event_add(
        case,
        CaseEventKind.GROUP,
        by,
        _("Ad hoc-gruppe oprettet med %(name)s som tovholder") % {"name": coordinator.full_name},
    )
    touch(case)
    audit_log(user=by, action=AuditAction.UPDATE, obj=case, subject_id=case.young_person_id)
    return body


@transaction.atomic
def adhoc_member_add(*, case: Case, by: User, person: Person) -> Membership:
    if case.adhoc_group_id is None:
        raise ValidationError(_("Opret først sagens ad hoc-gruppe."))
    membership = forum_services.membership_add(body=case.adhoc_group, person=person, by=by)
    event_add(case, CaseEventKind.GROUP, by, _("%(name)s er med i gruppen") % {"name": person})
    audit_log(user=by, action=AuditAction.UPDATE, obj=case, subject_id=case.young_person_id)
    return membership


@transaction.atomic
def adhoc_member_remove(*, case: Case, by: User, membership: Membership) -> None:
    if membership.body_id != case.adhoc_group_id:
        raise ValidationError(_("Personen er ikke med i sagens ad hoc-gruppe."))
    person = membership.person
    forum_services.membership_remove(membership=membership, by=by)
    event_add(case, CaseEventKind.GROUP, by, _("%(name)s er ikke længere med") % {"name": person})
    audit_log(user=by, action=AuditAction.UPDATE, obj=case, subject_id=case.young_person_id)

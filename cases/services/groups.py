"""A case's ad-hoc group: formed under the responsible body, its members read the case.

Members of the handling sectors read it under the documented rule R2; a member from outside
them (police, "other") reads it only through a basis given for them in the same step (origin
ad-hoc member), which ends when they leave or the group is closed.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases import permissions
from cases.models import Basis, BasisEndReason, BasisOrigin, Case, CaseEventKind
from cases.services._common import event_add, log_case_update, touch
from cases.services.bases import BasisRequest, bases_end, basis_end
from forum import services as forum_services
from forum.models import Body, BodyKind, Membership, MembershipRole, Person
from ssp.models import User

BASIS_FIELD_PREFIX = "basis_"


def _needs_basis(case: Case, person: Person) -> bool:
    """Whether the person's login would read the case only through a basis of their own: a
    user outside the handling sectors, who holds no active basis for the case yet."""
    user = person.user
    if user is None or user.sector in permissions.HANDLING_SECTORS:
        return False
    return not Basis.objects.active().filter(case=case, user=user).exists()


def _give_member_basis(case: Case, by: User, person: Person, basis: BasisRequest | None) -> None:
    if not _needs_basis(case, person):
        return
    if basis is None:
        raise ValidationError(
            {
                "__all__": [
                    _(
                        "%(name)s arbejder i en sektor, der ikke selv behandler sagen (fx "
                        "politiet). Bekræft de tre betingelser efter §115 og skriv formålet, "
                        "eller giv adgang på grundlag af det registrerede samtykke."
                    )
                    % {"name": person.full_name}
                ]
            }
        )
    basis.give(
        by=by,
        origin=BasisOrigin.ADHOC_MEMBER,
        case=case,
        user=person.user,
        field_prefix=BASIS_FIELD_PREFIX,
    )


@transaction.atomic
def adhoc_group_form(
    *, case: Case, by: User, coordinator: Person, basis: BasisRequest | None = None
) -> Body:
    """Form the case's ad-hoc group under the body responsible for it, with a coordinator.

    Its members read the case through the group's grant (handling sectors) or a basis of their
    own; leaving the group ends that access.
    """
    if case.adhoc_group_id is not None:
        raise ValidationError(_("Sagen har allerede en ad hoc-gruppe."))
    _give_member_basis(case, by, coordinator, basis)
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
    log_case_update(case, by)
    return body


@transaction.atomic
def adhoc_member_add(
    *, case: Case, by: User, person: Person, basis: BasisRequest | None = None
) -> Membership:
    """Add a person to the case's ad-hoc group. Someone whose login is outside the handling
    sectors needs a basis given in the same step (§115 criteria and purpose, or the recorded
    consent); without one nothing is added."""
    if case.adhoc_group_id is None:
        raise ValidationError(_("Opret først sagens ad hoc-gruppe."))
    if Membership.objects.filter(body_id=case.adhoc_group_id, person=person).exists():
        raise ValidationError({"person": [_("Personen er allerede med i gruppen.")]})
    _give_member_basis(case, by, person, basis)
    membership = forum_services.membership_add(body=case.adhoc_group, person=person, by=by)
    event_add(case, CaseEventKind.GROUP, by, _("%(name)s er med i gruppen") % {"name": person})
    log_case_update(case, by)
    return membership


def _member_bases(case: Case, users: list[int]) -> list[Basis]:
    return list(
        Basis.objects.filter(
            case=case, user_id__in=users, origin=BasisOrigin.ADHOC_MEMBER, ended_at__isnull=True
        )
    )


@transaction.atomic
def adhoc_member_remove(*, case: Case, by: User, membership: Membership) -> None:
    """Take a person out of the ad-hoc group; the basis given when they joined ends with it."""
    if membership.body_id != case.adhoc_group_id:
        raise ValidationError(_("Personen er ikke med i sagens ad hoc-gruppe."))
    person = membership.person
    forum_services.membership_remove(membership=membership, by=by)
    for basis in _member_bases(case, [person.user_id] if person.user_id else []):
        basis_end(basis=basis, by=by, reason=BasisEndReason.MEMBER_LEFT)
    permissions.sync_case_grants(case)
    event_add(case, CaseEventKind.GROUP, by, _("%(name)s er ikke længere med") % {"name": person})
    log_case_update(case, by)


@transaction.atomic
def adhoc_group_close(*, case: Case, by: User) -> None:
    """Close the case's ad-hoc group: its members leave, the bases given to them end (group
    closed), and the case has no ad-hoc group any more. The group itself is deleted unless a
    meeting still points at it."""
    if case.adhoc_group_id is None:
        raise ValidationError(_("Sagen har ingen ad hoc-gruppe."))
    body = case.adhoc_group
    memberships = list(Membership.objects.filter(body=body).select_related("person"))
    users = [m.person.user_id for m in memberships if m.person.user_id]
    bases_end(bases=_member_bases(case, users), by=by, reason=BasisEndReason.GROUP_CLOSED)
    for membership in memberships:
        forum_services.membership_remove(membership=membership, by=by)
    case.adhoc_group = None
    case.save(update_fields=["adhoc_group"])
    permissions.sync_case_grants(case)
    try:
        with transaction.atomic():
            forum_services.body_delete(body=body)
    except ValidationError:
        pass  # kept empty for the meetings that name it
    event_add(case, CaseEventKind.GROUP, by, _("Ad hoc-gruppen er lukket"))
    touch(case)
    log_case_update(case, by)

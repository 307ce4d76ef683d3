"""A case's ad-hoc group: formed under the responsible body with the case's coordinator as its
coordinator, its members read the case.

Members of the handling sectors read it under the documented rule R2; a member from outside
them (police, "other") reads it only through a basis given for them in the same step (origin
ad-hoc member), which ends when they leave or the group is closed.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases import grants, permissions
from cases.models import Basis, BasisEndReason, BasisOrigin, Case, CaseEventKind
from cases.services._common import event_add, log_case_update, touch
from cases.services.bases import BasisRequest, bases_end, basis_end
from cases.services.coordinator import coordinator_apply, group_coordinator_sync
from forum import services as forum_services
from forum.models import Body, BodyKind, Membership, Person
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
def adhoc_group_form(*, case: Case, by: User, coordinator: Person) -> Body:
    """Form the case's ad-hoc group under the body responsible for it, with the coordinator
    chosen for it, who is then also the case's coordinator (one coordinator for both, see
    `coordinator`): a handling-sector user of the municipality, as R3 requires.

    Its members read the case through the group's grant (handling sectors) or a basis of their
    own; leaving the group ends that access.
    """
    if case.adhoc_group_id is not None:
        raise ValidationError(_("Sagen har allerede en ad hoc-gruppe."))
    if coordinator.user is None or coordinator.municipality_id != case.municipality_id:
        raise ValidationError(
            {"coordinator": [_("Tovholderen skal have et login og høre til kommunen.")]}
        )
    body = forum_services.body_create(
        municipality=case.municipality,
        kind=BodyKind.AD_HOC,
        name=_("Ad hoc-gruppe, sag %(number)s") % {"number": case.pk},
        parent=case.responsible_body,
        purpose=_("Samarbejde om én ung."),
    )
    case.adhoc_group = body
    case.save(update_fields=["adhoc_group"])
    change = coordinator_apply(case=case, by=by, coordinator=coordinator.user)
    if not change:  # the case's coordinator already: only the seat is new
        group_coordinator_sync(case=case, by=by)
    grants.sync_case_grants(case)
    event_add(
        case,
        CaseEventKind.GROUP,
        by,
        "group_formed",
        name=coordinator.full_name,
        changes=[change] if change else [],
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
    event_add(case, CaseEventKind.GROUP, by, "member_added", name=str(person))
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
    if person.user_id is not None and person.user_id == case.coordinator_id:
        raise ValidationError(
            _(
                "%(name)s er tovholder for sagen og gruppen. Vælg først en anden tovholder, "
                "eller luk gruppen."
            )
            % {"name": person.full_name}
        )
    forum_services.membership_remove(membership=membership, by=by)
    for basis in _member_bases(case, [person.user_id] if person.user_id else []):
        basis_end(basis=basis, by=by, reason=BasisEndReason.MEMBER_LEFT)
    grants.sync_case_grants(case)
    event_add(case, CaseEventKind.GROUP, by, "member_removed", name=str(person))
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
    grants.sync_case_grants(case)
    try:
        with transaction.atomic():
            forum_services.body_delete(body=body)
    except ValidationError:
        pass  # kept empty for the meetings that name it
    event_add(case, CaseEventKind.GROUP, by, "group_closed")
    touch(case)
    log_case_update(case, by)

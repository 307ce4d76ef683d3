"""Delegated upkeep: a body's chair keeps its members current.

Administrators maintain every body of their municipalities (`forum.services`). A chair may
maintain the seats of the body they chair, within these rules:
- only a standing body of one municipality: not an ad-hoc group (its members are chosen on
  its case, each with a basis) and not a Kredsråd (it spans a police district);
- only people of the body's municipality, and a new external contact (no login) the chair
  adds to the directory for the body; private contact details are not theirs to enter;
- roles member and guest, and coordinator (tovholder) where members do not read cases. In a
  school team or §115 group a lead role hears of concerns before anyone has triaged them: the
  administrators give it, as they give the chair. A chair never hands the chair over, makes
  anyone chair, or ends a chair's seat (their own included): handing over is an
  administrator's act, so a body is never left without the chair an administrator chose.
Every change goes through the same services the administrators use, so the rules of who may
read cases run unchanged (`forum.grants`: a seat in a body that reads cases is logged as a
GRANT and mailed to the consultants; nobody seats themselves), and other apps' hooks on new
seats see a chair's seats too. Each change is also written to the access log as the chair's.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from forum import access, permissions, services
from forum.models import Body, Membership, MembershipRole, Person, Unit
from ssp.audit import audit_log
from ssp.models import AuditAction, User


def chair_roles(body: Body) -> list[str]:
    """The roles a chair may give in `body`."""
    if access.body_reads_cases(body):
        return [MembershipRole.MEMBER, MembershipRole.GUEST]
    return [MembershipRole.COORDINATOR, MembershipRole.MEMBER, MembershipRole.GUEST]


def _check_chair(*, body: Body, by: User) -> None:
    if not permissions.chairs_body(by, body):
        raise PermissionDenied


def _check_role(*, body: Body, role: str) -> None:
    if role not in chair_roles(body):
        labels = ", ".join(str(MembershipRole(r).label).lower() for r in chair_roles(body))
        raise ValidationError(
            {
                "role": _(
                    "Som formand kan du give rollerne: %(roles)s. Andre roller gives af "
                    "kommunens administrator."
                )
                % {"roles": labels}
            }
        )


def _check_not_chair_seat(membership: Membership) -> None:
    if membership.role == MembershipRole.CHAIR:
        raise ValidationError(
            {"role": _("Formandsposten skiftes eller afsluttes af kommunens administrator.")}
        )


def _log(
    *,
    by: User,
    action: AuditAction,
    obj: Membership | Person,
    body: Body,
    purpose: Callable[[], str],
) -> None:
    """The log is in the installation's language, whatever the request's."""
    with translation.override(settings.LANGUAGE_CODE):
        audit_log(
            user=by,
            action=action,
            obj=obj,
            municipality_id=body.municipality_id,
            purpose=purpose(),
        )


def _describe(membership: Membership) -> dict[str, str]:
    return {
        "person": membership.person.full_name,
        "role": str(MembershipRole(membership.role).label),
        "body": membership.body.name,
    }


@transaction.atomic
def chair_membership_add(*, body: Body, person: Person, role: str, by: User) -> Membership:
    """Seat a person of the body's municipality, as its chair."""
    _check_chair(body=body, by=by)
    _check_role(body=body, role=role)
    membership = services.membership_add(body=body, person=person, role=role, by=by)
    _log(
        by=by,
        action=AuditAction.CREATE,
        obj=membership,
        body=membership.body,
        purpose=lambda: (
            _("Formanden satte %(person)s ind som %(role)s i %(body)s") % _describe(membership)
        ),
    )
    return membership


@transaction.atomic
def chair_membership_change_role(*, membership: Membership, role: str, by: User) -> Membership:
    """Change a member's role, as the body's chair; never to or from chair."""
    body = membership.body
    _check_chair(body=body, by=by)
    stored = Membership.objects.select_for_update().get(pk=membership.pk)
    _check_not_chair_seat(stored)
    if stored.role not in chair_roles(body):
        raise ValidationError(
            {"role": _("Lederroller i organer, der behandler sager, skiftes af administratoren.")}
        )
    _check_role(body=body, role=role)
    membership = services.membership_change_role(membership=stored, role=role, by=by)
    _log(
        by=by,
        action=AuditAction.UPDATE,
        obj=membership,
        body=membership.body,
        purpose=lambda: (
            _("Formanden gav %(person)s rollen %(role)s i %(body)s") % _describe(membership)
        ),
    )
    return membership


@transaction.atomic
def chair_membership_remove(*, membership: Membership, by: User) -> None:
    """End a seat, as the body's chair; never a chair's."""
    _check_chair(body=membership.body, by=by)
    _check_not_chair_seat(membership)
    _log(
        by=by,
        action=AuditAction.DELETE,
        obj=membership,
        body=membership.body,
        purpose=lambda: (
            _("Formanden afsluttede %(person)s' plads (%(role)s) i %(body)s")
            % _describe(membership)
        ),
    )
    services.membership_remove(membership=membership, by=by)


@transaction.atomic
def chair_person_add(
    *,
    body: Body,
    by: User,
    full_name: str,
    sector: str,
    role: str = MembershipRole.MEMBER,
    job_title: str = "",
    unit: Unit | None = None,
    email: str = "",
    phone: str = "",
) -> Membership:
    """Add an external contact (no login) to the municipality's directory and seat them in
    the body, as its chair. Work contact details only: private ones are for the consultants
    and administrators to enter."""
    _check_chair(body=body, by=by)
    _check_role(body=body, role=role)
    person = services.person_create(
        municipality=body.municipality,
        full_name=full_name,
        sector=sector,
        job_title=job_title,
        unit=unit,
        email=email,
        phone=phone,
    )
    _log(
        by=by,
        action=AuditAction.CREATE,
        obj=person,
        body=body,
        purpose=lambda: (
            _("Formanden for %(body)s oprettede %(person)s i aktøroversigten")
            % {"body": body.name, "person": person.full_name}
        ),
    )
    return chair_membership_add(body=body, person=person, role=role, by=by)

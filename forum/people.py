"""The directory's people: adding, changing and removing them, and the one way a person is
given a login (`person_login_give`), which an administrator's "Opret person" and the sending of
held logins (`forum.logins`) share. Answering an invitation to join a municipality lives here
too, since it is the other half of giving a login.

`forum.services` re-exports these names, so callers may keep importing them from there.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forum import grants
from forum.invitations import invitation_send
from forum.models import (
    Affiliation,
    Body,
    HeldLogin,
    InvitationStatus,
    Membership,
    Municipality,
    MunicipalityInvitation,
    Person,
    Unit,
)
from forum.services import affiliation_set, body_groups_sync
from ssp.models import HANDLING_SECTORS, User
from ssp.services import user_invite

PERSON_FIELDS = (
    "full_name",
    "job_title",
    "sector",
    "unit",
    "email",
    "phone",
    "private_phone",
    "mobile",
    "private_address",
)


def person_validate(person: Person) -> None:
    if person.unit is not None and person.unit.municipality_id != person.municipality_id:
        raise ValidationError({"unit": _("Enheden skal høre til samme kommune.")})


@transaction.atomic
def person_create(
    *,
    municipality: Municipality,
    full_name: str,
    sector: str,
    job_title: str = "",
    unit: Unit | None = None,
    email: str = "",
    phone: str = "",
    private_phone: str = "",
    mobile: str = "",
    private_address: str = "",
    with_login: bool = False,
    invited_by: User | None = None,
    is_ssp_consultant: bool = False,
    is_administrator: bool = False,
) -> Person:
    """Add someone to the municipality's directory.

    With `with_login`, the work email becomes their login, with the municipal roles given
    (`person_login_give`, which says how each kind of address is treated).
    """
    person = Person(
        municipality=municipality,
        full_name=full_name.strip(),
        sector=sector,
        job_title=job_title.strip(),
        unit=unit,
        email=email.strip().lower(),
        phone=phone.strip(),
        private_phone=private_phone.strip(),
        mobile=mobile.strip(),
        private_address=private_address.strip(),
    )
    person_validate(person)
    person.save()
    if with_login:
        person_login_give(
            person=person,
            is_ssp_consultant=is_ssp_consultant,
            is_administrator=is_administrator,
            invited_by=invited_by,
        )
    return person


def person_login_check(
    *, person: Person, is_ssp_consultant: bool = False, invited_by: User | None
) -> None:
    """Refuse a login `person_login_give` would refuse, before anything is written: no work
    email, the consultant role for a sector that does not handle cases, or an address that
    already is another person's login (or pending invitation, or login being sent) in the
    municipality.

    The same statements run whether or not the address has an account anywhere (the
    account's existence must not show, not even in how long the check takes)."""
    if not person.email:
        raise ValidationError({"email": _("En person med login skal have en arbejdsmail.")})
    if is_ssp_consultant and person.sector not in HANDLING_SECTORS:
        # Judged by the sector typed in, for new and existing accounts alike (an existing
        # account's own sector must not decide the answer); accepting checks it again.
        grants.check_consultant(
            user=User(email=person.email, full_name=person.full_name, sector=person.sector),
            by=invited_by,
            was_consultant=False,
        )
    others = Person.objects.filter(municipality_id=person.municipality_id).exclude(pk=person.pk)
    in_use = others.filter(user__email__iexact=person.email).exists()
    pending = (
        MunicipalityInvitation.objects.filter(
            municipality_id=person.municipality_id,
            status=InvitationStatus.PENDING,
            user__email__iexact=person.email,
        )
        .exclude(person_id=person.pk)
        .exists()
    )
    # A login on its way (sent, its task not yet run) is as good as given.
    on_its_way = HeldLogin.objects.filter(
        person__in=others, person__email__iexact=person.email, queued_at__isnull=False
    ).exists()
    if in_use or pending or on_its_way:
        raise ValidationError(
            {"email": _("Der findes allerede en person med det login i kommunen.")}
        )


def person_login_give(
    *,
    person: Person,
    is_ssp_consultant: bool = False,
    is_administrator: bool = False,
    invited_by: User | None,
) -> None:
    """Give the saved directory entry `person` its login, with the municipal roles given:
    - a new address gets an account and the invitation to choose a password;
    - an account already affiliated with the municipality (the administrator sees it among
      the municipality's users) is linked, and the roles given are added to its own;
    - any other existing account (another municipality's) is not linked: it gets an
      invitation it accepts or declines signed in (`invitation_accept`), and only then is it
      linked and given the roles. The caller sees the same result as for a new address, and
      the person's page the same "invitation sent", so adding an email never tells whether
      it has an account.
    The one way a login is given: adding a person with a login (`person_create`) and sending
    a held login (`forum.logins`) both come here. Call inside a transaction."""
    person_login_check(person=person, is_ssp_consultant=is_ssp_consultant, invited_by=invited_by)
    municipality = person.municipality
    roles = {"is_ssp_consultant": is_ssp_consultant, "is_administrator": is_administrator}
    user = User.objects.filter(email__iexact=person.email).first()
    if user is None:
        user = User.objects.create_user(
            person.email, password=None, full_name=person.full_name, sector=person.sector
        )
        user_invite(user=user, invited_by=invited_by)
        person.user = user
        person.save(update_fields=["user"])
        _seats_take_effect(person=person, by=invited_by)
        affiliation_set(user=user, municipality=municipality, by=invited_by, **roles)
        return
    previous = Affiliation.objects.filter(user=user, municipality=municipality).first()
    if previous is None:
        invitation_send(person=person, user=user, invited_by=invited_by, **roles)
        return
    person.user = user
    person.save(update_fields=["user"])
    _seats_take_effect(person=person, by=invited_by)
    if (is_ssp_consultant and not previous.is_ssp_consultant) or (
        is_administrator and not previous.is_administrator
    ):
        affiliation_set(
            user=user,
            municipality=municipality,
            is_ssp_consultant=previous.is_ssp_consultant or is_ssp_consultant,
            is_administrator=previous.is_administrator or is_administrator,
            by=invited_by,
        )


def _seats_take_effect(*, person: Person, by: User | None) -> None:
    """The directory entry `person` was just linked to an account: the seats it held without
    one (an imported team member whose login was sent later) become the account's. Each is
    what a new seat is: nobody links themselves into a body whose members read cases (the
    self-seat rule), each such seat is logged and told to the consultants, and the bodies'
    groups, which hold the bodies' grants, take the account in."""
    seats = list(Membership.objects.filter(person=person).select_related("body", "person"))
    for seat in seats:
        grants.check_membership(body=seat.body, person=person, by=by)
    body_groups_sync([seat.body for seat in seats])
    for seat in seats:
        grants.membership_granted(membership=seat, by=by)


@transaction.atomic
def invitation_accept(*, invitation: MunicipalityInvitation, user: User) -> Affiliation:
    """The invited account's owner joins the municipality: their account is linked to the
    directory entry and given the invitation's roles (checked as `affiliation_set` checks
    them, with the inviting administrator as the one who gives them)."""
    invitation = _invitation_open_for_update(invitation=invitation, user=user)
    person = Person.objects.select_for_update().get(pk=invitation.person_id)
    if (
        person.user_id is not None
        or Person.objects.filter(municipality_id=invitation.municipality_id, user=user).exists()
    ):
        raise ValidationError(_("Du er allerede tilknyttet kommunen med en anden person."))
    person.user = user
    person.save(update_fields=["user"])
    _seats_take_effect(person=person, by=invitation.invited_by)
    previous = Affiliation.objects.filter(user=user, municipality=invitation.municipality).first()
    affiliation = affiliation_set(
        user=user,
        municipality=invitation.municipality,
        is_ssp_consultant=invitation.is_ssp_consultant
        or bool(previous and previous.is_ssp_consultant),
        is_administrator=invitation.is_administrator
        or bool(previous and previous.is_administrator),
        by=invitation.invited_by,
    )
    _invitation_answer(invitation, InvitationStatus.ACCEPTED)
    return affiliation


@transaction.atomic
def invitation_decline(*, invitation: MunicipalityInvitation, user: User) -> None:
    """The invited account stays out of the municipality; the directory entry stays, without
    a login, and its page keeps saying "invitation sent" (nothing tells the administrator
    that the address had an account)."""
    invitation = _invitation_open_for_update(invitation=invitation, user=user)
    _invitation_answer(invitation, InvitationStatus.DECLINED)


def _invitation_open_for_update(
    *, invitation: MunicipalityInvitation, user: User
) -> MunicipalityInvitation:
    locked = MunicipalityInvitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.user_id != user.pk or not locked.is_open():
        raise ValidationError(_("Invitationen er ikke længere åben."))
    return locked


def _invitation_answer(invitation: MunicipalityInvitation, status: str) -> None:
    invitation.status = status
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["status", "answered_at"])


@transaction.atomic
def person_update(*, person: Person, **fields: Any) -> Person:
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"person_update() cannot change {sorted(unknown)}")
    for name, value in fields.items():
        setattr(person, name, value.strip() if isinstance(value, str) else value)
    person_validate(person)
    person.save(update_fields=list(fields))
    if person.user_id and "full_name" in fields and person.user.full_name != person.full_name:
        person.user.full_name = person.full_name
        person.user.save(update_fields=["full_name"])
    return person


@transaction.atomic
def person_delete(*, person: Person) -> None:
    """Remove someone from the directory and from every body they sat in."""
    bodies = list(Body.objects.filter(memberships__person=person))
    person.delete()
    body_groups_sync(bodies)

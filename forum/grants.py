"""Roles that read cases: nobody gives one to themselves, and each one given is a disclosure.

Two roles let their holder read children's cases: a seat in a body whose members read cases
(which bodies do is the cases app's knowledge, asked through `forum.access`), and the SSP
consultant role, which reads every case of the municipality. So that administrators administer
and never read:
- nobody may give such a role to themselves, whichever door they use (the organisation pages,
  Django admin, a case page): another person must do it;
- only staff of a handling sector (`ssp.models.HANDLING_SECTORS`, docs/legal.md) may be SSP
  consultants: police and "other" read a case only through a recorded basis;
- every such role given by a person is written to the access log (`AuditAction.GRANT`) and
  mailed to the municipality's SSP consultants, who oversee who reads their cases. A change
  no person makes (`by=None`: the demo seed) is nobody's disclosure and is not logged.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from forum.access import body_reads_cases
from forum.models import Affiliation, Body, Membership, Municipality, Person
from ssp.audit import audit_log
from ssp.models import HANDLING_SECTORS, AuditAction, Sector, User
from ssp.notify.mail import email_send


def check_membership(*, body: Body, person: Person, by: User | None) -> None:
    """Refuse a seat that would let the acting user read cases they cannot read today."""
    if by is None or person.user_id is None or person.user_id != by.pk:
        return
    if body_reads_cases(body, unread_by=by):
        raise ValidationError({"person": self_seat_refusal(body)})


def self_seat_refusal(body: Body) -> str:
    return _(
        "Du kan ikke give dig selv en plads i %(body)s: organets medlemmer læser sager om børn "
        "og unge. Bed en anden administrator om at tilføje dig."
    ) % {"body": body.name}


def check_role_change(*, membership: Membership, role: str, by: User | None) -> None:
    """Refuse changing one's own role in a body that reads cases: a lead role hears of new
    concerns before anyone has triaged them."""
    if by is None or membership.person.user_id != by.pk:
        return
    # The stored role: a form may already have copied the new one onto the instance.
    stored = Membership.objects.filter(pk=membership.pk).values_list("role", flat=True).first()
    if stored == role:
        return
    if body_reads_cases(membership.body):
        raise ValidationError(
            {
                "role": _(
                    "Du kan ikke ændre din egen rolle i %(body)s: organets medlemmer læser sager "
                    "om børn og unge. Bed en anden administrator om det."
                )
                % {"body": membership.body.name}
            }
        )


def check_consultant(*, user: User, by: User | None, was_consultant: bool) -> None:
    """The SSP consultant role: never given to oneself, and only to a handling sector."""
    if not was_consultant and by is not None and by.pk == user.pk:
        raise ValidationError(
            {
                "is_ssp_consultant": _(
                    "Du kan ikke gøre dig selv til SSP-konsulent: rollen giver adgang til alle "
                    "kommunens bekymringer og sager. Bed en anden administrator om det."
                )
            }
        )
    if user.sector not in HANDLING_SECTORS:
        sectors = ", ".join(str(s.label) for s in Sector if s in HANDLING_SECTORS)
        raise ValidationError(
            {
                "is_ssp_consultant": _(
                    "Kun medarbejdere fra kommunens egne sektorer for børn og unge (%(sectors)s) "
                    "kan være SSP-konsulenter. %(name)s hører til sektoren %(sector)s og kan "
                    "kun læse en sag gennem et registreret grundlag."
                )
                % {
                    "sectors": sectors,
                    "name": user.full_name or user.email,
                    "sector": dict(Sector.choices).get(user.sector, user.sector),
                }
            }
        )


def membership_granted(*, membership: Membership, by: User | None) -> None:
    """Log and tell the consultants that someone with a login got a seat in a body that reads
    cases."""
    body, person = membership.body, membership.person
    if by is None or person.user_id is None or not body_reads_cases(body):
        return
    # The log and the email are in the installation's language, whatever the request's.
    with translation.override(settings.LANGUAGE_CODE):
        _membership_granted(membership, by)


def _membership_granted(membership: Membership, by: User) -> None:
    body, person = membership.body, membership.person
    # A Kredsråd spans a police district: the member's own municipality hears of it.
    municipality = body.municipality or person.municipality
    role = membership.get_role_display()
    audit_log(
        user=by,
        action=AuditAction.GRANT,
        obj=membership,
        municipality_id=municipality.pk,
        purpose=_("%(person)s fik rollen %(role)s i %(body)s, hvis medlemmer læser sager")
        % {"person": person.full_name, "role": role, "body": body.name},
    )
    _notify_consultants(
        municipality=municipality,
        by=by,
        grantee=person.user,
        grantee_name=person.full_name,
        what=_("%(role)s i %(body)s (%(kind)s)")
        % {"role": role, "body": body.name, "kind": body.get_kind_display()},
        path=body.get_absolute_url(),
    )


def consultant_granted(*, affiliation: Affiliation, by: User | None) -> None:
    """Log and tell the other consultants that someone became SSP consultant."""
    if by is None:
        return
    with translation.override(settings.LANGUAGE_CODE):
        _consultant_granted(affiliation, by)


def _consultant_granted(affiliation: Affiliation, by: User) -> None:
    user, municipality = affiliation.user, affiliation.municipality
    name = user.full_name or user.email
    audit_log(
        user=by,
        action=AuditAction.GRANT,
        obj=affiliation,
        municipality_id=municipality.pk,
        purpose=_("%(person)s blev SSP-konsulent i %(municipality)s og læser kommunens sager")
        % {"person": name, "municipality": municipality.name},
    )
    person = Person.objects.filter(municipality=municipality, user=user).first()
    _notify_consultants(
        municipality=municipality,
        by=by,
        grantee=user,
        grantee_name=name,
        what=_("SSP-konsulent i %(municipality)s") % {"municipality": municipality.name},
        path=(person or municipality).get_absolute_url(),
    )


def _notify_consultants(
    *,
    municipality: Municipality,
    by: User,
    grantee: User | None,
    grantee_name: str,
    what: str,
    path: str,
) -> None:
    """One email to each active SSP consultant of the municipality, but the one who acted and
    the one given the role. It names the staff involved and the role, never a young person."""
    recipients = list(
        User.objects.filter(
            is_active=True,
            affiliations__municipality=municipality,
            affiliations__is_ssp_consultant=True,
        )
        .exclude(pk__in=[by.pk, grantee.pk if grantee else by.pk])
        .values_list("email", flat=True)
    )
    if not recipients:
        return
    body = render_to_string(
        "forum/email/access_granted.txt",
        {
            "site_name": settings.SSP_SITE_NAME,
            "by": by.full_name or by.email,
            "grantee": grantee_name,
            "municipality": municipality.name,
            "what": what,
            "url": f"{settings.SSP_BASE_URL}{path}",
        },
    )
    subject = f"{settings.SSP_SITE_NAME}: " + _("Adgang til sager givet")
    email_send(to=recipients, subject=subject, body=body)

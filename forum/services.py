"""Every write to the organisation. Keyword-only functions named `<entity>_<verb>`.

Services validate what spans rows (the body hierarchy, who may sit in which body), keep each
body's auth group equal to the users among its members, and grant municipal roles through
`forum.permissions`. They raise `ValidationError` with a message a user can act on.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from forum import bodytypes, grants, hooks, permissions
from forum.models import (
    ALLOWED_PARENT_KINDS,
    Affiliation,
    Body,
    BodyKind,
    BodyType,
    Membership,
    MembershipChange,
    MembershipRole,
    Municipality,
    Person,
    PoliceDistrict,
    Unit,
)
from ssp.models import Sector, User

BODY_FIELDS = ("kind", "body_type", "name", "parent", "unit", "purpose", "meeting_rhythm")


def _reaches(start: Body | Unit | None, pk: int) -> bool:
    """Whether walking up the tree from `start` (itself included) reaches the row `pk`."""
    seen: set[int] = set()
    while start is not None and start.pk not in seen:
        if start.pk == pk:
            return True
        seen.add(start.pk)
        start = start.parent
    return False


def body_validate(body: Body) -> None:
    errors: dict[str, list[str]] = {}
    kind = BodyKind(body.kind)
    parent = body.parent
    # Under itself or under a body below it: either way the tree would become a cycle.
    if parent is not None and body.pk is not None and _reaches(parent, body.pk):
        errors.setdefault("parent", []).append(_("Et organ kan ikke høre under sig selv."))
    parent_kind = parent.kind if parent else None
    under_case_handler = kind == BodyKind.AD_HOC and parent is not None and parent.handles_cases
    if parent_kind not in ALLOWED_PARENT_KINDS[kind] and not under_case_handler:
        allowed = [BodyKind(k).label for k in ALLOWED_PARENT_KINDS[kind] if k is not None]
        if parent is None:
            message = _("%(kind)s skal høre under: %(allowed)s.") % {
                "kind": kind.label,
                "allowed": ", ".join(str(a) for a in allowed),
            }
        else:
            message = _("%(kind)s kan ikke høre under %(parent)s.") % {
                "kind": kind.label,
                "parent": BodyKind(parent.kind).label,
            }
        errors.setdefault("parent", []).append(message)
    if body.pk is not None:
        # A new kind must still be one the bodies already below it may sit under.
        for child_kind in body.children.order_by("kind").values_list("kind", flat=True).distinct():
            case_group = child_kind == BodyKind.AD_HOC and body.handles_cases
            if kind not in ALLOWED_PARENT_KINDS[BodyKind(child_kind)] and not case_group:
                errors.setdefault("kind", []).append(
                    _("%(kind)s kan ikke høre under %(parent)s.")
                    % {"kind": BodyKind(child_kind).label, "parent": kind.label}
                )
    if parent is not None and kind != BodyKind.KREDSRAAD:
        if parent.kind == BodyKind.KREDSRAAD:
            same_place = parent.police_district_id == body.municipality.police_district_id
        else:
            same_place = parent.municipality_id == body.municipality_id
        if not same_place:
            errors.setdefault("parent", []).append(
                _("Det overordnede organ skal høre til samme kommune eller politikreds.")
            )
    if kind == BodyKind.SCHOOL_TEAM:
        if body.unit is None:
            errors.setdefault("unit", []).append(
                _("Vælg den skole eller skoleafdeling, SSP-teamet hører til.")
            )
        elif body.unit.sector != Sector.SCHOOL:
            errors.setdefault("unit", []).append(_("Et SSP-team skal høre til en skoleenhed."))
    if body.unit is not None and body.unit.municipality_id != body.municipality_id:
        errors.setdefault("unit", []).append(_("Enheden skal høre til samme kommune."))
    for key, messages in bodytypes.body_type_errors(body).items():
        errors.setdefault(key, []).extend(messages)
    if body.name:
        same_name = Body.objects.filter(
            municipality_id=body.municipality_id,
            police_district_id=body.police_district_id,
            name__iexact=body.name,
        ).exclude(pk=body.pk)
        if same_name.exists():
            errors.setdefault("name", []).append(_("Der findes allerede et organ med det navn."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def body_create(
    *,
    kind: str = "",
    body_type: BodyType | None = None,
    member_municipalities: Iterable[Municipality] = (),
    name: str,
    municipality: Municipality | None = None,
    police_district: PoliceDistrict | None = None,
    parent: Body | None = None,
    unit: Unit | None = None,
    purpose: str = "",
    meeting_rhythm: str = "",
) -> Body:
    """Create a body and the auth group that will carry object permissions for its members.

    A Kredsråd belongs to a police district; every other body to a municipality, with a type
    of the municipality's (`body_type`, which sets the kind; by `kind` alone, the default
    type of that kind).
    """
    if body_type is not None:
        municipality = municipality or body_type.municipality
    kind, body_type = bodytypes.body_type_resolve(kind, body_type, municipality)
    if kind == BodyKind.KREDSRAAD:
        if police_district is None:
            raise ValidationError({"police_district": _("Vælg politikredsen.")})
        municipality = None
    elif municipality is None:
        raise ValidationError({"municipality": _("Vælg kommunen.")})
    else:
        police_district = None
    body = Body(
        kind=kind,
        body_type=body_type,
        name=name.strip(),
        municipality=municipality,
        police_district=police_district,
        parent=parent,
        unit=unit,
        purpose=purpose,
        meeting_rhythm=meeting_rhythm,
    )
    body_validate(body)
    # The group's name only has to be unique; it becomes "body:<pk>" once the body has one.
    body.group = Group.objects.create(name=f"body:new:{uuid.uuid4()}")
    body.save()
    body.group.name = f"body:{body.pk}"
    body.group.save(update_fields=["name"])
    if member_municipalities:
        bodytypes.body_member_municipalities_set(body=body, municipalities=member_municipalities)
    return body


@transaction.atomic
def body_update(
    *, body: Body, member_municipalities: Iterable[Municipality] | None = None, **fields: Any
) -> Body:
    unknown = set(fields) - set(BODY_FIELDS)
    if unknown:
        raise TypeError(f"body_update() cannot change {sorted(unknown)}")
    if body.municipality_id is not None and ("body_type" in fields or "kind" in fields):
        kind, chosen = fields.get("kind") or body.kind, fields.get("body_type")
        if chosen is None and body.body_type_id and body.body_type.kind == kind:
            chosen = body.body_type  # none chosen: the body keeps its own
        fields["kind"], fields["body_type"] = bodytypes.body_type_resolve(
            kind, chosen, body.municipality
        )
    changes_kind = "kind" in fields and fields["kind"] != body.kind
    if changes_kind and BodyKind.KREDSRAAD in (fields["kind"], body.kind):
        raise ValidationError({"kind": _("Et kredsråd kan ikke skifte type.")})
    for name, value in fields.items():
        setattr(body, name, value.strip() if isinstance(value, str) else value)
    body_validate(body)
    body.save(update_fields=list(fields))
    if member_municipalities is not None:
        bodytypes.body_member_municipalities_set(body=body, municipalities=member_municipalities)
    return body


@transaction.atomic
def body_delete(*, body: Body) -> None:
    """Delete a body that has no bodies under it; its memberships and group go with it."""
    if body.children.exists():
        raise ValidationError(_("Organet har andre organer under sig. Flyt eller slet dem først."))
    group = body.group
    try:
        with transaction.atomic():
            body.delete()
    except ProtectedError:
        # Other apps' records (a case it is responsible for, a meeting) still point at it.
        raise ValidationError(
            _("Organet kan ikke slettes, fordi der stadig er sager eller møder knyttet til det.")
        ) from None
    group.delete()


def body_groups_sync(bodies: Iterable[Body]) -> None:
    """Make each body's auth group hold exactly the active users among its members (also
    for writes that bring memberships in whole, such as the archive import)."""
    for body in bodies:
        wanted = set(
            Membership.objects.filter(
                body=body, person__user__isnull=False, person__user__is_active=True
            ).values_list("person__user_id", flat=True)
        )
        current = set(body.group.user_set.values_list("pk", flat=True))
        if wanted - current:
            body.group.user_set.add(*(wanted - current))
        if current - wanted:
            body.group.user_set.remove(*(current - wanted))


def _check_person_may_join(*, body: Body, person: Person) -> None:
    if body.municipality_id is not None:
        allowed = (
            person.municipality_id == body.municipality_id
            or body.member_municipalities.filter(pk=person.municipality_id).exists()
        )
    else:
        allowed = person.municipality.police_district_id == body.police_district_id
    if not allowed:
        raise ValidationError(
            {"person": _("Personen hører ikke til organets kommune eller politikreds.")}
        )


def membership_validate(*, body: Body, person: Person, by: User | None) -> None:
    """The rules a new seat must meet, for forms that check before saving (Django admin's
    inline): the person belongs to the body's place, and nobody seats themselves in a body
    that reads cases (`forum.grants`)."""
    _check_person_may_join(body=body, person=person)
    grants.check_membership(body=body, person=person, by=by)


@transaction.atomic
def membership_add(
    *, body: Body, person: Person, role: str = MembershipRole.MEMBER, by: User | None
) -> Membership:
    """Seat a person in a body. `by` is the person acting (None only for a system change, such
    as the demo seed): they may not seat themselves where members read cases, and a seat
    given there is logged and told to the consultants."""
    membership_validate(body=body, person=person, by=by)
    if Membership.objects.filter(body=body, person=person).exists():
        raise ValidationError({"person": _("Personen er allerede medlem af organet.")})
    membership = Membership.objects.create(body=body, person=person, role=role)
    MembershipChange.objects.create(body=body, person=person, new_role=role, by=by)
    body_groups_sync([body])
    grants.membership_granted(membership=membership, by=by)
    # The apps above (onboarding's welcome package) hear of every seat, however it was made.
    hooks.membership_added(membership=membership, by=by)
    return membership


def membership_role_validate(*, membership: Membership, role: str, by: User | None) -> None:
    """The rule a role change must meet, for forms that check before saving: nobody changes
    their own role in a body that reads cases."""
    grants.check_role_change(membership=membership, role=role, by=by)


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str, by: User | None) -> Membership:
    """Change a member's role; nobody changes their own where members read cases."""
    membership_role_validate(membership=membership, role=role, by=by)
    if membership.role != role:
        MembershipChange.objects.create(
            body=membership.body,
            person=membership.person,
            old_role=membership.role,
            new_role=role,
            by=by,
        )
    membership.role = MembershipRole(role)
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, by: User | None) -> None:
    """End a seat. `by` is asked for like the other membership services; leaving a body
    never widens anyone's access."""
    body = membership.body
    MembershipChange.objects.create(
        body=body, person=membership.person, old_role=membership.role, by=by
    )
    membership.delete()
    body_groups_sync([body])


@transaction.atomic
def unit_create(*, municipality: Municipality, **fields: Any) -> Unit:
    unit = Unit(municipality=municipality, **fields)
    unit_validate(unit)
    unit.save()
    return unit


@transaction.atomic
def unit_update(*, unit: Unit, **fields: Any) -> Unit:
    for name, value in fields.items():
        setattr(unit, name, value)
    unit_validate(unit)
    unit.save(update_fields=list(fields))
    return unit


def unit_validate(unit: Unit) -> None:
    errors: dict[str, list[str]] = {}
    if unit.parent is not None:
        if unit.parent.municipality_id != unit.municipality_id:
            errors["parent"] = [_("Den overordnede enhed skal høre til samme kommune.")]
        elif unit.pk is not None and _reaches(unit.parent, unit.pk):
            errors["parent"] = [_("En enhed kan ikke høre under sig selv.")]
    others = Unit.objects.filter(municipality=unit.municipality).exclude(pk=unit.pk)
    if others.filter(name__iexact=unit.name).exists():
        errors["name"] = [_("Kommunen har allerede en enhed med det navn.")]
    unit.code = unit.code.strip()
    if unit.code and others.filter(code__iexact=unit.code).exists():
        errors["code"] = [_("Kommunen har allerede en enhed med den kode.")]
    if errors:
        raise ValidationError(errors)


def affiliation_validate(
    *, user: User, municipality: Municipality, is_ssp_consultant: bool, by: User | None
) -> None:
    """The rules of the roles, for forms that check before saving (Django admin): the SSP
    consultant role is for handling sectors only and never given to oneself."""
    if not is_ssp_consultant:
        return
    was_consultant = Affiliation.objects.filter(
        user=user, municipality=municipality, is_ssp_consultant=True
    ).exists()
    grants.check_consultant(user=user, by=by, was_consultant=was_consultant)


@transaction.atomic
def affiliation_set(
    *,
    user: User,
    municipality: Municipality,
    is_ssp_consultant: bool = False,
    is_administrator: bool = False,
    by: User | None,
) -> Affiliation:
    """Affiliate a user with a municipality and grant exactly the roles given.

    `by` is the person acting (None only for a system change). The SSP consultant role reads
    every case of the municipality: it is refused to oneself and to police and "other"
    sectors, and giving it is logged and told to the other consultants."""
    previous = Affiliation.objects.filter(user=user, municipality=municipality).first()
    was_consultant = previous is not None and previous.is_ssp_consultant
    if is_ssp_consultant:
        grants.check_consultant(user=user, by=by, was_consultant=was_consultant)
    affiliation, _created = Affiliation.objects.update_or_create(
        user=user,
        municipality=municipality,
        defaults={"is_ssp_consultant": is_ssp_consultant, "is_administrator": is_administrator},
    )
    permissions.sync_municipality_roles(affiliation)
    _sync_admin_site_access(user)
    if is_ssp_consultant and not was_consultant:
        grants.consultant_granted(affiliation=affiliation, by=by)
    return affiliation


@transaction.atomic
def affiliation_remove(*, user: User, municipality: Municipality) -> None:
    Affiliation.objects.filter(user=user, municipality=municipality).delete()
    permissions.revoke_municipality_roles(user=user, municipality=municipality)
    _sync_admin_site_access(user)


def _sync_admin_site_access(user: User) -> None:
    """Municipal administrators may use Django admin, scoped to their municipalities."""
    if user.is_superuser:
        return
    is_admin = Affiliation.objects.filter(user=user, is_administrator=True).exists()
    if user.is_staff != is_admin:
        user.is_staff = is_admin
        user.save(update_fields=["is_staff"])


@transaction.atomic
def municipality_age_bands_set(
    *, municipality: Municipality, ssp_age_limit: int, ssp_plus_age_limit: int
) -> Municipality:
    """Set the ages SSP and SSP+ cover (local policy; the statistics count by them)."""
    if ssp_plus_age_limit < ssp_age_limit:
        raise ValidationError(
            {"ssp_plus_age_limit": _("SSP+ skal gå mindst lige så højt op i alder som SSP.")}
        )
    municipality.ssp_age_limit = ssp_age_limit
    municipality.ssp_plus_age_limit = ssp_plus_age_limit
    municipality.save(update_fields=["ssp_age_limit", "ssp_plus_age_limit"])
    return municipality


# The directory's people moved to `forum.people`; callers may keep naming them here. Looked up
# on first use, since `forum.people` itself builds on this module.
_PEOPLE = (
    "PERSON_FIELDS",
    "person_validate",
    "person_create",
    "person_login_check",
    "person_login_give",
    "person_update",
    "person_delete",
    "invitation_accept",
    "invitation_decline",
)


def __getattr__(name: str) -> Any:
    if name in _PEOPLE:
        from forum import people

        return getattr(people, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

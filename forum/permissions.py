"""Who may see and change what in the organisation. The only module here that uses guardian.

Staff see the organisation of the municipalities they are affiliated with (and the Kredsråd
of those municipalities' police districts). Municipal roles are granted as object
permissions on the municipality, derived from `Affiliation` by `sync_municipality_roles`.
Something a user may not see answers 404; something visible but not theirs to change, 403.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import BigIntegerField, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404
from guardian.models import UserObjectPermission
from guardian.shortcuts import assign_perm, get_objects_for_user, remove_perm

from forum.access import body_visibility
from forum.models import Affiliation, Body, BodyKind, Municipality, Person, Unit
from ssp.models import User
from ssp.permissions import is_platform_operator

AnyUser = User | AnonymousUser

# The one rule set: each municipal role and the object permissions it carries.
MUNICIPALITY_ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "is_administrator": ("forum.administer_municipality",),
    "is_ssp_consultant": ("forum.triage_municipality",),
}


def sync_municipality_roles(affiliation: Affiliation) -> None:
    """Grant or revoke the municipality permissions that the affiliation's roles carry."""
    user, municipality = affiliation.user, affiliation.municipality
    _forget_administrator_anywhere(user)
    for role, perms in MUNICIPALITY_ROLE_PERMISSIONS.items():
        for perm in perms:
            if getattr(affiliation, role):
                assign_perm(perm, user, municipality)
            else:
                remove_perm(perm, user, municipality)


def revoke_municipality_roles(*, user: User, municipality: Municipality) -> None:
    _forget_administrator_anywhere(user)
    for perms in MUNICIPALITY_ROLE_PERMISSIONS.values():
        for perm in perms:
            remove_perm(perm, user, municipality)


def municipalities_visible_to(user: AnyUser) -> QuerySet[Municipality]:
    if not user.is_authenticated:
        return Municipality.objects.none()
    if is_platform_operator(user):
        return Municipality.objects.all()
    return Municipality.objects.filter(affiliations__user=user)


def municipalities_administered_by(user: AnyUser) -> QuerySet[Municipality]:
    if not user.is_authenticated:
        return Municipality.objects.none()
    if is_platform_operator(user):
        return Municipality.objects.all()
    return get_objects_for_user(
        user,
        "forum.administer_municipality",
        klass=Municipality,
        accept_global_perms=False,
    )


def municipalities_triaged_by(user: AnyUser) -> QuerySet[Municipality]:
    """Municipalities whose concerns and cases the user triages as SSP consultant."""
    if not user.is_authenticated or not user.is_active:
        return Municipality.objects.none()
    return Municipality.objects.filter(pk__in=triaged_municipality_ids(user))


def triaged_municipality_ids(user: User) -> QuerySet:
    """The ids of the municipalities the user triages, read straight from guardian's table.

    Case visibility is built on this subquery: a plain index scan on the user's own grants,
    which PostgreSQL estimates as the handful of rows it is (guardian's generic
    `get_objects_for_user` query makes it guess three quarters of all municipalities, and
    then plan the case list for three quarters of all cases).
    """
    return (
        UserObjectPermission.objects.filter(
            user=user,
            permission__codename="triage_municipality",
            permission__content_type__app_label="forum",
            content_type__app_label="forum",
            content_type__model="municipality",
        )
        .annotate(municipality_id=Cast("object_pk", BigIntegerField()))
        .values("municipality_id")
    )


# The grant questions the main menu asks on every page of the SSP secretariat's staff and of
# the administrators, as statements of fixed text. Composed by the ORM they cost about 1 ms
# (triage) and 3 ms (guardian's `get_objects_for_user`, with the groups' grants) of Python on
# each request, against 0.1–0.2 ms in the database; fixed text is also what a server-side
# prepared statement needs to be planned once per connection. They read the same grants as
# `municipalities_triaged_by` and `municipalities_administered_by`, afresh on every call
# (tests/forum/test_grant_statements.py compares them for every persona).
_GRANTS_OF_USER = """
    SELECT g.object_pk::bigint FROM guardian_userobjectpermission g
    JOIN auth_permission p ON p.id = g.permission_id
    JOIN django_content_type t ON t.id = p.content_type_id
    WHERE g.user_id = %(user)s AND g.content_type_id = t.id
      AND t.app_label = 'forum' AND t.model = 'municipality' AND p.codename = %(codename)s
"""
_GRANTS_OF_GROUPS = """
    SELECT g.object_pk::bigint FROM guardian_groupobjectpermission g
    JOIN ssp_user_groups ug ON ug.group_id = g.group_id
    JOIN auth_permission p ON p.id = g.permission_id
    JOIN django_content_type t ON t.id = p.content_type_id
    WHERE ug.user_id = %(user)s AND g.content_type_id = t.id
      AND t.app_label = 'forum' AND t.model = 'municipality' AND p.codename = %(codename)s
"""
_TRIAGED_PKS_SQL = (
    f"SELECT m.id FROM forum_municipality m WHERE m.id IN ({_GRANTS_OF_USER}) ORDER BY m.id"  # noqa: S608 - constants
)
_ADMINISTERS_ANY_SQL = (
    "SELECT EXISTS (SELECT 1 FROM forum_municipality m WHERE m.id IN "  # noqa: S608 - constants
    f"({_GRANTS_OF_USER} UNION ALL {_GRANTS_OF_GROUPS}))"
)


def triaged_municipality_pks(user: AnyUser) -> list[int]:
    """The ids of `municipalities_triaged_by(user)`, in order, read afresh."""
    if not user.is_authenticated or not user.is_active:
        return []
    with connection.cursor() as cursor:
        cursor.execute(_TRIAGED_PKS_SQL, {"user": user.pk, "codename": "triage_municipality"})
        return [row[0] for row in cursor.fetchall()]


def _administers_any(user: AnyUser) -> bool:
    """`municipalities_administered_by(user).exists()`, grants to the user's groups included."""
    if not user.is_authenticated:
        return False
    if is_platform_operator(user):
        return True
    with connection.cursor() as cursor:
        cursor.execute(
            _ADMINISTERS_ANY_SQL, {"user": user.pk, "codename": "administer_municipality"}
        )
        return cursor.fetchone()[0]


_ADMINISTRATOR_ANYWHERE = "_ssp_is_administrator_anywhere"


def is_administrator_anywhere(user: AnyUser) -> bool:
    """Kept on the user object, which lives for one request, as Django keeps a user's model
    permissions: the main menu asks it for two items on every page an administrator opens,
    and their pages ask it again. The grant functions above forget it."""
    if not hasattr(user, _ADMINISTRATOR_ANYWHERE):
        setattr(user, _ADMINISTRATOR_ANYWHERE, _administers_any(user))
    return getattr(user, _ADMINISTRATOR_ANYWHERE)


def administrator_anywhere_if_known(user: AnyUser) -> bool | None:
    """`is_administrator_anywhere` if this request has asked it already, else None: for a
    rule that may leave out the administrators' part when the answer costs no query."""
    return getattr(user, _ADMINISTRATOR_ANYWHERE, None)


def _forget_administrator_anywhere(user: User) -> None:
    user.__dict__.pop(_ADMINISTRATOR_ANYWHERE, None)


def can_use_organisation_admin(user: AnyUser) -> bool:
    """Django admin's organisation pages: the platform operators, and the municipalities'
    administrators, who see only the rows of the municipalities they administer."""
    return user.is_active and (is_platform_operator(user) or is_administrator_anywhere(user))


def can_administer_municipality(user: AnyUser, municipality: Municipality | None) -> bool:
    if municipality is None or not user.is_authenticated or not user.is_active:
        return False
    if is_platform_operator(user):
        return True
    return user.has_perm("forum.administer_municipality", municipality)


def can_reset_second_factor(user: AnyUser, person: Person) -> bool:
    """Reset the two-factor login of the person's account (a lost phone), which also ends all
    its sessions.

    A platform operator may reset any account but their own. A municipal administrator may
    reset it only when they administer every municipality the account belongs to: an account
    shared with another municipality is that municipality's too, and one administrator must
    not be able to lock out or take over the other's staff. Never one's own account (a
    session left open on a shared computer could replace the app), never a platform
    operator's (the operators reset each other's), and only an account that has accepted
    its invitation (a pending one has nothing to reset).
    """
    if (
        person.user_id is None
        or person.user_id == user.pk
        or not user.is_authenticated
        or not user.is_active
        # Not taken into use yet: nothing to reset, and the page must not differ from that
        # of an existing account's invitation (see `Person.login_state`).
        or person.login_state != "active"
    ):
        return False
    if is_platform_operator(user):
        return True
    if not can_administer_municipality(user, person.municipality):
        return False
    if User.objects.filter(pk=person.user_id, is_superuser=True).exists():
        return False
    return (
        not Affiliation.objects.filter(user_id=person.user_id)
        .exclude(municipality__in=municipalities_administered_by(user))
        .exists()
    )


def can_see_private_contact(user: AnyUser, person: Person) -> bool:
    """A person's private phone and address: the municipality's administrators and SSP
    consultants, who may need them in an acute situation."""
    return (
        municipalities_administered_by(user).filter(pk=person.municipality_id).exists()
        or municipalities_triaged_by(user).filter(pk=person.municipality_id).exists()
    )


def can_administer_body(user: AnyUser, body: Body) -> bool:
    """A Kredsråd is maintained by administrators of any municipality in its police district.
    A body that spans other municipalities (a network group) by those of its own
    municipality only: they answer for it; the others' staff see it and may sit in it.
    An ad-hoc group belongs to its case: it is formed and its members chosen on the case, with
    a basis for each, never from the organisation pages."""
    if body.kind == BodyKind.AD_HOC:
        return False
    if body.municipality_id is not None:
        return can_administer_municipality(user, body.municipality)
    return (
        municipalities_administered_by(user)
        .filter(police_district_id=body.police_district_id)
        .exists()
    )


def bodies_administered_by(user: AnyUser) -> QuerySet[Body]:
    """Bodies of administered municipalities, and the Kredsråd of their police districts."""
    municipalities = municipalities_administered_by(user)
    return Body.objects.filter(
        Q(municipality__in=municipalities)
        | Q(
            municipality__isnull=True,
            police_district__in=municipalities.values("police_district"),
        )
    )


def body_ids_administered_by(user: AnyUser) -> tuple[QuerySet[Body], QuerySet[Body]]:
    """The ids of `bodies_administered_by` as two querysets, one index scan each, to go into a
    UNION: tested as one OR, PostgreSQL reads every body (50,000 at scale, 10 ms)."""
    municipalities = municipalities_administered_by(user)
    return (
        Body.objects.filter(municipality__in=municipalities.values("pk")).order_by().values("pk"),
        Body.objects.filter(
            municipality__isnull=True,
            police_district__in=municipalities.values("police_district"),
        )
        .order_by()
        .values("pk"),
    )


def bodies_visible_to(user: AnyUser) -> QuerySet[Body]:
    """The bodies of the user's municipalities and police districts, and the bodies that span
    one of the user's municipalities (a network group of the police district); an ad-hoc
    group only to those who read its case (the rule the cases app registers in
    `forum.access`), so its page never tells anyone else that a case exists."""
    municipalities = municipalities_visible_to(user)
    return Body.objects.filter(
        Q(municipality__in=municipalities)
        | Q(
            municipality__isnull=True,
            police_district__in=municipalities.values("police_district"),
        )
        | Q(pk__in=spanning_body_ids(municipalities)),
        body_visibility(user),
    )


def spanning_body_ids(municipalities: QuerySet[Municipality] | Municipality) -> QuerySet:
    """The ids of the bodies of other municipalities that span these, as a subquery."""
    through = Body.member_municipalities.through.objects
    if isinstance(municipalities, Municipality):
        return through.filter(municipality=municipalities).values("body_id")
    return through.filter(municipality__in=municipalities.values("pk")).values("body_id")


def units_visible_to(user: AnyUser) -> QuerySet[Unit]:
    return Unit.objects.filter(municipality__in=municipalities_visible_to(user))


def people_visible_to(user: AnyUser) -> QuerySet[Person]:
    return Person.objects.filter(municipality__in=municipalities_visible_to(user))


def visible_people_parts(user: AnyUser, *, only: int | None = None) -> list[QuerySet[Person]]:
    """`people_visible_to` as one part per visible municipality (only the municipality
    `only`, if the user sees it), for `ssp.pagination.keyset_page`: each part walks the
    `(municipality, full_name, id)` index to the page, whatever the number of people."""
    pks = municipalities_visible_to(user).values_list("pk", flat=True)
    if only is not None:
        pks = pks.filter(pk=only)
    return [Person.objects.filter(municipality_id=pk) for pk in pks]


def municipality_for_user_or_404(user: AnyUser, pk: int) -> Municipality:
    try:
        return municipalities_visible_to(user).get(pk=pk)
    except Municipality.DoesNotExist:
        raise Http404 from None


def body_for_user_or_404(user: AnyUser, pk: int) -> Body:
    try:
        return (
            bodies_visible_to(user)
            .select_related("municipality", "police_district", "parent", "unit", "body_type")
            .get(pk=pk)
        )
    except Body.DoesNotExist:
        raise Http404 from None


def unit_for_user_or_404(user: AnyUser, pk: int) -> Unit:
    try:
        return units_visible_to(user).select_related("municipality", "parent").get(pk=pk)
    except Unit.DoesNotExist:
        raise Http404 from None


def person_for_user_or_404(user: AnyUser, pk: int) -> Person:
    try:
        return people_visible_to(user).select_related("municipality", "unit").get(pk=pk)
    except Person.DoesNotExist:
        raise Http404 from None


# Delegated upkeep: a body's chair keeps its members current (forum/delegation.py).


def chairs_body(user: AnyUser, body: Body) -> bool:
    """Whether the user chairs the body (through their own person in its municipality).

    A chair maintains the members of a standing body of one municipality. Not of an ad-hoc
    group, whose members are chosen on its case with a basis each, and not of a Kredsråd,
    which spans a police district and is kept by the administrators."""
    if not user.is_authenticated or not user.is_active:
        return False
    if body.kind == BodyKind.AD_HOC or body.municipality_id is None:
        return False
    return body.memberships.filter(
        person__user=user, person__municipality_id=body.municipality_id, role="chair"
    ).exists()


def can_maintain_members(user: AnyUser, body: Body) -> bool:
    """Add, change and end seats: the body's administrators, and its chair."""
    return can_administer_body(user, body) or chairs_body(user, body)


# The spring confirmation of the actors' entries (forum/confirmations.py).


def municipalities_reviewing_entries(user: AnyUser) -> QuerySet[Municipality]:
    """Where the user follows the spring confirmation and reviews corrections: the editors of
    the ActionCard (the administrators) and the SSP consultants."""
    return Municipality.objects.filter(
        Q(pk__in=municipalities_administered_by(user).values("pk"))
        | Q(pk__in=municipalities_triaged_by(user).values("pk"))
    )


def can_review_entries(user: AnyUser, municipality: Municipality) -> bool:
    return municipalities_reviewing_entries(user).filter(pk=municipality.pk).exists()


def municipality_for_entry_review_or_404(user: AnyUser, pk: int) -> Municipality:
    """404 where the municipality is invisible, 403 where it is seen but not reviewed."""
    municipality = municipality_for_user_or_404(user, pk)
    if not can_review_entries(user, municipality):
        raise PermissionDenied
    return municipality

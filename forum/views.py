"""Pages of the organisation: the hierarchy, bodies, the actor directory, and their upkeep."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forum import delegation, logins, permissions, selectors, services
from forum.forms import (
    AgeBandsForm,
    BodyForm,
    DirectorySearchForm,
    MembershipAddForm,
    MembershipRoleForm,
    PersonForBodyForm,
    PersonForm,
    UnitForm,
)
from forum.models import Body, Membership, MembershipRole, Municipality
from ssp.navigation import crumbs
from ssp.pagination import CappedPaginator, keyset_list_page
from ssp.two_factor import second_factor_reset
from ssp.views.forms import form_page
from ssp.views.helpers import require, save_with_service

DIRECTORY_PAGE_SIZE = 25


def _trail(municipality: Municipality, obj: Model | None = None) -> list[tuple[object, str]]:
    """The breadcrumbs above an organisation form: the municipality, and the object edited."""
    trail: list[tuple[object, str]] = [(municipality.name, municipality.get_absolute_url())]
    if obj is not None:
        # Named now: a form that passes its own checks copies the input onto its instance
        # before the service may refuse it, and the crumb should name the object as saved.
        trail.append((str(obj), obj.get_absolute_url()))  # type: ignore[attr-defined]
    return trail


@login_required
def index(request: HttpRequest) -> HttpResponse:
    municipalities = list(permissions.municipalities_visible_to(request.user))
    can_set_up = permissions.is_platform_operator(request.user)
    if len(municipalities) == 1 and not can_set_up:
        return redirect(municipalities[0])
    context = {"municipalities": municipalities, "can_set_up": can_set_up}
    return render(request, "forum/index.html", context)


@login_required
def organisation(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = permissions.municipality_for_user_or_404(request.user, municipality_id)
    context = {
        "municipality": municipality,
        "tree": selectors.body_tree(municipality),
        "body_types": selectors.body_types_of(municipality),
        "breadcrumbs": crumbs((_("Organisation"), reverse("forum:index")), municipality.name),
        "can_administer": permissions.can_administer_municipality(request.user, municipality),
    }
    return render(request, "forum/organisation.html", context)


def _body_page(
    request: HttpRequest, body: Body, *, add_form: MembershipAddForm | None = None
) -> HttpResponse:
    can_administer = permissions.can_administer_body(request.user, body)
    # A chair maintains the seats of their own body, within `forum.delegation`'s rules.
    as_chair = not can_administer and permissions.chairs_body(request.user, body)
    can_maintain = can_administer or as_chair
    trail: list[tuple[object, str]] = [(_("Organisation"), reverse("forum:index"))]
    if body.municipality:
        # A Kredsråd spans several municipalities.
        trail.append((body.municipality.name, body.municipality.get_absolute_url()))
    role_choices = Membership._meta.get_field("role").choices
    if as_chair:
        allowed = delegation.chair_roles(body)
        role_choices = [(value, label) for value, label in role_choices if value in allowed]
    context = {
        "body": body,
        "members": selectors.body_members(body),
        "history": selectors.membership_history(request.user, body=body),
        "children": selectors.body_children(body, request.user),
        "spans": [m.name for m in body.member_municipalities.order_by("name")],
        "can_administer": can_administer,
        "can_maintain": can_maintain,
        "as_chair": as_chair,
        "add_form": add_form
        or (
            MembershipAddForm(body=body, by=request.user, roles=role_choices)
            if can_maintain
            else None
        ),
        "role_choices": role_choices,
        "chair_roles": [value for value, _label in role_choices] if as_chair else [],
        "breadcrumbs": crumbs(*trail, body.name),
    }
    template = "forum/partials/members.html" if request.htmx else "forum/body_detail.html"
    # htmx swaps only 2xx answers, so a refused inline form comes back as 200 with its errors.
    refused = add_form is not None and bool(add_form.errors) and not request.htmx
    return render(request, template, context, status=422 if refused else 200)


def _as_chair(request: HttpRequest, body: Body) -> bool:
    """Whether the user maintains the body's seats as its chair (False: as administrator);
    403 for anyone else who sees the body."""
    if permissions.can_administer_body(request.user, body):
        return False
    require(permissions.chairs_body(request.user, body))
    return True


@login_required
def body_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _body_page(request, permissions.body_for_user_or_404(request.user, pk))


@login_required
def body_create(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = permissions.municipality_for_user_or_404(request.user, municipality_id)
    require(permissions.can_administer_municipality(request.user, municipality))
    form = BodyForm(request.POST or None, municipality=municipality)
    return form_page(
        request,
        form,
        trail=_trail(municipality),
        heading=_("Opret organ"),
        save=lambda data: services.body_create(municipality=municipality, **data),
        done=lambda body: _("Organet %(name)s er oprettet.") % {"name": body.name},
        back=municipality.get_absolute_url(),
    )


@login_required
def body_edit(request: HttpRequest, pk: int) -> HttpResponse:
    body = permissions.body_for_user_or_404(request.user, pk)
    require(permissions.can_administer_body(request.user, body))
    if body.municipality is None:
        # A Kredsråd spans several municipalities and is kept in Django admin.
        return redirect("admin:forum_body_change", body.pk)
    form = BodyForm(request.POST or None, instance=body, municipality=body.municipality)
    return form_page(
        request,
        form,
        trail=_trail(body.municipality, body),
        heading=_("Rediger organ"),
        save=lambda data: services.body_update(body=Body.objects.get(pk=body.pk), **data),
        done=_("Ændringerne er gemt."),
        back=body.get_absolute_url(),
    )


@login_required
@require_POST
def membership_add(request: HttpRequest, pk: int) -> HttpResponse:
    body = permissions.body_for_user_or_404(request.user, pk)
    add = delegation.chair_membership_add if _as_chair(request, body) else services.membership_add
    form = MembershipAddForm(request.POST, body=body, by=request.user)
    membership = save_with_service(
        request, form, lambda data: add(body=body, by=request.user, **data)
    )
    if membership is None:
        return _body_page(request, body, add_form=form)
    messages.success(
        request, _("%(person)s er tilføjet som medlem.") % {"person": membership.person.full_name}
    )
    return _body_page(request, body) if request.htmx else redirect(body)


def _membership_for_maintainer(
    request: HttpRequest, pk: int, membership_id: int
) -> tuple[Membership, bool]:
    """The membership of the body, and whether the user acts as its chair."""
    body = permissions.body_for_user_or_404(request.user, pk)
    as_chair = _as_chair(request, body)
    membership = get_object_or_404(
        Membership.objects.select_related("person", "body"), pk=membership_id, body=body
    )
    return membership, as_chair


@login_required
def person_for_body(request: HttpRequest, pk: int) -> HttpResponse:
    """A chair (or administrator) adds a new external contact, without a login, to the
    directory and seats them in the body."""
    body = permissions.body_for_user_or_404(request.user, pk)
    as_chair = _as_chair(request, body)
    require(body.municipality is not None)
    roles = delegation.chair_roles(body) if as_chair else list(MembershipRole.values)
    form = PersonForBodyForm(request.POST or None, body=body, roles=roles)

    def save(data: dict) -> Membership:
        if as_chair:
            return delegation.chair_person_add(body=body, by=request.user, **data)
        role = data.pop("role")
        person = services.person_create(municipality=body.municipality, **data)
        return services.membership_add(body=body, person=person, role=role, by=request.user)

    return form_page(
        request,
        form,
        trail=_trail(body.municipality, body),
        heading=_("Tilføj en ny kontaktperson til %(body)s") % {"body": body.name},
        save=save,
        done=lambda membership: (
            _("%(name)s er oprettet og tilføjet som medlem.")
            % {"name": membership.person.full_name}
        ),
        back=body.get_absolute_url(),
        next_url=body.get_absolute_url(),
    )


@login_required
@require_POST
def membership_role(request: HttpRequest, pk: int, membership_id: int) -> HttpResponse:
    membership, as_chair = _membership_for_maintainer(request, pk, membership_id)
    change = (
        delegation.chair_membership_change_role if as_chair else services.membership_change_role
    )
    form = MembershipRoleForm(request.POST, instance=membership)
    if save_with_service(
        request,
        form,
        lambda data: change(membership=membership, role=data["role"], by=request.user),
    ):
        messages.success(request, _("Rollen er ændret."))
    else:
        # A valid role the service refused (one's own, where members read cases) says why.
        valid = request.POST.get("role") in MembershipRole.values and form.errors.get("role")
        messages.error(request, form.errors["role"][0] if valid else _("Vælg en gyldig rolle."))
    return _body_page(request, membership.body) if request.htmx else redirect(membership.body)


@login_required
@require_POST
def membership_remove(request: HttpRequest, pk: int, membership_id: int) -> HttpResponse:
    membership, as_chair = _membership_for_maintainer(request, pk, membership_id)
    body = membership.body
    try:
        if as_chair:
            delegation.chair_membership_remove(membership=membership, by=request.user)
        else:
            services.membership_remove(membership=membership, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _("%(person)s er fjernet fra organet.") % {"person": membership.person.full_name},
        )
    return _body_page(request, body) if request.htmx else redirect(body)


@login_required
def directory(request: HttpRequest) -> HttpResponse:
    municipalities = permissions.municipalities_visible_to(request.user)
    form = DirectorySearchForm(request.GET or None, municipalities=municipalities)
    filters = {}
    if form.is_bound:
        # A malformed filter (a stale bookmark, an edited URL) is left out of cleaned_data and
        # shown as an error; the valid ones still apply.
        form.is_valid()
        filters = form.cleaned_data
    criteria = {
        "user": request.user,
        "query": filters.get("q", ""),
        "sector": filters.get("sector", ""),
        "municipality": filters.get("municipality"),
    }
    # People by keyset pages ("Næste"/"Forrige" carry the last name shown) and a capped
    # count, so the page costs the same for 1,000 or 100,000 people.
    people = keyset_list_page(
        request,
        selectors.directory_people_parts(**criteria),
        order=selectors.DIRECTORY_ORDER,
        per_page=DIRECTORY_PAGE_SIZE,
    )
    people.object_list = list(selectors.directory_people_rows(people.object_list))
    units = CappedPaginator(selectors.directory_units(**criteria), DIRECTORY_PAGE_SIZE).get_page(
        request.GET.get("enheder-side")
    )
    # The units' pages keep the people's page (and the other way round).
    query_string = request.GET.copy()
    query_string.pop("enheder-side", None)
    context = {
        "form": form,
        "people": people,
        "units": units,
        "query_string": query_string.urlencode(),
    }
    template = "forum/partials/directory_results.html" if request.htmx else "forum/directory.html"
    return render(request, template, context)


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = permissions.person_for_user_or_404(request.user, pk)
    context = {
        "person": person,
        "login_state": person.login_state,
        "memberships": selectors.bodies_of_person(person, request.user),
        "history": selectors.membership_history(request.user, person=person),
        "can_administer": permissions.can_administer_municipality(
            request.user, person.municipality
        ),
        "show_private_contact": permissions.can_see_private_contact(request.user, person),
        "can_reset_second_factor": permissions.can_reset_second_factor(request.user, person),
        "breadcrumbs": crumbs((_("Aktører"), reverse("forum:directory")), person.full_name),
    }
    return render(request, "forum/person_detail.html", context)


@login_required
@require_POST
def person_second_factor_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """A lost phone: the person's account sets up a new authenticator at its next sign-in."""
    person = permissions.person_for_user_or_404(request.user, pk)
    require(permissions.can_reset_second_factor(request.user, person))
    second_factor_reset(user=person.user, by=request.user)
    messages.success(
        request,
        _(
            "Totrinslogin for %(name)s er nulstillet, og personen er logget af overalt. "
            "Næste gang personen logger ind, sætter vedkommende en ny godkendelsesapp op."
        )
        % {"name": person.full_name},
    )
    return redirect(person)


@login_required
def person_create(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = permissions.municipality_for_user_or_404(request.user, municipality_id)
    require(permissions.can_administer_municipality(request.user, municipality))
    form = PersonForm(request.POST or None, municipality=municipality)
    return form_page(
        request,
        form,
        trail=_trail(municipality),
        heading=_("Opret person"),
        # The login, if any, goes out as a held login sent at once (`forum.logins`).
        save=lambda data: logins.person_create_invited(
            municipality=municipality, invited_by=request.user, **data
        ),
        done=lambda person: (
            (
                _("%(name)s er oprettet og har fået en invitation på arbejdsmailen.")
                if person.login_state == "invited"
                else _("%(name)s er oprettet.")
            )
            % {"name": person.full_name}
        ),
        back=municipality.get_absolute_url(),
    )


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = permissions.person_for_user_or_404(request.user, pk)
    require(permissions.can_administer_municipality(request.user, person.municipality))
    form = PersonForm(request.POST or None, instance=person, municipality=person.municipality)
    return form_page(
        request,
        form,
        trail=_trail(person.municipality, person),
        heading=_("Rediger person"),
        save=lambda data: services.person_update(
            person=permissions.person_for_user_or_404(request.user, pk),
            **{k: v for k, v in data.items() if k in form.changed_data},
        ),
        done=_("Ændringerne er gemt."),
        back=person.get_absolute_url(),
    )


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = permissions.unit_for_user_or_404(request.user, pk)
    context = {
        "unit": unit,
        "people": selectors.unit_people(unit),
        "breadcrumbs": crumbs((_("Aktører"), reverse("forum:directory")), unit.name),
        "can_administer": permissions.can_administer_municipality(request.user, unit.municipality),
    }
    return render(request, "forum/unit_detail.html", context)


@login_required
def unit_create(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = permissions.municipality_for_user_or_404(request.user, municipality_id)
    require(permissions.can_administer_municipality(request.user, municipality))
    form = UnitForm(request.POST or None, municipality=municipality)
    return form_page(
        request,
        form,
        trail=_trail(municipality),
        heading=_("Opret enhed"),
        save=lambda data: services.unit_create(municipality=municipality, **data),
        done=lambda unit: _("Enheden %(name)s er oprettet.") % {"name": unit.name},
        back=municipality.get_absolute_url(),
    )


@login_required
def age_bands(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = permissions.municipality_for_user_or_404(request.user, municipality_id)
    require(permissions.can_administer_municipality(request.user, municipality))
    form = AgeBandsForm(request.POST or None, instance=municipality)
    return form_page(
        request,
        form,
        trail=_trail(municipality),
        heading=_("Aldersgrupper for SSP og SSP+"),
        save=lambda data: services.municipality_age_bands_set(municipality=municipality, **data),
        done=_("Aldersgrupperne er gemt."),
        back=municipality.get_absolute_url(),
        next_url=municipality.get_absolute_url(),
    )


@login_required
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    unit = permissions.unit_for_user_or_404(request.user, pk)
    require(permissions.can_administer_municipality(request.user, unit.municipality))
    form = UnitForm(request.POST or None, instance=unit, municipality=unit.municipality)
    return form_page(
        request,
        form,
        trail=_trail(unit.municipality, unit),
        heading=_("Rediger enhed"),
        save=lambda data: services.unit_update(
            unit=permissions.unit_for_user_or_404(request.user, pk), **data
        ),
        done=_("Ændringerne er gemt."),
        back=unit.get_absolute_url(),
    )

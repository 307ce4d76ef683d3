"""The administrator's pages for invitations held back (an import's people with logins) and
invitations not yet taken up: send them, choose whom, and send again."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forum import logins, permissions, selectors
from forum.models import Municipality, Person
from ssp.navigation import crumbs
from ssp.views.helpers import require


def _administered(request: HttpRequest, municipality_id: int) -> Municipality:
    municipality = permissions.municipality_for_user_or_404(request.user, municipality_id)
    require(permissions.can_administer_municipality(request.user, municipality))
    return municipality


def _person_administered(request: HttpRequest, pk: int) -> Person:
    person = permissions.person_for_user_or_404(request.user, pk)
    require(permissions.can_administer_municipality(request.user, person.municipality))
    return person


def _trail(municipality: Municipality, *more: object) -> list[object]:
    return crumbs(
        (_("Organisation"), reverse("forum:index")),
        (municipality.name, municipality.get_absolute_url()),
        *more,
    )


@login_required
def held_logins_index(request: HttpRequest) -> HttpResponse:
    """The menu's way in: the page of the one municipality the user administers, or a choice."""
    require(permissions.is_administrator_anywhere(request.user))
    municipalities = list(permissions.municipalities_administered_by(request.user).order_by("name"))
    if len(municipalities) == 1:
        return redirect("forum:held_logins", municipalities[0].pk)
    context = {
        "municipalities": municipalities,
        "breadcrumbs": crumbs(_("Invitationer, der venter")),
    }
    return render(request, "forum/held_logins_index.html", context)


@login_required
def held_logins(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = _administered(request, municipality_id)
    context = {
        "municipality": municipality,
        "waiting": list(selectors.held_logins_waiting(municipality)),
        "not_taken_up": list(selectors.logins_not_taken_up(municipality)),
        "breadcrumbs": _trail(municipality, _("Invitationer, der venter")),
    }
    return render(request, "forum/held_logins.html", context)


def _chosen_ids(request: HttpRequest) -> list[int] | None:
    """The rows chosen: None for all; ids that are not numbers are no row of anyone's."""
    if request.POST.get("all"):
        return None
    return [
        int(value)
        for value in request.POST.getlist("held")
        if value.isascii() and value.isdigit() and len(value) <= 18
    ]


@login_required
@require_POST
def held_logins_send(request: HttpRequest, municipality_id: int) -> HttpResponse:
    """First a confirmation naming how many go out, then the send and its result per person."""
    municipality = _administered(request, municipality_id)
    chosen = _chosen_ids(request)
    rows = selectors.held_logins_waiting(municipality)
    if chosen is not None:
        rows = rows.filter(pk__in=chosen)
    rows = list(rows)
    back = reverse("forum:held_logins", args=[municipality.pk])
    if not rows:
        messages.error(request, _("Vælg mindst én person, der venter på sin invitation."))
        return redirect(back)
    if request.POST.get("confirmed") != "yes":
        context = {
            "municipality": municipality,
            "rows": rows,
            "breadcrumbs": _trail(
                municipality, (_("Invitationer, der venter"), back), _("Send invitationer")
            ),
        }
        return render(request, "forum/held_logins_confirm.html", context)
    result = logins.held_logins_send(
        municipality=municipality, by=request.user, held_ids=[row.pk for row in rows]
    )
    context = {
        "municipality": municipality,
        "result": result,
        "breadcrumbs": _trail(municipality, (_("Invitationer, der venter"), back), _("Resultat")),
    }
    return render(request, "forum/held_logins_result.html", context)


@login_required
@require_POST
def person_login_send(request: HttpRequest, pk: int) -> HttpResponse:
    """Send one person's held login from their page."""
    person = _person_administered(request, pk)
    held = selectors.held_logins_waiting(person.municipality).filter(person=person).first()
    if held is None:
        messages.error(request, _("%(name)s har ingen invitation, der venter.") % _named(person))
        return redirect(person)
    result = logins.held_logins_send(
        municipality=person.municipality, by=request.user, held_ids=[held.pk]
    )
    if result.refused:
        messages.error(request, result.refused[0][1])
    elif result.sent:
        messages.success(request, _("Invitationen til %(name)s sendes nu.") % _named(person))
    else:
        messages.info(request, _("Invitationen til %(name)s er allerede på vej.") % _named(person))
    return redirect(person)


@login_required
@require_POST
def person_login_resend(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_administered(request, pk)
    try:
        logins.login_resend(person=person, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Invitationen til %(name)s er sendt igen til arbejdsmailen.") % _named(person),
        )
    if request.POST.get("back") == "list":
        return redirect("forum:held_logins", person.municipality_id)
    return redirect(person)


def _named(person: Person) -> dict[str, str]:
    return {"name": person.full_name}

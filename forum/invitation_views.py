"""The invited person's side of an invitation to join another municipality: the list of
their open invitations, and accepting or declining one (signed in as themselves)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forum import services
from forum.invitations import invitation_roles, invitations_open_for
from ssp.navigation import crumbs


@login_required
def invitations(request: HttpRequest) -> HttpResponse:
    open_invitations = list(invitations_open_for(request.user))
    for invitation in open_invitations:
        invitation.roles = invitation_roles(invitation)  # type: ignore[attr-defined]
    return render(
        request,
        "forum/invitations.html",
        {"invitations": open_invitations, "breadcrumbs": crumbs(_("Invitationer"))},
    )


@login_required
@require_POST
def invitation_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """Someone else's invitation, or one no longer open, is not there (404)."""
    invitation = invitations_open_for(request.user).filter(pk=pk).first()
    answer = request.POST.get("answer")
    if invitation is None or answer not in ("accept", "decline"):
        raise Http404
    try:
        if answer == "accept":
            services.invitation_accept(invitation=invitation, user=request.user)
            messages.success(
                request,
                _("Du er nu tilknyttet %(municipality)s.")
                % {"municipality": invitation.municipality.name},
            )
            return redirect(invitation.municipality)
        services.invitation_decline(invitation=invitation, user=request.user)
        messages.info(
            request,
            _("Du har afvist invitationen fra %(municipality)s.")
            % {"municipality": invitation.municipality.name},
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("forum:invitations")

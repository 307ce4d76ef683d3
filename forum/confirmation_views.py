"""The spring confirmation's pages: the actor's own page behind a signed link (no login), and
the overview where the consultants and the ActionCard's editors follow the round and review
corrections. Rules are in `forum/confirmations.py`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from forum import confirmations, permissions
from forum.confirmation_models import ConfirmationRound, EntryConfirmation, EntryCorrection
from forum.forms import EntryCorrectionForm
from ssp.navigation import crumbs
from ssp.views.helpers import save_with_service

# What a refused link tells its holder, and the status it answers with.
REFUSALS = {
    "invalid": (400, "forum/confirm/refused.html"),
    "expired": (410, "forum/confirm/refused.html"),
    "revoked": (410, "forum/confirm/refused.html"),
    "closed": (410, "forum/confirm/refused.html"),
}


@never_cache
def entry_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The actor's own entry: confirm it, or propose corrections for review."""
    try:
        confirmation = confirmations.confirmation_from_token(token)
    except confirmations.LinkRefused as refused:
        status, template = REFUSALS[refused.reason]
        return render(request, template, {"reason": refused.reason}, status=status)
    person = confirmation.person
    fields = confirmations.correction_fields(person)
    form = EntryCorrectionForm(person=person, fields=fields)
    status = 200
    if request.method == "POST":
        if request.POST.get("action") == "confirm":
            confirmations.entry_confirm(confirmation=confirmation)
            messages.success(request, _("Tak! Du har bekræftet, at dine oplysninger er rigtige."))
            return redirect(request.path)
        form = EntryCorrectionForm(request.POST, person=person, fields=fields)
        saved = save_with_service(
            request,
            form,
            lambda data: confirmations.entry_correct(
                confirmation=confirmation,
                changes={k: v for k, v in data.items() if k in fields},
                note=data.get("note", ""),
            ),
        )
        if saved is not None:
            messages.success(
                request,
                _(
                    "Tak! Dine rettelser er sendt til SSP-konsulenten, som retter handlekortet, "
                    "når de er gennemgået."
                ),
            )
            return redirect(request.path)
        status = 422
    context = {
        "confirmation": confirmation,
        "person": person,
        "seats": confirmations.standing_seats(person),
        "form": form,
        "pending": confirmation.corrections.filter(status="pending").first(),
    }
    response = render(request, "forum/confirm/entry.html", context, status=status)
    # The link is the key: no other site it leads to gets it ("no-referrer" would also make
    # the browser send "Origin: null" with the form, which Django's CSRF check refuses).
    response["Referrer-Policy"] = "same-origin"
    return response


@login_required
def entry_reviews(request: HttpRequest) -> HttpResponse:
    """The menu's way in: the year's overview of the user's municipality, or a choice."""
    municipalities = list(permissions.municipalities_reviewing_entries(request.user))
    year = timezone.localdate().year
    if len(municipalities) == 1:
        return redirect("forum:entry_review", municipalities[0].pk, year)
    return render(
        request,
        "forum/entry_reviews.html",
        {
            "municipalities": municipalities,
            "year": year,
            "breadcrumbs": crumbs(_("Bekræftelser")),
        },
    )


@login_required
def entry_review(request: HttpRequest, municipality_id: int, year: int) -> HttpResponse:
    municipality = permissions.municipality_for_entry_review_or_404(request.user, municipality_id)
    confirmation_round = ConfirmationRound.objects.filter(
        municipality=municipality, year=year
    ).first()
    rows = list(confirmations.round_overview(confirmation_round)) if confirmation_round else []
    for row in rows:
        for correction in row.pending_corrections:
            correction.changes = confirmations.correction_changes(correction)
    context = {
        "municipality": municipality,
        "year": year,
        "round": confirmation_round,
        "is_open": confirmation_round is not None
        and confirmation_round.is_open_on(timezone.localdate()),
        "rows": rows,
        "counts": confirmations.round_counts(confirmation_round) if confirmation_round else {},
        "can_start": confirmation_round is None and year == timezone.localdate().year,
        "breadcrumbs": crumbs(
            (_("Bekræftelser"), reverse("forum:entry_reviews")),
            _("Bekræftelser %(year)s") % {"year": year},
        ),
    }
    return render(request, "forum/entry_review.html", context)


@login_required
@require_POST
def entry_round_start(request: HttpRequest, municipality_id: int, year: int) -> HttpResponse:
    """Open this year's round now (the beat job opens it in its month otherwise)."""
    municipality = permissions.municipality_for_entry_review_or_404(request.user, municipality_id)
    if year != timezone.localdate().year:
        messages.error(request, _("Kun dette års runde kan startes."))
        return redirect("forum:entry_review", municipality.pk, year)
    try:
        confirmation_round = confirmations.round_open(municipality=municipality, year=year)
    except IntegrityError:
        # Two clicks at once: the other one opened it.
        confirmation_round = ConfirmationRound.objects.get(municipality=municipality, year=year)
    sent = confirmations.confirmations_send(confirmation_round=confirmation_round)
    messages.success(
        request, _("Runden er startet: %(count)s e-mails er på vej.") % {"count": sent}
    )
    return redirect("forum:entry_review", municipality.pk, year)


@login_required
@require_POST
def confirmation_resend(request: HttpRequest, pk: int) -> HttpResponse:
    confirmation = get_object_or_404(
        EntryConfirmation.objects.select_related("round", "person"), pk=pk
    )
    municipality = permissions.municipality_for_entry_review_or_404(
        request.user, confirmation.round.municipality_id
    )
    try:
        confirmations.confirmation_resend(confirmation=confirmation, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _("Et nyt link er sendt til %(name)s. Det forrige virker ikke længere.")
            % {"name": confirmation.person.full_name},
        )
    return redirect("forum:entry_review", municipality.pk, confirmation.round.year)


@login_required
@require_POST
def correction_decide(request: HttpRequest, pk: int) -> HttpResponse:
    correction = get_object_or_404(
        EntryCorrection.objects.select_related("confirmation__round", "confirmation__person"),
        pk=pk,
    )
    confirmation_round = correction.confirmation.round
    municipality = permissions.municipality_for_entry_review_or_404(
        request.user, confirmation_round.municipality_id
    )
    decision = request.POST.get("decision")
    name = correction.confirmation.person.full_name
    try:
        if decision == "accept":
            confirmations.correction_accept(correction=correction, by=request.user)
            messages.success(request, _("Rettelsen for %(name)s er godkendt.") % {"name": name})
        elif decision == "reject":
            confirmations.correction_reject(correction=correction, by=request.user)
            messages.success(request, _("Rettelsen for %(name)s er afvist.") % {"name": name})
        else:
            messages.error(request, _("Vælg godkend eller afvis."))
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect("forum:entry_review", municipality.pk, confirmation_round.year)

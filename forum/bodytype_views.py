"""The municipality's administrators keep its body types (`forum.bodytypes`)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forum import bodytypes, permissions
from forum.forms import BodyTypeForm
from forum.models import BodyType, Municipality
from forum.presets import TypeSpec
from ssp.views.forms import form_page
from ssp.views.helpers import require

INTRO = gettext_lazy(
    "En organtype er kommunens eget navn for en slags organ, fx »Lokal Følgegruppe« eller "
    "»Infohus«. Typen fungerer som en af SSP-organisationens faste organtyper og følger dens "
    "regler."
)


def _administered(request: HttpRequest, municipality_id: int) -> Municipality:
    municipality = permissions.municipality_for_user_or_404(request.user, municipality_id)
    require(permissions.can_administer_municipality(request.user, municipality))
    return municipality


def _back(municipality: Municipality) -> str:
    return f"{municipality.get_absolute_url()}#organtyper"


@login_required
def body_type_create(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = _administered(request, municipality_id)
    form = BodyTypeForm(request.POST or None)
    return form_page(
        request,
        form,
        trail=[(municipality.name, municipality.get_absolute_url())],
        heading=_("Ny organtype"),
        intro=str(INTRO),
        save=lambda data: bodytypes.body_type_create(
            municipality=municipality, spec=TypeSpec(**data)
        ),
        done=lambda body_type: _("Organtypen %(name)s er oprettet.") % {"name": body_type.name},
        back=_back(municipality),
        next_url=_back(municipality),
    )


@login_required
def body_type_edit(request: HttpRequest, municipality_id: int, pk: int) -> HttpResponse:
    municipality = _administered(request, municipality_id)
    body_type = get_object_or_404(BodyType, pk=pk, municipality=municipality)
    name = body_type.name
    form = BodyTypeForm(request.POST or None, instance=body_type)
    return form_page(
        request,
        form,
        trail=[(municipality.name, municipality.get_absolute_url())],
        heading=_("Rediger organtypen %(name)s") % {"name": name},
        save=lambda data: bodytypes.body_type_update(
            body_type=get_object_or_404(BodyType, pk=pk, municipality=municipality), **data
        ),
        done=_("Ændringerne er gemt."),
        back=_back(municipality),
        next_url=_back(municipality),
    )

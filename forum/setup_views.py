"""The platform operator's first-run set-up of a new municipality from a preset."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from forum import setup
from forum.forms import MunicipalitySetUpForm
from forum.models import Municipality
from ssp.permissions import is_platform_operator
from ssp.views.forms import form_page
from ssp.views.helpers import require


@login_required
def municipality_setup(request: HttpRequest) -> HttpResponse:
    """Platform operators only (Django superusers, `ssp.permissions.is_platform_operator`):
    everyone else is refused with 403, as the page holds nothing to hide."""
    require(is_platform_operator(request.user))
    form = MunicipalitySetUpForm(request.POST or None)
    created: list[Municipality] = []

    def save(data: dict) -> Municipality:
        created.append(setup.municipality_set_up(by=request.user, **data))
        return created[0]

    response = form_page(
        request,
        form,
        trail=[(_("Organisation"), reverse("forum:index"))],
        heading=_("Opret en ny kommune"),
        intro=_(
            "Vælg en skabelon for SSP-organisationen og invitér kommunens første "
            "SSP-konsulenter og administratorer. De får en mail med et link til at vælge "
            "adgangskode."
        ),
        submit=_("Opret kommunen og send invitationer"),
        save=save,
        done=lambda municipality: (
            _(
                "%(name)s er oprettet med sin organisation, og invitationerne er sendt. "
                "Importér nu enheder, personer og medlemskaber fra et regneark."
            )
            % {"name": municipality.name}
        ),
        back=reverse("forum:index"),
    )
    if not created:
        return response
    # First-run set-up, then import: on to the import page (the orgimport app, named by its
    # URL only), with the chosen preset's template offered first.
    url = reverse("orgimport:start", kwargs={"municipality_id": created[0].pk})
    return redirect(f"{url}?{urlencode({'skabelon': form.cleaned_data['preset']})}")

"""The platform operator's first-run set-up of a new municipality from a preset."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from forum import setup
from forum.forms import MunicipalitySetUpForm
from ssp.permissions import is_platform_operator
from ssp.views.forms import form_page
from ssp.views.helpers import require


@login_required
def municipality_setup(request: HttpRequest) -> HttpResponse:
    """Platform operators only (Django superusers, `ssp.permissions.is_platform_operator`):
    everyone else is refused with 403, as the page holds nothing to hide."""
    require(is_platform_operator(request.user))
    form = MunicipalitySetUpForm(request.POST or None)
    return form_page(
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
        save=lambda data: setup.municipality_set_up(by=request.user, **data),
        # First-run set-up, then import: the organisation page it leads to offers the
        # import of units, people and memberships (orgimport) with the preset's template.
        done=lambda municipality: (
            _(
                "%(name)s er oprettet med sin organisation, og invitationerne er sendt. "
                "Importér nu enheder, personer og medlemskaber med »Importér fra regneark«."
            )
            % {"name": municipality.name}
        ),
        back=reverse("forum:index"),
    )

"""Helpers the prevention views share: the body in question and the trail above a page."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from forum.models import Body
from forum.permissions import body_for_user_or_404
from prevention import permissions
from prevention.permissions import NO_PREVENTION_KINDS
from ssp.views.helpers import require


def prevention_trail(*steps: tuple[object, str]) -> list[tuple[object, str]]:
    """The breadcrumbs above a prevention page: "Forebyggelse", then `steps`."""
    return [(_("Forebyggelse"), reverse("prevention:index")), *steps]


def body_trail(body: Body) -> list[tuple[object, str]]:
    return prevention_trail((body.name, reverse("prevention:body", args=[body.pk])))


def _prevention_body(request: HttpRequest, body_id: int) -> Body:
    """A body of the organisation the user sees (else 404) that keeps prevention records."""
    body = body_for_user_or_404(request.user, body_id)
    if body.municipality_id is None or body.kind in NO_PREVENTION_KINDS:
        raise Http404
    return body


def readable_body(request: HttpRequest, body_id: int) -> Body:
    """404 if the user does not see the body, 403 if they see it but not its records."""
    body = _prevention_body(request, body_id)
    require(permissions.bodies_readable_by(request.user).filter(pk=body.pk).exists())
    return body


def writable_body(request: HttpRequest, body_id: int) -> Body:
    body = _prevention_body(request, body_id)
    require(permissions.can_log_for(request.user, body))
    return body


def led_body(request: HttpRequest, body_id: int) -> Body:
    body = _prevention_body(request, body_id)
    require(permissions.can_lead(request.user, body))
    return body


def safe_next(request: HttpRequest, default: str) -> str:
    """Where to go after a one-click action: the page it came from, if it is ours."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default

"""Small helpers shared by the views of every app."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest

from ssp.forms import DkfdsFormMixin

T = TypeVar("T")


def save_with_service(
    request: HttpRequest, form: DkfdsFormMixin, save: Callable[[dict], T]
) -> T | None:
    """Validate a posted form and hand its data to a service.

    Returns what the service returned, or None when the form (or the service, through a
    ValidationError) refused the input; the errors are then on the form, the input is kept,
    and the service's transaction has rolled back, so nothing is saved half-way.
    """
    if request.method != "POST" or not form.is_valid():  # type: ignore[attr-defined]
        return None
    try:
        return save(form.cleaned_data)  # type: ignore[attr-defined]
    except ValidationError as error:
        form.add_service_error(error)
        return None


def require(allowed: bool) -> None:
    """403 for something the user can see but may not do."""
    if not allowed:
        raise PermissionDenied

"""The form page: a form on a page of its own, saved through a service or shown again.

Every app's create and edit pages use it, so they look and answer alike: the heading, an
optional lead text, the form, a submit button and a cancel link; 422 with the user's input
kept when the form or the service refused it. A page that needs more (a side column, say)
extends `forms/form_page.html` and fills its blocks.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from django.contrib import messages
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ssp.navigation import crumbs
from ssp.views.helpers import save_with_service

T = TypeVar("T")

FORM_PAGE = "forms/form_page.html"


def form_page(
    request: HttpRequest,
    form: Form,
    *,
    heading: str,
    save: Callable[[dict], T],
    done: str | Callable[[T], str],
    back: str,
    trail: Sequence[tuple[object, str]] = (),
    next_url: str = "",
    title: str = "",
    intro: str = "",
    submit: str = "",
    template: str = FORM_PAGE,
    context: dict | None = None,
) -> HttpResponse:
    """Save the posted form through `save`, or show the page (again, with its errors).

    After saving, the user gets the `done` message (text, or made from what `save` returned)
    and goes to `next_url`, else to the saved object's page, else `back`; `back` is also
    where "Annuller" leads. `trail` is the breadcrumbs above this page, `(label, url)` each;
    the page's own crumb is its heading. `title` is the browser tab's, if not the heading.
    """
    saved = save_with_service(request, form, save)
    if saved is not None:
        messages.success(request, done(saved) if callable(done) else done)
        return redirect(next_url or getattr(saved, "get_absolute_url", lambda: back)())
    page = {
        "form": form,
        "heading": heading,
        "title": title or heading,
        "intro": intro,
        "submit": submit or _("Gem"),
        "back": back,
        "breadcrumbs": crumbs(*trail, heading) if trail else [],
        **(context or {}),
    }
    return render(request, template, page, status=422 if form.errors else 200)

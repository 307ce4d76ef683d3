"""The site's URLs and error handlers, plus a page that fails: the 500 page's test needs a
real request that raises, and the site has (we hope) no such page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from ssp.urls import handler400, handler403, handler404, handler500
from ssp.urls import urlpatterns as site_urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]

FAILING_PATH = "/test/fejler/"


class PlantedBug(Exception):
    pass


def fail(request: HttpRequest) -> HttpResponse:
    raise PlantedBug("a bug the test planted")


urlpatterns = [path(FAILING_PATH.strip("/") + "/", fail), *site_urlpatterns]

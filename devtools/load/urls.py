"""The app's URLs plus one trivial Django view, for the load test's baseline: the same server,
middleware and stack, with no work of the app's own."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("load/trivial/", trivial),
    path("", include("ssp.urls")),
]

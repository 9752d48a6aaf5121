"""The project's URLs plus one trivial view, served side by side for the benchmark."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def trivial(request: HttpRequest) -> HttpResponse:
    """The floor: a view through the same middleware that reads the body and stores nothing."""
    return HttpResponse(str(len(request.body)), content_type="text/plain")


urlpatterns = [
    path("bench/trivial/", trivial),
    path("", include("kanalvakt.urls")),
]

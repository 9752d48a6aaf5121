"""The project's URLs plus two trivial views, served side by side for the benchmark."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def trivial(request: HttpRequest) -> HttpResponse:
    """The floor: a view through the same middleware that reads the body and stores nothing."""
    return HttpResponse(str(len(request.body)), content_type="text/plain")


class LeanTrivialMiddleware:
    """`/bench/lean-trivial/` straight to the trivial view, past the rest of the middleware,
    exactly as `kanalvakt.inbox.webhooks.WebhookMiddleware` sends webhooks (the bench puts it
    in the same place): the floor of the webhook's own path."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == "/bench/lean-trivial/":
            response = trivial(request)
            response["Cache-Control"] = "no-store"
            return response
        return self.get_response(request)


urlpatterns = [
    path("bench/trivial/", trivial),
    path("", include("kanalvakt.urls")),
]

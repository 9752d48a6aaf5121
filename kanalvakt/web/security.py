"""Sign-in throttling, the admin's gate and no-store on pages with citizens' messages.

Throttling is django-axes: failed sign-ins are counted per account and per
address (`AXES_LOCKOUT_PARAMETERS`), on our sign-in page and the admin's
alike, and a lock-out lasts `LOGIN_LOCKOUT_MINUTES`, doubling for each
further lock-out within a day (`login_cool_off`).
"""

from __future__ import annotations

import datetime
import ipaddress
from collections.abc import Callable
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.models import AccessFailureLog
from django.conf import settings
from django.contrib.auth.views import PasswordResetView
from django.core.cache import cache
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

MAX_COOL_OFF = datetime.timedelta(hours=24)


def login_cool_off(request: HttpRequest | None = None) -> datetime.timedelta:
    """How long a lock-out lasts: the base time, doubled for each earlier lock-out of the
    same account or address in the last 24 hours."""
    base = datetime.timedelta(minutes=int(getattr(settings, "LOGIN_LOCKOUT_MINUTES", 15)))
    if request is None:
        return base
    limit = max(1, int(getattr(settings, "AXES_FAILURE_LIMIT", 5)))
    who = Q()
    address = getattr(request, "axes_ip_address", None)
    if address:
        who |= Q(ip_address=address)
    username = request.POST.get("username") if request.method == "POST" else None
    if username:
        who |= Q(username=username)
    if not who:
        return base
    since = timezone.now() - MAX_COOL_OFF
    failures: int = AccessFailureLog.objects.filter(who, attempt_time__gte=since).count()
    earlier_lockouts = max(0, failures // limit - 1)
    return min(base * (1 << min(earlier_lockouts, 10)), MAX_COOL_OFF)


class LoginThrottleBackend(AxesStandaloneBackend):  # type: ignore[misc]
    """Axes' check before the password is tried. Without a request (a management command,
    `Client.login` in a test) there is no one to throttle, so it steps aside."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        super().authenticate(request, username=username, password=password, **kwargs)
        return None


def client_address(request: HttpRequest) -> str:
    """The person's address: behind TRUSTED_PROXY_COUNT proxies, the one the first proxy
    appended to X-Forwarded-For (entries left of it are whatever the client sent);
    otherwise, or when the header is shorter than that, the connecting address."""
    remote = str(request.META.get("REMOTE_ADDR") or "")
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    header = str(request.META.get("HTTP_X_FORWARDED_FOR") or "")
    forwarded = [part.strip() for part in header.split(",") if part.strip()]
    if proxies <= 0 or len(forwarded) < proxies:
        return remote
    candidate = forwarded[-proxies]
    try:
        ipaddress.ip_address(candidate)
    except ValueError:
        return remote
    return candidate


def _client_in(request: HttpRequest, networks: list[str]) -> bool:
    address = client_address(request)
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(network, strict=False) for network in networks)


class AdminGateMiddleware:
    """The Django admin answers only to the networks in ADMIN_ALLOWED_NETWORKS; for anyone
    else its addresses do not exist (404)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        prefix = "/" + str(getattr(settings, "ADMIN_PATH", "")).strip("/") + "/"
        if prefix != "//" and request.path.startswith(prefix):
            # Forwarded by a proxy Kanalvakt was not told about (TRUSTED_PROXY_COUNT): the
            # connecting address is the proxy's, not the person's, so it proves nothing.
            unknown_proxy = "HTTP_X_FORWARDED_FOR" in request.META and not getattr(
                settings, "TRUSTED_PROXY_COUNT", 0
            )
            networks = list(getattr(settings, "ADMIN_ALLOWED_NETWORKS", []))
            if unknown_proxy or not _client_in(request, networks):
                raise Http404
        return self.get_response(request)


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every response that does not set its own caching:
    pages and downloads hold citizens' messages, which no browser or proxy may keep.
    Static files are served before this middleware (WhiteNoise) and stay cacheable."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store"
        return response


RESETS_PER_HOUR = 5


class ThrottledPasswordResetView(PasswordResetView):
    """The reset-by-e-mail form, at most RESETS_PER_HOUR mails per address asked for and per
    client address an hour, so nobody floods a mailbox or the mail server through it."""

    email_template_name = "registration/password_reset_email.txt"

    def form_valid(self, form: Any) -> HttpResponse:
        keys = [
            f"password-reset:mail:{str(form.cleaned_data['email']).strip().lower()}",
            f"password-reset:client:{client_address(self.request)}",
        ]
        for key in keys:
            cache.add(key, 0, timeout=3600)
            if cache.incr(key) > RESETS_PER_HOUR:
                form.add_error(
                    None, _("För många begäranden om nytt lösenord. Försök igen om en timme.")
                )
                return self.render_to_response(self.get_context_data(form=form), status=429)
        response: HttpResponse = super().form_valid(form)
        return response

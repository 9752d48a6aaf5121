"""Connection pages: every account's connection status, and connecting one account."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kanalvakt.intake.forms import ConnectionForm
from kanalvakt.intake.models import OAuthGrant
from kanalvakt.intake.oauth import oauth_finish, oauth_start, offers_oauth
from kanalvakt.intake.oauth_bluesky import bluesky_client
from kanalvakt.intake.selectors import (
    connection_for,
    connection_rows,
    get_connection_account_for_user,
)
from kanalvakt.intake.services import (
    connection_poll_soon,
    connection_set,
    may_connect,
    polling_platforms,
)
from kanalvakt.organisations.selectors import get_organisation_for_user
from kanalvakt.web.http import AuthenticatedHttpRequest


@login_required
@require_GET
def connection_list(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for_user(request, slug)
    return render(
        request,
        "intake/connections.html",
        {
            "organisation": organisation,
            "rows": connection_rows(organisation=organisation),
            "now": timezone.now(),
            "polling_platforms": polling_platforms(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def connection_edit(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    account = get_connection_account_for_user(request, slug, pk)
    connection = connection_for(account)
    allowed = may_connect(request.user, account)
    form = ConnectionForm(request.POST or None, connection=connection)
    if request.method == "POST":
        if not allowed:
            raise PermissionDenied
        if form.is_valid():
            try:
                connection_set(
                    actor=request.user,
                    account=account,
                    access_token=form.cleaned_data["access_token"] or "",
                    external_id=form.cleaned_data["external_id"] or "",
                    base_url=form.cleaned_data["base_url"] or "",
                    token_expires_at=form.expires_at(),
                    poll_enabled=bool(form.cleaned_data["poll_enabled"]),
                    poll_interval_minutes=form.cleaned_data["poll_interval_minutes"],
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("Anslutningen är sparad."))
                return redirect("intake:connection", slug=account.organisation.slug, pk=account.pk)
    return render(
        request,
        "intake/connection.html",
        {
            "organisation": account.organisation,
            "account": account,
            "connection": connection,
            "form": form,
            "allowed": allowed,
            "polls": account.platform in polling_platforms(),
            "offers_oauth": offers_oauth(account),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def connection_poll(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    account = get_connection_account_for_user(request, slug, pk)
    try:
        connection_poll_soon(actor=request.user, account=account)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Kontot hämtas inom en minut."))
    return redirect("intake:connection", slug=account.organisation.slug, pk=account.pk)


@login_required
@require_POST
def connection_oauth_start(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """Send the person to the platform's consent page for this account."""
    account = get_connection_account_for_user(request, slug, pk)
    callback = request.build_absolute_uri(reverse("intake:oauth_callback"))
    try:
        address = oauth_start(
            actor=request.user,
            account=account,
            redirect_uri=callback,
            base_url=request.POST.get("base_url", ""),
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("intake:connection", slug=account.organisation.slug, pk=account.pk)
    return HttpResponseRedirect(address)


@login_required
@require_GET
def oauth_callback(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Where the platform sends the person back with a code (or an error)."""
    state = request.GET.get("state", "")
    try:
        connection = oauth_finish(
            actor=request.user,
            state=state,
            code=request.GET.get("code", ""),
            error=request.GET.get("error_description") or request.GET.get("error", ""),
            iss=request.GET.get("iss", ""),
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        grant = OAuthGrant.objects.filter(state=state, actor=request.user).first()
        if grant is None:
            return redirect("web:home")
        return redirect(
            "intake:connection", slug=grant.account.organisation.slug, pk=grant.account_id
        )
    messages.success(request, _("Kontot är anslutet via plattformens inloggning."))
    return redirect(
        "intake:connection", slug=connection.organisation.slug, pk=connection.account_id
    )


@require_GET
def bluesky_client_metadata(request: HttpRequest) -> HttpResponse:
    """Kanalvakt's atproto OAuth client metadata: its address is the client id."""
    client = bluesky_client()
    if client is None:
        raise Http404
    return JsonResponse(client.metadata())


@require_GET
def bluesky_jwks(request: HttpRequest) -> HttpResponse:
    """The public half of Kanalvakt's client key (private_key_jwt)."""
    client = bluesky_client()
    if client is None:
        raise Http404
    return JsonResponse(client.key.jwks())

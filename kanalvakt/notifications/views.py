"""The person's notifications: the list, marking read, the e-mail preference."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kanalvakt.notifications import services
from kanalvakt.notifications.forms import PreferenceForm
from kanalvakt.web.actions import attempt
from kanalvakt.web.http import AuthenticatedHttpRequest


@login_required
def notification_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = PreferenceForm(
        request.POST or None, initial={"email": services.email_choice(request.user)}
    )
    if request.method == "POST":
        if form.is_valid() and attempt(
            request,
            lambda: services.notification_preference_set(
                actor=request.user, email=form.cleaned_data["email"]
            ),
            _("Inställningen är sparad."),
        ):
            return redirect("notifications:list")
    page = Paginator(services.notification_list(user=request.user), 50).get_page(
        request.GET.get("sida")
    )
    return render(
        request,
        "notifications/list.html",
        {"page": page, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def notifications_read(request: AuthenticatedHttpRequest) -> HttpResponse:
    one = request.POST.get("id", "")
    services.notifications_mark_read(user=request.user, ids=[int(one)] if one.isdigit() else None)
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("notifications:list")

"""The stand-in's own pages: what was done on it, and each demo account's public page.

Both carry the banner "Lokal ersättningsplattform – inte en riktig tjänst": the
stand-in is part of the demo, never a real social-media service.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from kanalvakt.demo.identities import standin_account_id
from kanalvakt.demo.standin.models import StandinEvent, StandinObject, StandinState
from kanalvakt.demo.standin.store import ACTION_LABELS
from kanalvakt.register.models import Account

BANNER = _("Lokal ersättningsplattform – inte en riktig tjänst")


def overview(request: HttpRequest) -> HttpResponse:
    events = list(StandinEvent.objects.exclude(action="upload")[:200])
    for event in events:
        event.label = ACTION_LABELS.get(event.action, event.action)  # type: ignore[attr-defined]
    # The demo's accounts: their address is their page here (see connect.py).
    accounts = Account.objects.filter(url__contains="/standin/p/")
    return render(
        request,
        "standin/overview.html",
        {
            "banner": BANNER,
            "events": events,
            "accounts": accounts.distinct()
            .select_related("organisation")
            .order_by("organisation__name", "platform", "handle"),
        },
    )


def public_page(request: HttpRequest, platform: str, handle: str) -> HttpResponse:
    account = Account.objects.filter(platform=platform, handle=handle).first()
    names = {handle}
    if account is not None:
        names.add(standin_account_id(account))
        names.add(f"urn:li:organization:{standin_account_id(account)}")
    posts = StandinObject.objects.filter(
        platform=platform, kind="post", account__in=names, state=StandinState.VISIBLE
    )[:50]
    return render(
        request,
        "standin/public.html",
        {
            "banner": BANNER,
            "account": account,
            "platform": platform,
            "handle": handle,
            "posts": posts,
        },
        status=200 if account is not None else 404,
    )

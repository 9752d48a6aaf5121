from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kanalvakt.intake.models import AccountConnection
from kanalvakt.lib.netguard import OutboundRefused, check_public_url


class ConnectionForm(forms.Form):
    external_id = forms.CharField(
        label=_("Plattformens id för kontot"),
        required=False,
        max_length=200,
        help_text=_("Sidans, kanalens eller användarens id. Tomt: id:t i registret."),
    )
    base_url = forms.URLField(
        label=_("Server"),
        required=False,
        max_length=300,
        help_text=_("Bara för Mastodon och Bluesky, t.ex. https://mastodon.nu."),
        assume_scheme="https",
    )
    access_token = forms.CharField(
        label=_("Åtkomsttoken"),
        required=False,
        max_length=4000,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_(
            "För Bluesky ett applösenord. Visas aldrig igen. "
            "Lämna tomt för att behålla den sparade."
        ),
    )
    token_expires_on = forms.DateField(
        label=_("Token går ut (datum)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Meta- och LinkedIn-token gäller 60 dagar."),
    )
    poll_enabled = forms.BooleanField(label=_("Hämta automatiskt"), required=False, initial=True)
    poll_interval_minutes = forms.IntegerField(
        label=_("Hämtningsintervall (minuter)"),
        required=False,
        min_value=1,
        max_value=1440,
        help_text=_("Tomt: standardintervallet."),
    )

    def __init__(self, *args: Any, connection: AccountConnection | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.connection = connection
        if connection is not None and not self.is_bound:
            self.initial.update(
                {
                    "external_id": connection.external_id,
                    "base_url": connection.base_url,
                    "token_expires_on": timezone.localtime(connection.token_expires_at).date()
                    if connection.token_expires_at
                    else None,
                    "poll_enabled": connection.poll_enabled,
                    "poll_interval_minutes": connection.poll_interval_minutes,
                }
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        has_token = self.connection is not None and self.connection.has_token
        if not has_token and not data.get("access_token"):
            self.add_error("access_token", _("Ange en åtkomsttoken för att ansluta kontot."))
        elif self._server_changes(data) and not data.get("access_token"):
            self.add_error(
                "access_token",
                _("Ange åtkomsttoken igen när servern byts: den sparade gällde den gamla servern."),
            )
        return data

    def clean_base_url(self) -> str:
        value = str(self.cleaned_data.get("base_url") or "").strip().rstrip("/")
        if value:
            try:
                check_public_url(value)
            except OutboundRefused as error:
                raise forms.ValidationError(str(error)) from error
        return value

    def _server_changes(self, data: dict[str, Any]) -> bool:
        if self.connection is None or "base_url" not in data:
            return False
        return str(data["base_url"] or "") != self.connection.base_url.rstrip("/")

    def expires_at(self) -> datetime.datetime | None:
        day = self.cleaned_data.get("token_expires_on")
        if day is None:
            return None
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(0, 0)))

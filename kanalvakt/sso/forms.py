from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kanalvakt.organisations.models import Role


class MappingForm(forms.Form):
    group = forms.CharField(
        label=_("Grupp i identitetstjänsten"),
        max_length=300,
        help_text=_(
            "Gruppens värde i inloggningens gruppanspråk, till exempel gruppens objekt-id i "
            "Entra ID eller gruppens sökväg i Keycloak."
        ),
    )
    role = forms.ChoiceField(label=_("Roll i Kanalvakt"), choices=Role.choices)

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kanalvakt.notifications.models import EmailChoice


class PreferenceForm(forms.Form):
    email = forms.ChoiceField(
        label=_("E-post om aviseringar"), choices=EmailChoice.choices, widget=forms.RadioSelect
    )

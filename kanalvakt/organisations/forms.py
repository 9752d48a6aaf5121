from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kanalvakt.organisations.models import Organisation, Role, User

EMPTY = _("Välj …")


class DateInput(forms.DateInput):
    input_type = "date"


def _people(organisation: Organisation) -> Any:
    return (
        User.objects.filter(memberships__organisation=organisation)
        .distinct()
        .order_by("last_name", "first_name")
    )


class MembershipForm(forms.Form):
    user = forms.ModelChoiceField(
        queryset=User.objects.none(), empty_label=EMPTY, label=_("Person")
    )
    role = forms.ChoiceField(choices=Role.choices, label=_("Roll"))

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = _people(organisation)  # type: ignore[attr-defined]


class AbsenceForm(forms.Form):
    user = forms.ModelChoiceField(
        queryset=User.objects.none(), empty_label=EMPTY, label=_("Person")
    )
    starts_on = forms.DateField(widget=DateInput, label=_("Från"))
    ends_on = forms.DateField(widget=DateInput, label=_("Till och med"))
    note = forms.CharField(max_length=200, required=False, label=_("Anteckning"))

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = _people(organisation)  # type: ignore[attr-defined]


class ApiTokenForm(forms.Form):
    name = forms.CharField(max_length=200, label=_("Vad nyckeln används till"))

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kanalvakt.organisations.models import Organisation, Role, Unit, User
from kanalvakt.records.models import RegistrationStatus
from kanalvakt.records.search import SearchFilters
from kanalvakt.register.models import Account


class RegisterForm(forms.Form):
    unit = forms.ModelChoiceField(
        queryset=Unit.objects.none(), required=False, label=_("Överlämna till enhet")
    )
    case_officer = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, label=_("Överlämna till handläggare")
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(organisation=organisation)  # type: ignore[attr-defined]
        self.fields["case_officer"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            memberships__organisation=organisation, memberships__role=Role.CASE_OFFICER
        ).distinct()


class ExemptForm(forms.Form):
    reason = forms.CharField(max_length=1000, label=_("Skäl att inte diarieföra"))


class HoldForm(forms.Form):
    reason = forms.CharField(max_length=1000, label=_("Skäl för bevarandespärr"))


class RecordsRequestForm(forms.Form):
    requester = forms.CharField(max_length=300, label=_("Sökande"))
    requester_contact = forms.CharField(max_length=300, required=False, label=_("Kontaktuppgift"))
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("Vad begärs"))


class SearchForm(forms.Form):
    q = forms.CharField(max_length=500, required=False, label=_("Sökord"))
    date_from = forms.DateField(
        required=False, label=_("Från och med"), widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        required=False, label=_("Till och med"), widget=forms.DateInput(attrs={"type": "date"})
    )
    account = forms.ModelChoiceField(
        queryset=Account.objects.none(),
        required=False,
        label=_("Konto"),
        empty_label=_("Alla konton"),
    )
    state = forms.ChoiceField(required=False, label=_("Diarieföring"))

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = Account.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation
        ).order_by("platform", "handle")
        self.fields["state"].choices = [("", _("Alla")), *RegistrationStatus.choices]  # type: ignore[attr-defined]

    def filters(self) -> SearchFilters:
        data = self.cleaned_data
        return SearchFilters(
            accounts=[data["account"].pk] if data.get("account") else [],
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            record_states=[data["state"]] if data.get("state") else [],
        )


class PhraseRedactionForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    phrase = forms.CharField(max_length=2000, label=_("Text att maskera"))
    ground = forms.CharField(max_length=300, required=False, label=_("Sekretessgrund"))


class PackageForm(forms.Form):
    format = forms.ChoiceField(
        choices=[("eark", "E-ARK SIP"), ("bagit", "BagIt")], label=_("Format")
    )
    date_from = forms.DateField(
        label=_("Från och med"), widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Till och med"), widget=forms.DateInput(attrs={"type": "date"})
    )

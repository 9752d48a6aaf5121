from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kanalvakt.organisations.models import Organisation, Unit, User
from kanalvakt.register.models import Account, AccountStatus, Platform
from kanalvakt.register.services import REGISTER_FIELDS

EMPTY = _("Välj …")

LANGUAGE_CHOICES = [("sv", _("svenska")), ("fi", _("finska")), ("en", _("engelska"))]


def _people(organisation: Organisation) -> Any:
    return (
        User.objects.filter(memberships__organisation=organisation)
        .distinct()
        .order_by("last_name", "first_name")
    )


class DateInput(forms.DateInput):
    input_type = "date"


class OpenRequestForm(forms.Form):
    unit = forms.ModelChoiceField(
        queryset=Unit.objects.none(), empty_label=EMPTY, label=_("Ansvarig enhet")
    )
    platform = forms.ChoiceField(choices=Platform.choices, label=_("Plattform"))
    handle = forms.CharField(max_length=200, label=_("Kontonamn"))
    display_name = forms.CharField(max_length=200, label=_("Visningsnamn"))
    url = forms.URLField(max_length=500, label=_("Adress"), assume_scheme="https")
    need = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("Behov"))
    goals = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("Mål och syfte"))
    audience = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("Målgrupp"))
    content = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("Innehåll"))
    responsible = forms.ModelChoiceField(
        queryset=User.objects.none(), empty_label=EMPTY, label=_("Kontoansvarig")
    )
    contact = forms.CharField(max_length=200, label=_("Kontaktuppgift"))
    languages = forms.MultipleChoiceField(
        choices=LANGUAGE_CHOICES, widget=forms.CheckboxSelectMultiple, label=_("Språk")
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = organisation.units.all()  # type: ignore[attr-defined]
        self.fields["responsible"].queryset = _people(organisation)  # type: ignore[attr-defined]


class CloseRequestForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), label=_("Varför ska kontot stängas?")
    )


class StepForm(forms.Form):
    note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label=_("Anteckning")
    )


class RejectForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("Skäl för avslag"))


class MandateForm(forms.Form):
    holder = forms.ModelChoiceField(
        queryset=User.objects.none(), empty_label=EMPTY, label=_("Uppdragstagare")
    )
    accounts = forms.ModelMultipleChoiceField(
        queryset=Account.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Konton som uppdraget gäller"),
    )
    scope = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), label=_("Uppdragets omfattning")
    )
    anchored_with = forms.CharField(
        max_length=200, required=False, label=_("Förankrat hos (namn och roll)")
    )
    anchored_on = forms.DateField(widget=DateInput, required=False, label=_("Förankrat den"))
    valid_from = forms.DateField(widget=DateInput, label=_("Gäller från"))
    valid_until = forms.DateField(
        widget=DateInput, required=False, label=_("Gäller till och med (frivilligt)")
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["holder"].queryset = _people(organisation)  # type: ignore[attr-defined]
        self.fields["accounts"].queryset = Account.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation,
            status__in=[AccountStatus.ACTIVE, AccountStatus.REQUESTED, AccountStatus.CLOSING],
        )


class RevokeForm(forms.Form):
    reason = forms.CharField(max_length=300, label=_("Skäl"))


class AdminForm(forms.Form):
    user = forms.ModelChoiceField(
        queryset=User.objects.none(), empty_label=EMPTY, label=_("Person")
    )
    is_web_manager = forms.BooleanField(required=False, label=_("Webbansvarig"))

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = _people(organisation)  # type: ignore[attr-defined]


class SubstituteForm(forms.Form):
    substitute = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, empty_label=_("Ingen"), label=_("Ersättare")
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["substitute"].queryset = _people(organisation)  # type: ignore[attr-defined]


class ProfileCheckForm(forms.Form):
    requirement = forms.CharField(max_length=60, widget=forms.HiddenInput)
    satisfied = forms.TypedChoiceField(
        choices=[("1", _("Uppfyllt")), ("0", _("Saknas"))],
        coerce=lambda value: value == "1",
        label=_("Bedömning"),
    )
    note = forms.CharField(max_length=300, required=False, label=_("Anteckning"))


class SecurityForm(forms.ModelForm[Account]):
    class Meta:
        model = Account
        fields = [
            "credentials_location",
            "two_factor_enabled",
            "password_changed_on",
            "login_email_kind",
        ]
        widgets = {"password_changed_on": DateInput}


class RegisterForm(forms.ModelForm[Account]):
    """What the public register says about an account."""

    languages = forms.MultipleChoiceField(
        choices=LANGUAGE_CHOICES, widget=forms.CheckboxSelectMultiple, label=_("Språk")
    )

    class Meta:
        model = Account
        fields = list(REGISTER_FIELDS)  # what `account_register_update` accepts
        labels = {
            "display_name": _("Visningsnamn"),
            "url": _("Adress"),
            "purpose": _("Syfte"),
            "audience": _("Målgrupp"),
            "purpose_fi": _("Syfte på finska"),
            "audience_fi": _("Målgrupp på finska"),
            "contact": _("Kontaktuppgift"),
        }
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "audience": forms.Textarea(attrs={"rows": 2}),
            "purpose_fi": forms.Textarea(attrs={"rows": 3}),
            "audience_fi": forms.Textarea(attrs={"rows": 2}),
        }

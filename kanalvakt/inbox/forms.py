"""Forms of the inbox pages. They validate input; services do the work."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _

from kanalvakt.inbox.intent import Intent
from kanalvakt.inbox.models import EntryState
from kanalvakt.inbox.triggers import Trigger
from kanalvakt.organisations.models import Organisation, User
from kanalvakt.register.models import Account


class FilterForm(forms.Form):
    account = forms.ModelChoiceField(
        label=_("Konto"), queryset=Account.objects.none(), required=False, empty_label=_("Alla")
    )
    state = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Alla")), ("open", _("Obesvarade")), *EntryState.choices],
    )
    due = forms.ChoiceField(
        label=_("Svarstid"),
        required=False,
        choices=[("", _("Alla")), ("soon", _("Snart förfallna")), ("overdue", _("Försenade"))],
    )
    mine = forms.BooleanField(label=_("Tilldelade mig"), required=False)
    escalated = forms.BooleanField(label=_("Eskalerade"), required=False)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["account"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Account.objects.filter(organisation=organisation).order_by(
            "platform", "handle"
        )


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("Svar"), widget=forms.Textarea(attrs={"rows": 6}))
    template_key = forms.CharField(widget=forms.HiddenInput, required=False)


class IntentForm(forms.Form):
    intent = forms.ChoiceField(label=_("Avsikt"), choices=Intent.choices)


class PersonForm(forms.Form):
    to = forms.ModelChoiceField(label=_("Till"), queryset=User.objects.none())
    note = forms.CharField(
        label=_("Meddelande"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, people: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to"]
        assert isinstance(field, forms.ModelChoiceField)
        order = Case(
            *[When(pk=person.pk, then=Value(position)) for position, person in enumerate(people)],
            output_field=IntegerField(),
        )
        # In the order given (case officers first for a forward).
        field.queryset = User.objects.filter(pk__in=[p.pk for p in people]).order_by(order)


class EscalateForm(forms.Form):
    trigger = forms.ChoiceField(label=_("Anledning"), choices=Trigger.choices)
    note = forms.CharField(
        label=_("Anteckning"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

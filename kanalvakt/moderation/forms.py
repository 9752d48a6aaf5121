from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kanalvakt.moderation.labels import CATEGORY_LABELS
from kanalvakt.moderation.models import DecisionKind


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(
        choices=DecisionKind.choices, widget=forms.RadioSelect, label=_("Beslut")
    )
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("Skäl"))
    categories = forms.MultipleChoiceField(
        choices=list(CATEGORY_LABELS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Vilka kategorier stämmer? (lär granskningen)"),
    )
    notice_text = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Meddelande till skribenten (vid borttagning med meddelande)"),
    )

    def __init__(self, *args: Any, notice_template: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if notice_template and not self.is_bound:
            self.fields["notice_text"].initial = notice_template


class NoticeForm(forms.Form):
    published = forms.BooleanField(required=False, label=_("Notisen är publicerad på kontot"))
    url = forms.URLField(required=False, label=_("Adress där notisen finns"), assume_scheme="https")

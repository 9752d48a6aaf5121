from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kanalvakt.publishing.models import Post
from kanalvakt.publishing.services import POST_FIELDS
from kanalvakt.register.models import Account


class AccountChoice(forms.ModelMultipleChoiceField[Account]):
    def label_from_instance(self, obj: Account) -> str:
        return f"{obj.get_platform_display()} – {obj.display_name} ({obj.handle})"


class PostForm(forms.ModelForm[Post]):
    accounts = AccountChoice(
        queryset=Account.objects.none(),
        label=_("Konton"),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Post
        fields = list(POST_FIELDS)  # what `post_create` and `post_update` accept
        widgets = {"text": forms.Textarea(attrs={"rows": 10})}

    def __init__(self, *args: Any, accounts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["accounts"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = accounts

    def post_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class MediaForm(forms.Form):
    upload = forms.FileField(label=_("Bild eller video"))
    alt_text = forms.CharField(
        label=_("Alternativtext"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    rights_holder = forms.CharField(
        label=_("Fotograf eller rättighetsinnehavare"), required=False, max_length=200
    )
    rights_confirmed = forms.BooleanField(
        label=_("Vi har rätt att publicera filen"), required=False
    )
    captions = forms.FileField(label=_("Textning (WebVTT eller SRT)"), required=False)
    accompanying_text = forms.CharField(
        label=_("Videons innehåll som text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MediaUpdateForm(forms.Form):
    alt_text = forms.CharField(
        label=_("Alternativtext"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    rights_holder = forms.CharField(
        label=_("Fotograf eller rättighetsinnehavare"), required=False, max_length=200
    )
    rights_confirmed = forms.BooleanField(
        label=_("Vi har rätt att publicera filen"), required=False
    )
    accompanying_text = forms.CharField(
        label=_("Videons innehåll som text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ScheduleForm(forms.Form):
    at = forms.DateTimeField(
        label=_("Publiceras"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )

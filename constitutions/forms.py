from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model

from cai_audit.bounds import bounds
from cai_audit.forms import ModelMultipleIdsField
from cai_audit.uploads import upload_size_check

from .models import Constitution, Principle
from .rules import PRINCIPLE_FIELDS


class ConstitutionForm(forms.ModelForm):
    owners = ModelMultipleIdsField(
        queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )

    class Meta:
        model = Constitution
        fields = ["name", "description", "review_cadence_days", "owners"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class ConstitutionSettingsForm(ConstitutionForm):
    class Meta(ConstitutionForm.Meta):
        fields = ["description", "review_cadence_days", "owners"]


class PrincipleForm(forms.ModelForm):
    lock_version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, **bounds(Principle, "lock_version")
    )

    class Meta:
        model = Principle
        fields = list(PRINCIPLE_FIELDS)
        widgets = {
            "critique_request": forms.Textarea(attrs={"rows": 3}),
            "revision_instruction": forms.Textarea(attrs={"rows": 3}),
            "few_shot_example": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"locale": "Locale (empty = global text)"}

    def validate_unique(self):
        # Uniqueness within the version is checked by the service, which knows the version.
        pass

    def principle_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in PRINCIPLE_FIELDS}


class PublishForm(forms.Form):
    changelog = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What changed and why. Published versions can never be edited.",
    )


class ReleaseTagForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        label="Model release",
        widget=forms.TextInput(attrs={"placeholder": "model release, e.g. assistant-2026.12"}),
    )
    note = forms.CharField(
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "note (optional)"}),
    )


class ImportForm(forms.Form):
    file = forms.FileField(required=False, help_text="A YAML file exported from CAI Audit.")
    text = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 8}), label="…or paste YAML"
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        upload_size_check(upload, limit=settings.CAI_IMPORT_CONSTITUTION_MAX_BYTES)
        return upload

    def clean(self):
        data = super().clean()
        if not data.get("file") and not data.get("text", "").strip():
            raise forms.ValidationError("Choose a file or paste YAML.")
        return data

    def content(self):
        """The uploaded file (the service reads it within the size limit) or the pasted text."""
        return self.cleaned_data.get("file") or self.cleaned_data["text"]


class DiffPickForm(forms.Form):
    old = forms.TypedChoiceField(coerce=int, label="From")
    new = forms.TypedChoiceField(coerce=int, label="To")

    def __init__(self, *args, versions=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(v.pk, f"v{v.number} ({v.get_status_display().lower()})") for v in versions]
        self.fields["old"].choices = choices
        self.fields["new"].choices = choices

from django import forms
from django.conf import settings

from cai_audit.bounds import bounds
from cai_audit.uploads import upload_size_check
from constitutions.models import ConstitutionVersion

from .models import CriticConfig, ItemSet, Judge, LabelingRun, LabelSource
from .services.critics import critic_endpoint_policy


class ItemImportForm(forms.Form):
    name = forms.CharField(max_length=200, required=False, help_text="Defaults to the file name.")
    file = forms.FileField(help_text="JSONL or CSV (optionally .gz).")
    format = forms.ChoiceField(
        choices=[("", "Detect from the file name"), ("jsonl", "JSONL"), ("csv", "CSV")],
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        upload_size_check(upload, limit=settings.CAI_IMPORT_ITEMS_MAX_BYTES)
        return upload


class CriticConfigForm(forms.ModelForm):
    base_url = forms.URLField(
        required=False, assume_scheme="http", help_text="OpenAI-compatible: e.g. http://gpu:8000/v1"
    )

    class Meta:
        model = CriticConfig
        fields = [
            "name", "backend", "model", "base_url", "api_key_env", "max_new_tokens",
            "temperature", "top_p", "batch_size", "max_concurrency", "timeout_s",
        ]  # fmt: skip

    def clean(self):
        """Refuse servers and key variables outside the administrator's allow-lists on their
        fields (the registry refuses them again where the key is read)."""
        data = super().clean()
        config = {
            "backend": data.get("backend"),
            "base_url": data.get("base_url") or "",
            "api_key_env": data.get("api_key_env") or "",
        }
        for field, problem in critic_endpoint_policy().config_problems(config).items():
            if field not in self.errors:
                self.add_error(field, problem)
        return data


class RunForm(forms.Form):
    constitution_version = forms.ModelChoiceField(
        queryset=ConstitutionVersion.objects.filter(status="published")
        .select_related("constitution")
        .order_by("constitution__name", "-number"),
        label="Constitution version",
    )
    item_set = forms.ModelChoiceField(queryset=ItemSet.objects.all())
    task = forms.ChoiceField(choices=LabelingRun.Task.choices)
    critic = forms.ModelChoiceField(queryset=CriticConfig.objects.all())
    selection = forms.ChoiceField(choices=LabelingRun.Selection.choices, initial="code")
    selection_value = forms.CharField(
        max_length=64, required=False, help_text="Category or principle code, when selected."
    )
    item_limit = forms.IntegerField(
        required=False, help_text="First N items only.", **bounds(LabelingRun, "item_limit")
    )
    seed = forms.IntegerField(initial=0, **bounds(LabelingRun, "seed"))
    batch_size = forms.IntegerField(initial=16, **bounds(LabelingRun, "batch_size"))


PROVENANCE_MAX_CHARS = 10_000


class JudgeForm(forms.ModelForm):
    description = forms.CharField(required=False, max_length=5000, widget=forms.Textarea)
    provenance = forms.JSONField(
        required=False,
        help_text='A JSON object, e.g. {"pipeline": "vllm batch", "prompt": "v3"}.',
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    class Meta:
        model = Judge
        fields = ["name", "model", "version", "description", "provenance"]

    def clean_provenance(self):
        value = self.cleaned_data.get("provenance")
        if value in (None, ""):
            return {}
        if not isinstance(value, dict):
            raise forms.ValidationError("Provenance must be a JSON object ({...}).")
        if len(self.data.get("provenance", "") or "") > PROVENANCE_MAX_CHARS:
            raise forms.ValidationError(f"At most {PROVENANCE_MAX_CHARS} characters.")
        return value


class LabelSourceForm(forms.ModelForm):
    description = forms.CharField(required=False, max_length=5000, widget=forms.Textarea)

    class Meta:
        model = LabelSource
        fields = ["key", "name", "description", "judge"]


class StreamFilterForm(forms.Form):
    """The label stream's filters (query string); every value is checked, bad ones are a 400."""

    kind = forms.ChoiceField(required=False, choices=lambda: [("", "All kinds"), *_kinds()])
    source = forms.ModelChoiceField(queryset=LabelSource.objects.all(), required=False)
    judge = forms.ModelChoiceField(queryset=Judge.objects.all(), required=False)


def _kinds():
    from . import kinds

    return kinds.choices()

from django import forms

from cai_audit.bounds import bounds
from cai_audit.forms import ModelMultipleIdsField
from constitutions.models import ConstitutionVersion
from labeling.filters import LabelFilter
from labeling.models import LabelingRun

from .engine.config import (
    MAX_BETA,
    MAX_EVAL_FRACTION,
    MAX_LEARNING_RATE,
    MAX_SEED,
    MAX_WHOLE,
    MIN_MAX_LENGTH,
)
from .models import DatasetSnapshot, TrainingJob


def _one(value: str) -> tuple[str, ...]:
    return (value,) if value else ()


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


class SnapshotForm(forms.Form):
    name = forms.CharField(max_length=200)
    fmt = forms.ChoiceField(label="Format", choices=DatasetSnapshot.Format.choices)
    policy = forms.ChoiceField(label="Label policy", choices=DatasetSnapshot.Policy.choices)
    min_confidence = forms.FloatField(
        initial=0.0, required=False, **bounds(DatasetSnapshot, "min_confidence"),
        help_text="With the AI-confident policy: keep AI labels at least this sure.",
    )  # fmt: skip
    label_kind = forms.ChoiceField(
        choices=[("preference", "Preferences"), ("critique", "Critiques")], required=False,
        help_text="For the audit record formats; the others imply it.",
    )  # fmt: skip
    constitution_version = forms.ModelChoiceField(
        queryset=ConstitutionVersion.objects.select_related("constitution"), required=False
    )
    principle_codes = forms.CharField(required=False, help_text="Comma-separated, e.g. HARM-01")
    categories = forms.CharField(required=False, help_text="Comma-separated")
    locale = forms.CharField(required=False, max_length=35)
    labeled_from = forms.DateTimeField(required=False)
    labeled_to = forms.DateTimeField(required=False)
    runs = ModelMultipleIdsField(
        queryset=LabelingRun.objects.order_by("-created_at"), required=False
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("labeled_from"), data.get("labeled_to")
        if start and end and start >= end:
            self.add_error("labeled_to", "Must be after the start.")
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        version = data["constitution_version"]
        return {
            "name": data["name"],
            "fmt": data["fmt"],
            "policy": data["policy"],
            "min_confidence": data["min_confidence"] or 0.0,
            "label_kind": data["label_kind"],
            "where": LabelFilter(
                constitution_version=version.pk if version else None,
                principle_codes=_split(data["principle_codes"]),
                categories=_split(data["categories"]),
                locales=_one(data["locale"].strip()),
                created_from=data["labeled_from"],
                created_to=data["labeled_to"],
                runs=tuple(run.pk for run in data["runs"]),
            ),
        }


class TrainingJobForm(forms.Form):
    name = forms.CharField(max_length=200, required=False)
    method = forms.ChoiceField(choices=TrainingJob.Method.choices)
    base_model = forms.CharField(
        max_length=500, initial="default",
        help_text='"default" (the shipped SmolLM2-135M-Instruct) or a model folder on the worker.',
    )  # fmt: skip
    max_steps = forms.IntegerField(
        min_value=1, max_value=MAX_WHOLE["max_steps"], initial=20,
        help_text="On a CPU a step of the default model takes 30-60 s: try 3.",
    )  # fmt: skip
    learning_rate = forms.FloatField(
        min_value=0, max_value=MAX_LEARNING_RATE, required=False, help_text="Default by method."
    )
    per_device_batch_size = forms.IntegerField(
        min_value=1, max_value=MAX_WHOLE["per_device_batch_size"], initial=4
    )
    max_length = forms.IntegerField(
        min_value=MIN_MAX_LENGTH, max_value=MAX_WHOLE["max_length"], initial=512
    )
    beta = forms.FloatField(
        min_value=0, max_value=MAX_BETA, initial=0.1, help_text="DPO temperature."
    )
    lora = forms.BooleanField(required=False, help_text="Train LoRA adapters (peft).")
    save_steps = forms.IntegerField(
        min_value=1, max_value=MAX_WHOLE["save_steps"], initial=10,
        help_text="Checkpoint every N steps.",
    )  # fmt: skip
    eval_fraction = forms.FloatField(min_value=0, max_value=MAX_EVAL_FRACTION, initial=0.1)
    seed = forms.IntegerField(min_value=0, max_value=MAX_SEED, initial=0)

    HYPERPARAMETERS = (
        "max_steps", "learning_rate", "per_device_batch_size", "max_length", "beta", "lora",
        "save_steps", "eval_fraction", "seed",
    )  # fmt: skip

    def hyperparameters(self) -> dict:
        return {
            key: self.cleaned_data[key]
            for key in self.HYPERPARAMETERS
            if self.cleaned_data.get(key) is not None
        }

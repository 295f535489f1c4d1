"""Forms of the red-team pages: they parse input; the services decide what is allowed."""

from django import forms
from django.conf import settings

from cai_audit.bounds import bounds
from cai_audit.uploads import upload_size_check
from constitutions.models import ConstitutionVersion
from labeling.models import CriticConfig

from .models import Run, Suite
from .mutations import OPERATORS

OPERATOR_CHOICES = [(name, name.replace("_", " ")) for name in OPERATORS]


def temperatures_parse(text: str) -> list[float]:
    """ "0, 0.7" -> [0.0, 0.7]; the service checks the range and how many."""
    values = []
    for part in text.replace(";", ",").split(","):
        if not part.strip():
            continue
        try:
            values.append(float(part))
        except ValueError:
            raise forms.ValidationError(
                f"{part.strip()!r} is not a temperature: give numbers separated by commas."
            ) from None
    if not values:
        raise forms.ValidationError("Give at least one temperature, e.g. 0.")
    return values


def _models():
    return CriticConfig.objects.order_by("name")


class SuiteImportForm(forms.Form):
    name = forms.CharField(max_length=200, required=False, help_text="Defaults to the file name.")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    file = forms.FileField(
        help_text="JSONL or CSV: id, category, kind (harmful or benign), principles, prompt; "
        "optional locale. A single bad line refuses the whole file."
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        upload_size_check(upload, limit=settings.CAI_IMPORT_SUITE_MAX_BYTES)
        return upload


class SuiteSettingsForm(forms.Form):
    """What the suite does by itself when a version is published or a release tagged."""

    run_on_publish = forms.BooleanField(required=False, label="Run when a version is published")
    run_on_release = forms.BooleanField(required=False, label="Run when a release is tagged")
    regression_target = forms.ModelChoiceField(
        queryset=_models(), required=False, label="Target model",
        empty_label="The shipped model",
    )  # fmt: skip
    regression_judge = forms.ModelChoiceField(
        queryset=_models(), required=False, label="AI judge", empty_label="The shipped model"
    )
    regression_operators = forms.MultipleChoiceField(
        choices=OPERATOR_CHOICES, required=False, label="Operators",
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    regression_temperatures = forms.CharField(
        initial="0", label="Temperatures", help_text="Comma-separated, e.g. 0, 0.7."
    )

    @classmethod
    def for_suite(cls, suite: Suite, data=None) -> "SuiteSettingsForm":
        initial = {
            "run_on_publish": suite.run_on_publish,
            "run_on_release": suite.run_on_release,
            "regression_target": suite.regression_target_id,
            "regression_judge": suite.regression_judge_id,
            "regression_operators": suite.regression_operators,
            "regression_temperatures": ", ".join(
                f"{t:g}" for t in suite.regression_temperatures or [0.0]
            ),
        }
        return cls(data, initial=initial)

    def clean_regression_temperatures(self) -> list[float]:
        return temperatures_parse(self.cleaned_data["regression_temperatures"])


class RunForm(forms.Form):
    constitution_version = forms.ModelChoiceField(
        queryset=ConstitutionVersion.objects.filter(status=ConstitutionVersion.Status.PUBLISHED)
        .select_related("constitution")
        .order_by("constitution__name", "-number"),
        label="Constitution version",
        help_text="The principles the judge applies.",
    )
    target = forms.ModelChoiceField(queryset=_models(), label="Target model")
    judge = forms.ModelChoiceField(queryset=_models(), label="AI judge")
    operators = forms.MultipleChoiceField(
        choices=OPERATOR_CHOICES, required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Attack variants to add to the seeds (translation and paraphrase ask the judge "
        "model to rewrite them).",
    )  # fmt: skip
    temperatures = forms.CharField(initial="0", help_text="Comma-separated, e.g. 0, 0.7.")
    max_new_tokens = forms.IntegerField(
        required=False, label="Max new tokens", help_text="Defaults to the target model's setting.",
        **bounds(Run, "max_new_tokens"),
    )  # fmt: skip
    case_limit = forms.IntegerField(
        required=False, help_text="Only the first N seeds of each category and kind.",
        **bounds(Run, "case_limit"),
    )  # fmt: skip
    seed = forms.IntegerField(initial=0, **bounds(Run, "seed"))

    def clean_temperatures(self) -> list[float]:
        return temperatures_parse(self.cleaned_data["temperatures"])


class MatchupForm(forms.Form):
    """The baseline to compare this run's answers with (the judge picks the better answer)."""

    baseline = forms.ModelChoiceField(queryset=None, label="Baseline run")

    def __init__(self, *args, runs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["baseline"].queryset = runs
        self.fields["baseline"].label_from_instance = lambda run: (
            f"#{run.pk} {run.target.name} ({run.created_at:%Y-%m-%d %H:%M})"
        )

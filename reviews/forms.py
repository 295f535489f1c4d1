from django import forms
from django.contrib.auth import get_user_model

from labeling.models import LabelingRun
from redteam.models import Run as RedteamRun

from .models import Review, ReviewSample
from .population import MEASURES, STRATA_FIELDS


class SampleDrawForm(forms.Form):
    name = forms.CharField(max_length=200)
    label_kind = forms.ChoiceField(choices=ReviewSample.LabelKind.choices)
    strategy = forms.ChoiceField(choices=ReviewSample.Strategy.choices, initial="hybrid")
    n = forms.IntegerField(min_value=1, max_value=20_000, initial=100, label="Sample size")
    seed = forms.IntegerField(min_value=0, initial=0)
    runs = forms.ModelMultipleChoiceField(
        queryset=LabelingRun.objects.order_by("-created_at"), required=False,
        help_text="Only labels of these runs (default: all).",
    )  # fmt: skip
    redteam_runs = forms.ModelMultipleChoiceField(
        queryset=RedteamRun.objects.order_by("-created_at"),
        required=False, label="Red-team runs",
        help_text="For red-team verdicts: only verdicts of these runs (default: all).",
    )  # fmt: skip
    principle_codes = forms.CharField(required=False, help_text="Comma-separated, e.g. HARM-01")
    domains = forms.CharField(required=False, help_text="Comma-separated")
    strata = forms.MultipleChoiceField(
        choices=[(k, k) for k in STRATA_FIELDS], initial=["principle"], required=False
    )
    allocation = forms.ChoiceField(
        choices=[("proportional", "Proportional"), ("equal", "Equal"), ("neyman", "Neyman")]
    )
    minimum = forms.IntegerField(min_value=0, initial=1, help_text="Minimum per stratum.")
    measure = forms.ChoiceField(choices=[(m, m.replace("_", " ")) for m in MEASURES])
    uncertainty_share = forms.FloatField(min_value=0, max_value=1, initial=0.5)
    floor = forms.FloatField(
        min_value=0, initial=0.1, help_text="Exploration floor (share of mean)."
    )
    high_stakes_weight = forms.FloatField(
        min_value=1, initial=1.0, help_text="Oversample medical, legal and high-stakes items."
    )
    novelty_weight = forms.FloatField(
        min_value=1, initial=1.0, required=False,
        help_text="Oversample the newest published version and little-reviewed domains.",
    )  # fmt: skip

    def clean(self):
        data = super().clean()
        verdicts = data.get("label_kind") == ReviewSample.LabelKind.VERDICT
        if verdicts and data.get("runs"):
            self.add_error("runs", "Red-team verdicts come from red-team runs: pick those below.")
        if not verdicts and data.get("redteam_runs"):
            self.add_error("redteam_runs", "Only red-team verdicts come from red-team runs.")
        return data

    def split(self, name: str) -> tuple[str, ...]:
        return tuple(v.strip() for v in self.cleaned_data[name].split(",") if v.strip())

    def run_ids(self) -> tuple[int, ...]:
        """The runs to draw from: labeling runs, or red-team runs for verdicts."""
        runs = [*self.cleaned_data["runs"], *self.cleaned_data["redteam_runs"]]
        return tuple(run.pk for run in runs)


class QueueOpenForm(forms.Form):
    name = forms.CharField(max_length=200, required=False)
    overlap = forms.IntegerField(min_value=1, max_value=5, initial=2)
    blind = forms.BooleanField(required=False, initial=True, help_text="Hide the AI verdict.")
    reviewers = forms.ModelMultipleChoiceField(
        queryset=get_user_model().objects.filter(is_active=True, groups__name="reviewer")
    )
    claim_timeout_s = forms.IntegerField(min_value=30, initial=600)


CRITIQUE_VERDICTS = {
    "right-better": {"critique_correct": True, "revision_better": True},
    "right-worse": {"critique_correct": True, "revision_better": False},
    "wrong": {"critique_correct": False, "revision_better": False},
}


class ReviewForm(forms.Form):
    preference = forms.ChoiceField(choices=Review.Preference.choices, required=False)
    safety_verdict = forms.ChoiceField(
        choices=Review.SafetyVerdict.choices, required=False,
        help_text="For red-team verdicts: how the answer behaves under the principle.",
    )  # fmt: skip
    verdict = forms.ChoiceField(
        choices=[(key, key) for key in CRITIQUE_VERDICTS], required=False,
        help_text="For critiques: one key for both questions.",
    )  # fmt: skip
    principle_at_stake = forms.CharField(max_length=32, required=False)
    corrected_revision = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    rationale = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    seconds_spent = forms.FloatField(required=False, min_value=0)

    def verdict_fields(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("seconds_spent", "verdict")}
        data.update(CRITIQUE_VERDICTS.get(self.cleaned_data.get("verdict") or "", {}))
        return {k: v for k, v in data.items() if v not in (None, "")}


class AdjudicationForm(forms.Form):
    preference = forms.ChoiceField(choices=[("", "—"), *Review.Preference.choices], required=False)
    safety_verdict = forms.ChoiceField(
        choices=[("", "—"), *Review.SafetyVerdict.choices], required=False,
        help_text="For red-team verdicts: how the answer behaves under the principle.",
    )  # fmt: skip
    ai_correct = forms.TypedChoiceField(
        choices=[("true", "The AI label is right"), ("false", "The AI label is wrong")],
        coerce=lambda v: v == "true", required=False, empty_value=None,
        help_text="For red-team verdicts it follows from the class chosen.",
    )  # fmt: skip
    rationale = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))

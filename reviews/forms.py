from django import forms
from django.contrib.auth import get_user_model

from cai_audit.bounds import bounds, limits
from cai_audit.forms import ModelMultipleIdsField
from labeling import kinds
from labeling.models import Judge, LabelingRun, LabelSource

from .models import (
    DRAW_PARAMETERS,
    DRAWN_STRATEGIES,
    SAMPLE_SIZE_MAX,
    Review,
    ReviewQueue,
    ReviewSample,
)
from .population import MEASURES, STRATA_FIELDS, external_not_applicable


def other_runs():
    """The runs of the kinds that labeling runs do not make (red-team runs, for verdicts)."""
    others = [model for model in kinds.run_models() if model is not LabelingRun]
    return others[0].objects.order_by("-created_at") if others else LabelingRun.objects.none()


class SampleDrawForm(forms.Form):
    name = forms.CharField(max_length=200)
    label_kind = forms.ChoiceField(choices=kinds.choices)
    strategy = forms.ChoiceField(choices=DRAWN_STRATEGIES, initial="hybrid")
    n = forms.IntegerField(min_value=1, max_value=SAMPLE_SIZE_MAX, initial=100, label="Sample size")
    seed = forms.IntegerField(initial=0, **bounds(ReviewSample, "seed"))
    runs = ModelMultipleIdsField(
        queryset=LabelingRun.objects.order_by("-created_at"), required=False,
        help_text="Only labels of these runs (default: all).",
    )  # fmt: skip
    redteam_runs = ModelMultipleIdsField(
        queryset=LabelingRun.objects.none(), required=False, label="Red-team runs",
        help_text="For red-team verdicts: only verdicts of these runs (default: all).",
    )  # fmt: skip
    judges = ModelMultipleIdsField(
        queryset=Judge.objects.all(), required=False,
        help_text="Only labels made elsewhere by these external judges (default: all).",
    )  # fmt: skip
    sources = ModelMultipleIdsField(
        queryset=LabelSource.objects.all(), required=False,
        help_text="Only labels that came from these sources (default: all).",
    )  # fmt: skip
    principle_codes = forms.CharField(required=False, help_text="Comma-separated, e.g. HARM-01")
    domains = forms.CharField(required=False, help_text="Comma-separated")
    strata = forms.MultipleChoiceField(
        choices=[(k, k) for k in STRATA_FIELDS], initial=["principle"], required=False
    )
    allocation = forms.ChoiceField(
        choices=[("proportional", "Proportional"), ("equal", "Equal"), ("neyman", "Neyman")]
    )
    minimum = forms.IntegerField(
        initial=1, help_text="Minimum per stratum.", **limits(DRAW_PARAMETERS["minimum"])
    )
    measure = forms.ChoiceField(choices=[(m, m.replace("_", " ")) for m in MEASURES])
    uncertainty_share = forms.FloatField(
        initial=0.5, **limits(DRAW_PARAMETERS["uncertainty_share"])
    )
    floor = forms.FloatField(
        initial=0.1, help_text="Exploration floor (share of mean).",
        **limits(DRAW_PARAMETERS["floor"]),
    )  # fmt: skip
    high_stakes_weight = forms.FloatField(
        initial=1.0, help_text="Oversample medical, legal and high-stakes items.",
        **limits(DRAW_PARAMETERS["high_stakes_weight"]),
    )  # fmt: skip
    novelty_weight = forms.FloatField(
        initial=1.0, required=False, **limits(DRAW_PARAMETERS["novelty_weight"]),
        help_text="Oversample the newest published version and little-reviewed domains.",
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["redteam_runs"].queryset = other_runs()

    def clean(self):
        data = super().clean()
        if not data.get("label_kind"):
            return data
        kind = kinds.get(data["label_kind"])
        if kind.run_model is not LabelingRun and data.get("runs"):
            message = f"{kind.verbose_name} come from red-team runs: pick those below."
            self.add_error("runs", message)
        if kind.run_model is LabelingRun and data.get("redteam_runs"):
            self.add_error("redteam_runs", "Only red-team verdicts come from red-team runs.")
        for name, dimension in (("judges", "judge"), ("sources", "source")):
            if data.get(name) and kind.lookup(dimension) is None:
                self.add_error(name, external_not_applicable(kind, dimension))
        return data

    def external(self) -> dict:
        """The judges and sources chosen, as LabelFilter fields."""
        return {
            name: tuple(record.pk for record in self.cleaned_data.get(name) or ())
            for name in ("judges", "sources")
        }

    def split(self, name: str) -> tuple[str, ...]:
        return tuple(v.strip() for v in self.cleaned_data[name].split(",") if v.strip())

    def run_ids(self) -> tuple[int, ...]:
        """The runs to draw from: labeling runs, or red-team runs for verdicts."""
        runs = [*self.cleaned_data["runs"], *self.cleaned_data["redteam_runs"]]
        return tuple(run.pk for run in runs)


class QueueOpenForm(forms.Form):
    name = forms.CharField(max_length=200, required=False)
    overlap = forms.IntegerField(initial=2, **bounds(ReviewQueue, "overlap"))
    blind = forms.BooleanField(required=False, initial=True, help_text="Hide the AI verdict.")
    reviewers = ModelMultipleIdsField(
        queryset=get_user_model().objects.filter(is_active=True, groups__name="reviewer")
    )
    claim_timeout_s = forms.IntegerField(initial=600, **bounds(ReviewQueue, "claim_timeout_s"))


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
    choice = forms.CharField(
        max_length=32, required=False, help_text="For kinds whose reviewers choose a class."
    )
    ai_correct = forms.TypedChoiceField(
        choices=[("true", "The AI label is right"), ("false", "The AI label is wrong")],
        coerce=lambda v: v == "true", required=False, empty_value=None,
        help_text="For kinds whose reviewers only say whether the AI is right.",
    )  # fmt: skip
    principle_at_stake = forms.CharField(max_length=32, required=False)
    corrected_revision = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    rationale = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    # Any time the page measured; the service stores at most SECONDS_SPENT_MAX.
    seconds_spent = forms.FloatField(required=False, min_value=0, max_value=1e9)

    def verdict_fields(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("seconds_spent", "verdict")}
        data.update(CRITIQUE_VERDICTS.get(self.cleaned_data.get("verdict") or "", {}))
        return {k: v for k, v in data.items() if v not in (None, "")}


class AdjudicationForm(forms.Form):
    preference = forms.ChoiceField(choices=[("", "—"), *Review.Preference.choices], required=False)
    choice = forms.CharField(
        max_length=32, required=False, help_text="For kinds whose reviewers choose a class."
    )
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

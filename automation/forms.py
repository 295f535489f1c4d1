"""The forms of the automation pages. Hostile input is refused here with the field named; the
services check the design again (the API and scripts take the same door)."""

import re

from django import forms
from django.contrib.auth import get_user_model

from cai_audit.bounds import SEED_MAX
from cai_audit.forms import ModelMultipleIdsField
from labeling import kinds
from labeling.models import CriticConfig, Judge, LabelSource
from redteam.models import Suite
from reviews.models import ReviewQueue
from reviews.population import STRATA_FIELDS

from .models import AutomationRule, Check, DrawSchedule, Window

LIST_MAX = 50  # values in one comma-separated filter field
TOKEN = re.compile(r"^[\w.:/-]{1,100}$")
TEXT_FILTERS = ("principle_codes", "categories", "domains", "locales")


def reviewer_choices():
    return get_user_model().objects.filter(is_active=True).order_by("username")


class LabelFilterFields(forms.Form):
    """The label filter as a form: comma-separated facts, and judges and sources by choice."""

    label_kind = forms.ChoiceField(choices=kinds.choices)
    principle_codes = forms.CharField(required=False, max_length=2000, help_text="e.g. HARM-01")
    categories = forms.CharField(required=False, max_length=2000)
    domains = forms.CharField(required=False, max_length=2000)
    locales = forms.CharField(required=False, max_length=2000)
    judges = ModelMultipleIdsField(queryset=Judge.objects.all(), required=False)
    sources = ModelMultipleIdsField(queryset=LabelSource.objects.all(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["label_kind"].choices = kinds.choices()

    def _split(self, name: str) -> list[str]:
        values = [v.strip() for v in self.cleaned_data.get(name, "").split(",") if v.strip()]
        if len(values) > LIST_MAX:
            raise forms.ValidationError({name: f"At most {LIST_MAX} values."})
        bad = [v for v in values if not TOKEN.match(v)]
        if bad:
            raise forms.ValidationError({name: f"Not a code or name: {bad[0][:40]!r}."})
        return values

    def label_filter(self) -> dict:
        stored = {name: self._split(name) for name in TEXT_FILTERS}
        stored["judges"] = [judge.pk for judge in self.cleaned_data.get("judges") or ()]
        stored["sources"] = [source.pk for source in self.cleaned_data.get("sources") or ()]
        return {name: values for name, values in stored.items() if values}

    def clean(self):
        data = super().clean()
        if not self.errors:
            data["label_filter"] = self.label_filter()
        return data

    @classmethod
    def initial_from(cls, stored: dict) -> dict:
        initial = {name: ", ".join(stored.get(name, [])) for name in TEXT_FILTERS}
        return initial | {"judges": stored.get("judges", []), "sources": stored.get("sources", [])}


class RuleForm(LabelFilterFields):
    name = forms.CharField(max_length=200)
    high_stakes = forms.TypedChoiceField(
        choices=[("", "All labels"), ("yes", "High-stakes only"), ("no", "Not high-stakes")],
        required=False,
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        empty_value=None,
    )
    confidence_min = forms.FloatField(required=False, min_value=0, max_value=1)
    confidence_max = forms.FloatField(required=False, min_value=0, max_value=1)
    mode = forms.ChoiceField(choices=AutomationRule.Mode.choices)
    rate = forms.FloatField(
        required=False, min_value=0.000001, max_value=1, help_text="Poisson: p, e.g. 0.05."
    )
    per_window = forms.IntegerField(required=False, min_value=1, max_value=20_000)
    window = forms.ChoiceField(choices=[("", "—"), *Window.choices], required=False)
    action = forms.ChoiceField(
        choices=[
            (AutomationRule.Action.REVIEW, AutomationRule.Action.REVIEW.label),
            (AutomationRule.Action.CRITIC, AutomationRule.Action.CRITIC.label),
            (AutomationRule.Action.REDTEAM, AutomationRule.Action.REDTEAM.label),
        ],
        initial=AutomationRule.Action.REVIEW,
        required=False,
    )
    critic = forms.ModelChoiceField(
        queryset=CriticConfig.objects.all(), required=False, help_text="For judging with a critic."
    )
    suite = forms.ModelChoiceField(
        queryset=Suite.objects.all(), required=False, help_text="For re-running a red-team suite."
    )
    overlap = forms.IntegerField(min_value=1, max_value=5, initial=2)
    blind = forms.BooleanField(required=False, initial=True)
    reviewers = ModelMultipleIdsField(queryset=reviewer_choices(), required=False)
    seed = forms.IntegerField(min_value=0, max_value=SEED_MAX, initial=0)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = reviewer_choices()
        if editing:  # the design of a rule's sample does not change under it
            fixed = ("label_kind", "mode", "window", "action", "critic", "suite", "overlap",
                     "blind", "reviewers", "seed")  # fmt: skip
            for name in fixed:
                self.fields[name].disabled = True
                self.fields[name].required = False

    def clean(self):
        data = super().clean()
        if data.get("mode") == AutomationRule.Mode.POISSON and data.get("rate") is None:
            self.add_error("rate", "A Poisson rule needs its rate p.")
        if data.get("mode") == AutomationRule.Mode.WINDOW:
            if data.get("per_window") is None:
                self.add_error("per_window", "A window rule draws n labels per window.")
            if not data.get("window"):
                self.add_error("window", "Choose hour, day or week.")
        return data


class CrontabFields(forms.Form):
    minute = forms.CharField(max_length=60, initial="0")
    hour = forms.CharField(max_length=60, initial="6")
    day_of_week = forms.CharField(max_length=60, initial="1", help_text="0-6, Sunday is 0.")
    day_of_month = forms.CharField(max_length=60, initial="*")
    month_of_year = forms.CharField(max_length=60, initial="*")


class ScheduleForm(CrontabFields, LabelFilterFields):
    name = forms.CharField(max_length=200)
    strategy = forms.ChoiceField(choices=DrawSchedule.Strategy.choices)
    strata = forms.MultipleChoiceField(
        choices=[(k, k) for k in STRATA_FIELDS], required=False, initial=["principle"]
    )
    n = forms.IntegerField(min_value=1, max_value=20_000, initial=200)
    window = forms.ChoiceField(choices=Window.choices, initial="week")
    overlap = forms.IntegerField(min_value=1, max_value=5, initial=2)
    reviewers = ModelMultipleIdsField(queryset=reviewer_choices(), required=False)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = reviewer_choices()
        if editing:
            for name in ("label_kind", "overlap", "reviewers"):
                self.fields[name].disabled = True
                self.fields[name].required = False


class CheckForm(CrontabFields, LabelFilterFields):
    name = forms.CharField(max_length=200)
    measure = forms.ChoiceField(choices=Check.Measure.choices)
    choice = forms.CharField(max_length=32, required=False)
    window = forms.ChoiceField(choices=Window.choices, initial="week")
    threshold = forms.FloatField(min_value=0, max_value=1e9)
    min_count = forms.IntegerField(min_value=1, max_value=1_000_000, initial=20)
    queue = forms.ModelChoiceField(queryset=ReviewQueue.objects.all(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["label_kind"].required = False
        self.fields["label_kind"].choices = [("", "—"), *kinds.choices()]
        self.fields["hour"].initial = "*"
        self.fields["day_of_week"].initial = "*"

"""What a dashboard looks at: the label kind and the filters every page and API call share.

Parsed from query parameters by `ScopeForm` (bad input is a 400 with the field's error), carried
in links so a drill-down keeps the filters of the number it came from.
"""

from dataclasses import asdict, dataclass, replace
from datetime import date, timedelta

from django import forms

from cai_audit.bounds import DATE_MAX, DATE_MIN, ID_MAX, between
from labeling import kinds
from labeling.filters import LabelFilter, day_start, days_range

# What the items behind a number may be narrowed to, and the calibration bins of confidence.
OUTCOMES = ("", "agree", "disagree", "stuck", "free", "reviewed")
BINS = 10


@dataclass(frozen=True)
class Scope:
    kind: str = "preference"
    sample: int | None = None
    version: int | None = None
    critic: int | None = None
    judge: int | None = None  # an external judge (labels made elsewhere)
    source: int | None = None  # the label source they came from
    principle: str = ""
    category: str = ""
    domain: str = ""
    locale: str = ""
    harm_category: str = ""
    week: date | None = None  # the Monday of the week the AI made the labels
    labeled_from: date | None = None
    labeled_to: date | None = None

    def narrow(self, **changes) -> "Scope":
        return replace(self, **changes)

    def params(self) -> dict[str, str]:
        """As query parameters (only what is set), for links and cache keys."""
        return {
            key: value.isoformat() if isinstance(value, date) else str(value)
            for key, value in asdict(self).items()
            if value not in ("", None) and not (key == "kind" and value == "preference")
        }

    def key(self) -> str:
        return "&".join(f"{key}={value}" for key, value in sorted(self.params().items()))

    def week_range(self) -> tuple[date, date] | None:
        return (self.week, self.week + timedelta(days=7)) if self.week else None

    def labels(self, *, timed: bool = True) -> LabelFilter:
        """The AI labels the scope narrows to, as the label filter every app shares (the kind
        and the sample stay here). The week and the labelled-day range become one time range;
        `timed=False` leaves time out (the weekly label tallies match the week themselves)."""
        start, end = days_range(self.labeled_from, self.labeled_to) if timed else (None, None)
        if timed and self.week:
            week_start, week_end = day_start(self.week), day_start(self.week + timedelta(days=7))
            start = max(start, week_start) if start else week_start
            end = min(end, week_end) if end else week_end
        return LabelFilter(
            constitution_version=self.version,
            critics=_one(self.critic),
            judges=_one(self.judge),
            sources=_one(self.source),
            principle_codes=_one(self.principle),
            categories=_one(self.category),
            domains=_one(self.domain),
            locales=_one(self.locale),
            harm_categories=_one(self.harm_category),
            created_from=start,
            created_to=end,
        )


def _not_applicable(kind: str, dimension: str) -> str:
    label_kind = kinds.get(kind)
    return (
        f"The {dimension} filter does not apply to {label_kind.verbose_name.lower()}: "
        f"they have no external {dimension}."
    )


def _one(value) -> tuple:
    return () if value in ("", None) else (value,)


def _id_field() -> forms.IntegerField:
    return forms.IntegerField(required=False, min_value=1, max_value=ID_MAX)


def _date_field(help_text: str = "YYYY-MM-DD.") -> forms.DateField:
    return forms.DateField(
        required=False,
        validators=between(DATE_MIN, DATE_MAX),
        help_text=f"{help_text} Between {DATE_MIN} and {DATE_MAX}.",
    )


class ScopeForm(forms.Form):
    kind = forms.ChoiceField(choices=lambda: [(k, k) for k, _ in kinds.choices()], required=False)
    sample = _id_field()
    version = _id_field()
    critic = _id_field()
    judge = _id_field()
    source = _id_field()
    principle = forms.CharField(required=False, max_length=32)
    category = forms.CharField(required=False, max_length=100)
    domain = forms.CharField(required=False, max_length=100)
    locale = forms.CharField(required=False, max_length=35)
    harm_category = forms.CharField(required=False, max_length=100)
    week = _date_field("Monday of an ISO week, YYYY-MM-DD.")
    labeled_from = _date_field("First day the AI labelled, YYYY-MM-DD.")
    labeled_to = _date_field("Last day the AI labelled, YYYY-MM-DD.")

    def clean_week(self):
        week = self.cleaned_data.get("week")
        if week and week.weekday() != 0:
            raise forms.ValidationError("A week is given by its Monday.")
        return week

    def clean(self):
        data = super().clean()
        start, end = data.get("labeled_from"), data.get("labeled_to")
        if start and end and start > end:
            self.add_error("labeled_to", "Must be on or after labeled_from.")
        kind = data.get("kind") or Scope.kind
        for name in ("judge", "source"):
            if data.get(name) is not None and kinds.get(kind).lookup(name) is None:
                self.add_error(name, _not_applicable(kind, name))
        return data

    def scope(self) -> Scope:
        data = {key: value for key, value in self.cleaned_data.items() if value not in ("", None)}
        return Scope(**data)


def scope_from(params) -> tuple[Scope | None, dict]:
    """(scope, {}) from query parameters, or (None, field errors)."""
    form = ScopeForm(params)
    if not form.is_valid():
        return None, form.errors.get_json_data()
    return form.scope(), {}


class ItemFilterForm(forms.Form):
    """The filters of the items behind a number, on top of the scope."""

    outcome = forms.ChoiceField(
        required=False, choices=[(o, o or "gold") for o in OUTCOMES],
        help_text="agree, disagree, stuck, free or reviewed; empty for every gold label.",
    )  # fmt: skip
    bin = forms.IntegerField(
        required=False, min_value=0, max_value=BINS - 1, help_text="Confidence bin."
    )
    ai_choice = forms.CharField(required=False, max_length=16)
    human_choice = forms.CharField(required=False, max_length=16)
    reviewer = _id_field()

    def filters(self) -> dict:
        """Keyword arguments for dashboards.selectors.items."""
        data = self.cleaned_data
        return {
            "outcome": data["outcome"],
            "confidence_bin": data["bin"],
            "ai_choice": data["ai_choice"],
            "human_choice": data["human_choice"],
            "reviewer": data["reviewer"],
        }


def item_filters_from(params) -> tuple[dict | None, dict]:
    """(keyword arguments for selectors.items, {}) from query parameters, or (None, errors)."""
    form = ItemFilterForm(params)
    if not form.is_valid():
        return None, form.errors.get_json_data()
    return form.filters(), {}

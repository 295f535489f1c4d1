"""What a dashboard looks at: the label kind and the filters every page and API call share.

Parsed from query parameters by `ScopeForm` (bad input is a 400 with the field's error), carried
in links so a drill-down keeps the filters of the number it came from.
"""

from dataclasses import asdict, dataclass, replace
from datetime import date, timedelta

from django import forms

KINDS = ("preference", "critique", "verdict")


@dataclass(frozen=True)
class Scope:
    kind: str = "preference"
    sample: int | None = None
    version: int | None = None
    critic: int | None = None
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


class ScopeForm(forms.Form):
    kind = forms.ChoiceField(choices=[(k, k) for k in KINDS], required=False)
    sample = forms.IntegerField(required=False, min_value=1)
    version = forms.IntegerField(required=False, min_value=1)
    critic = forms.IntegerField(required=False, min_value=1)
    principle = forms.CharField(required=False, max_length=32)
    category = forms.CharField(required=False, max_length=100)
    domain = forms.CharField(required=False, max_length=100)
    locale = forms.CharField(required=False, max_length=35)
    harm_category = forms.CharField(required=False, max_length=100)
    week = forms.DateField(required=False, help_text="Monday of an ISO week, YYYY-MM-DD.")
    labeled_from = forms.DateField(required=False)
    labeled_to = forms.DateField(required=False)

    def clean_week(self):
        week = self.cleaned_data.get("week")
        if week and week.weekday() != 0:
            raise forms.ValidationError("A week is given by its Monday.")
        return week

    def scope(self) -> Scope:
        data = {key: value for key, value in self.cleaned_data.items() if value not in ("", None)}
        return Scope(**data)


def scope_from(params) -> tuple[Scope | None, dict]:
    """(scope, {}) from query parameters, or (None, field errors)."""
    form = ScopeForm(params)
    if not form.is_valid():
        return None, form.errors.get_json_data()
    return form.scope(), {}

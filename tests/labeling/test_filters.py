"""One label filter for samples, dashboards and exports: what it matches, and how the
dashboards' day ranges become its half-open time range in any time zone."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from dashboards.scope import Scope
from labeling.filters import LABEL_PATHS, LabelFilter
from labeling.models import PreferenceLabel
from tests.reviews.conftest import make_labels

pytestmark = pytest.mark.django_db


def ids(where: LabelFilter) -> set[int]:
    return set(PreferenceLabel.objects.filter(where.q()).values_list("id", flat=True))


def test_an_empty_filter_matches_every_label_and_a_tuple_matches_any_of_its_values(published):
    run = make_labels(published, 12)
    every = set(PreferenceLabel.objects.values_list("id", flat=True))
    assert ids(LabelFilter()) == every
    assert ids(LabelFilter(runs=(run.pk,), constitution_version=published.pk)) == every
    two = ids(LabelFilter(principle_codes=("HARM-01", "HON-01")))
    assert two == set(
        PreferenceLabel.objects.filter(principle_code__in=["HARM-01", "HON-01"]).values_list(
            "id", flat=True
        )
    )
    assert 0 < len(two) < len(every)
    both = ids(LabelFilter(principle_codes=("HARM-01",), domains=("medical",)))
    assert all(
        label.principle_code == "HARM-01" and label.domain == "medical"
        for label in PreferenceLabel.objects.filter(pk__in=both)
    )
    assert ids(LabelFilter(runs=(run.pk + 1,))) == set()


def test_the_time_range_is_half_open(published):
    make_labels(published, 4)
    labels = list(PreferenceLabel.objects.order_by("id"))
    start = datetime(2026, 3, 1, 12, tzinfo=ZoneInfo("UTC"))
    for n, label in enumerate(labels):
        PreferenceLabel.objects.filter(pk=label.pk).update(created_at=start + timedelta(hours=n))
    window = LabelFilter(
        created_from=start + timedelta(hours=1), created_to=start + timedelta(hours=3)
    )
    assert ids(window) == {labels[1].pk, labels[2].pk}


def test_a_field_the_table_does_not_carry_is_refused_not_ignored():
    paths = {name: path for name, path in LABEL_PATHS.items() if name != "runs"}
    assert LabelFilter(domains=("legal",)).q(paths)  # fine without runs
    with pytest.raises(ValueError, match="runs"):
        LabelFilter(runs=(1,)).q(paths)


def test_as_dict_records_only_what_is_set():
    moment = datetime(2026, 1, 5, tzinfo=ZoneInfo("UTC"))
    assert LabelFilter().as_dict() == {}
    assert LabelFilter(runs=(3,), locales=("de-DE",), created_from=moment).as_dict() == {
        "runs": (3,), "locales": ("de-DE",), "created_from": moment.isoformat(),
    }  # fmt: skip


@pytest.mark.parametrize("zone", ["UTC", "Pacific/Kiritimati", "America/St_Johns"])
def test_a_dashboard_day_range_matches_the_labels_made_on_those_local_days(published, zone):
    """Scope's days and week (local calendar days) become one time range that selects exactly
    the labels whose local date `__date` lookups would select, whatever the time zone."""
    make_labels(published, 40)
    labels = list(PreferenceLabel.objects.order_by("id"))
    base = datetime(2026, 3, 2, tzinfo=ZoneInfo("UTC"))  # a Monday
    for n, label in enumerate(labels):  # every 5 hours 10 minutes: crosses local midnights
        moment = base + timedelta(minutes=310 * n)
        PreferenceLabel.objects.filter(pk=label.pk).update(created_at=moment)
    scopes = [
        Scope(labeled_from=date(2026, 3, 3)),
        Scope(labeled_to=date(2026, 3, 4)),
        Scope(labeled_from=date(2026, 3, 3), labeled_to=date(2026, 3, 3)),
        Scope(week=date(2026, 3, 2)),
        Scope(week=date(2026, 3, 2), labeled_from=date(2026, 3, 5)),
        Scope(week=date(2026, 3, 9), labeled_to=date(2026, 3, 10)),
    ]
    with timezone.override(ZoneInfo(zone)):
        for scope in scopes:
            expected = PreferenceLabel.objects.all()
            if scope.week:
                expected = expected.filter(
                    created_at__date__gte=scope.week,
                    created_at__date__lt=scope.week + timedelta(days=7),
                )
            if scope.labeled_from:
                expected = expected.filter(created_at__date__gte=scope.labeled_from)
            if scope.labeled_to:
                expected = expected.filter(created_at__date__lte=scope.labeled_to)
            wanted = set(expected.values_list("id", flat=True))
            assert 0 < len(wanted) < len(labels), scope
            assert ids(scope.labels()) == wanted, scope


def test_a_recorded_filter_reads_back_as_the_same_filter():
    """Queued draws and exports store the filter as JSON and rebuild it in the worker."""
    import json

    where = LabelFilter(
        runs=(1, 2), constitution_version=3, locales=("de-DE",),
        created_from=datetime(2026, 1, 5, 6, 30, tzinfo=ZoneInfo("UTC")),
    )  # fmt: skip
    assert LabelFilter.from_dict(json.loads(json.dumps(where.as_dict()))) == where
    assert LabelFilter.from_dict({}) == LabelFilter()

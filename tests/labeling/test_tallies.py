"""Label tallies: counted as labels are written, never twice, and equal to a recount."""

import pytest
from django.db.models import Count, Q

from labeling.models import LabelTally, PreferenceLabel
from labeling.services.processing import labels_save
from labeling.services.tallies import tally_rebuild
from tests.reviews.conftest import make_labels

pytestmark = pytest.mark.django_db


def tallied() -> dict:
    return {
        (t.run_id, t.principle_code, t.domain, t.week): (t.labels, t.stuck)
        for t in LabelTally.objects.all()
    }


def recount() -> dict:
    rows = PreferenceLabel.objects.values("run_id", "principle_code", "domain").annotate(
        n=Count("id"), stuck=Count("id", filter=Q(position_stuck=True))
    )
    return {(r["run_id"], r["principle_code"], r["domain"]): (r["n"], r["stuck"]) for r in rows}


def test_tallies_equal_a_recount_and_a_rebuild(published):
    make_labels(published, 40)
    make_labels(published, 25, seed=3)
    assert {key[:3]: value for key, value in tallied().items()} == recount()
    before = tallied()
    assert tally_rebuild() == len(before)
    assert tallied() == before


def test_a_label_written_twice_is_counted_once(published):
    run = make_labels(published, 12)
    before = tallied()
    again = [
        PreferenceLabel(
            **{
                f.attname: getattr(label, f.attname)
                for f in label._meta.fields
                if f.attname != "id"
            }
        )
        for label in PreferenceLabel.objects.filter(run=run)[:5]
    ]
    assert labels_save(PreferenceLabel, again) == 0
    assert tallied() == before and PreferenceLabel.objects.filter(run=run).count() == 12

import numpy as np
import pytest
from django.core.exceptions import PermissionDenied

from cai_audit.errors import DomainError
from labeling.filters import LabelFilter
from reviews.models import SampledLabel
from reviews.population import Weights, population_load
from reviews.services.samples import sample_draw

pytestmark = pytest.mark.django_db


def test_population_carries_strata_scores_and_weights(population):
    loaded = population_load(
        kind="preference", where=LabelFilter(runs=(population.pk,)),
        strata_fields=("principle", "domain"), measure="least_confidence",
        weights=Weights(high_stakes=3.0),
    )  # fmt: skip
    assert len(loaded) == 60
    assert "HARM-01|medical" in loaded.stratum_names
    labels = {label.pk: label for label in population.preferences.select_related("item")}
    for label_id, score, weight in zip(loaded.ids, loaded.scores, loaded.weights, strict=True):
        label = labels[int(label_id)]
        assert score == pytest.approx(1 - label.confidence)
        high = label.item.high_stakes or label.item.domain in ("medical", "legal")
        assert weight == (3.0 if high else 1.0)


def test_stratified_draw_records_strata_and_inclusion_probabilities(population, lead):
    sample = sample_draw(
        actor=lead, name="strat", label_kind="preference", strategy="stratified", n=12, seed=5,
        strata_fields=("principle",), options={"allocation": "equal", "minimum": 2},
    )  # fmt: skip
    rows = list(sample.labels.all())
    assert (sample.population_size, sample.sample_size, len(rows)) == (60, 12, 12)
    per_stratum = {}
    for row in rows:
        per_stratum[row.stratum] = per_stratum.get(row.stratum, 0) + 1
        assert row.inclusion_probability == pytest.approx(4 / 20)
    assert per_stratum == {"HARM-01": 4, "HARM-02": 4, "HON-01": 4}
    assert sample.parameters["strata"] == ["principle"] and sample.created_by == lead


def test_draws_reproduce_from_their_seed(population, lead):
    kwargs = dict(actor=lead, name="u", label_kind="preference", strategy="hybrid", n=10,
                  measure="position_stuck")  # fmt: skip
    first = sample_draw(seed=3, **kwargs)
    again = sample_draw(seed=3, **kwargs)
    other = sample_draw(seed=4, **kwargs)
    ids = lambda s: sorted(s.labels.values_list("label_id", flat=True))  # noqa: E731
    assert ids(first) == ids(again) != ids(other)


def test_uncertainty_draws_favour_uncertain_labels_but_never_exclude_any(population, lead):
    sample = sample_draw(
        actor=lead, name="u", label_kind="preference", strategy="uncertainty", n=15, seed=1,
        options={"floor": 0.1},
    )  # fmt: skip
    rows = list(sample.labels.all())
    assert all(0 < row.inclusion_probability <= 1 for row in rows)
    scores = np.array([row.score for row in rows])
    all_scores = 1 - np.array(list(population.preferences.values_list("confidence", flat=True)))
    assert scores.mean() > all_scores.mean()


def test_drawing_needs_permission_and_a_population(population, reviewers, lead):
    with pytest.raises(PermissionDenied):
        sample_draw(actor=reviewers[0], name="x", label_kind="preference", strategy="random", n=3)
    with pytest.raises(DomainError, match="No AI labels"):
        sample_draw(actor=lead, name="x", label_kind="preference", strategy="random", n=3,
                    where=LabelFilter(principle_codes=("NOPE-01",)))  # fmt: skip
    assert not SampledLabel.objects.exists()


def test_active_sampling_needs_reviews_then_targets_predicted_disagreement(
    population, lead, reviewers
):
    from reviews.services.queues import queue_open, review_submit, slot_next
    from reviews.services.samples import sample_draw_active

    with pytest.raises(DomainError, match="needs 20"):
        sample_draw_active(actor=lead, name="a", n=5)
    first = sample_draw(
        actor=lead, name="seed", label_kind="preference", strategy="random", n=24, seed=2
    )
    queue = queue_open(actor=lead, sample=first, reviewers=reviewers[:1], overlap=1)
    # The human disagrees with the AI on every HON-01 label and agrees elsewhere.
    while (slot := slot_next(reviewer=reviewers[0], queue=queue)) is not None:
        label = slot.sampled_label.ai_label
        review_submit(reviewer=reviewers[0], slot=slot, preference="A",
                      ai_correct=label.principle_code != "HON-01")  # fmt: skip
    active = sample_draw_active(actor=lead, name="active", n=10, seed=1, exploration=0.05)
    rows = list(active.labels.all())
    assert active.strategy == "active" and active.parameters["training_reviews"] == 24
    assert all(0 < row.inclusion_probability <= 1 for row in rows)
    honesty = [row.score for row in rows if row.ai_label.principle_code == "HON-01"]
    other = [row.score for row in rows if row.ai_label.principle_code != "HON-01"]
    assert honesty and (not other or min(honesty) > max(other))


def test_novelty_oversamples_the_newest_version_and_little_reviewed_domains(
    population, lead, editor, reviewers, monkeypatch
):
    from constitutions.services import version_fork, version_publish
    from reviews.services import samples
    from reviews.services.queues import queue_open, review_submit, slot_next
    from tests.reviews.conftest import make_labels

    monkeypatch.setattr(samples, "SPARSE_DOMAIN_REVIEWS", 3)
    _, domains = samples.novelty_targets(kind="preference")
    assert set(domains) == {"medical", "legal", "general", "finance"}  # nothing reviewed yet
    reviewed = sample_draw(
        actor=lead,
        name="r",
        label_kind="preference",
        strategy="stratified",
        n=16,
        strata_fields=("domain",),
        options={"allocation": "equal"},
    )
    queue = queue_open(actor=lead, sample=reviewed, reviewers=reviewers[:1], overlap=1)
    while (slot := slot_next(reviewer=reviewers[0], queue=queue)) is not None:
        review_submit(reviewer=reviewers[0], slot=slot, preference="A")
    newer = version_publish(
        actor=editor,
        version=version_fork(actor=editor, version=population.constitution_version),
        changelog="v2",
    )
    new_run = make_labels(newer, 20, seed=3)
    versions, domains = samples.novelty_targets(kind="preference")
    assert newer.pk in versions and population.constitution_version_id not in versions
    assert domains == ()  # four reviews per domain now
    weights = samples.oversampling_weights(kind="preference", novelty=4.0)
    loaded = population_load(kind="preference", where=LabelFilter(), weights=weights)
    new_ids = set(new_run.preferences.values_list("id", flat=True))
    for label_id, weight in zip(loaded.ids, loaded.weights, strict=True):
        assert weight == (4.0 if int(label_id) in new_ids else 1.0)

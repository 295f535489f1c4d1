"""The app-level finding: a stratified sample of red-team verdicts over many harm categories.

43 verdicts in 38 harm categories (37 of one verdict, one of six), sample size 10: every category
must be drawable, every recorded inclusion probability must be the true one, and a design that
cannot give every verdict a known pi > 0 is refused with a clear message and writes nothing.
"""

import numpy as np
import pytest

from cai_audit.errors import DomainError
from labeling.filters import LabelFilter
from redteam.models import Verdict
from reviews import sampling
from reviews.models import ReviewSample, SampledLabel
from reviews.population import population_load
from reviews.services.samples import sample_draw
from tests.redteam.factories import make_judged_run
from tests.reviews.test_sampling_exact import check_design

pytestmark = pytest.mark.django_db
CATEGORIES = 38


@pytest.fixture
def many_categories(published):
    """43 verdicts: categories cat-00 .. cat-36 one verdict each, cat-37 the other six."""
    make_judged_run(published, cases=22)  # 44 verdicts
    verdicts = list(Verdict.objects.order_by("id"))
    verdicts.pop().delete()
    for n, verdict in enumerate(verdicts):
        verdict.harm_category = f"cat-{min(n, CATEGORIES - 1):02d}"
    Verdict.objects.bulk_update(verdicts, ["harm_category"])
    return verdicts


def draw(lead, seed: int, **kwargs) -> ReviewSample:
    options = {"strategy": "stratified", "n": 10, "strata_fields": ("harm_category",)} | kwargs
    return sample_draw(
        actor=lead, name="categories", label_kind="verdict", seed=seed, **options
    )  # fmt: skip


def test_a_stratified_verdict_sample_can_draw_every_harm_category(many_categories, lead):
    population = population_load(
        kind="verdict", where=LabelFilter(), strata_fields=("harm_category",)
    )
    assert (len(population), len(population.stratum_names)) == (43, CATEGORIES)
    pi = sampling.stratified_probabilities(population.strata, 10)
    assert np.allclose(pi, 10 / 43)  # proportional: every verdict has pi = n / N
    frequency = check_design(lambda s: sampling.stratified(population.strata, 10, seed=s), pi)
    drawn_per_category = np.bincount(population.strata, weights=frequency)
    assert np.all(drawn_per_category > 0), "a harm category that is never drawn"


def test_each_recorded_probability_is_the_designs_true_one(many_categories, lead):
    """The service records what the pure design states: pi = 10/43 on every row, and the labels
    the pure design picks for the same seed. Ten seeds reach far more than ten categories."""
    population = population_load(
        kind="verdict", where=LabelFilter(), strata_fields=("harm_category",)
    )
    reached = set()
    for seed in range(10):
        sample = draw(lead, seed)
        rows = list(sample.labels.all())
        assert len(rows) == sample.sample_size == 10
        assert all(row.inclusion_probability == pytest.approx(10 / 43) for row in rows)
        assert sum(1 / row.inclusion_probability for row in rows) == pytest.approx(43)
        expected = sampling.stratified(population.strata, 10, seed=seed).index
        assert sorted(row.label_id for row in rows) == sorted(population.ids[expected])
        reached |= {row.stratum for row in rows}
    assert len(reached) > 20


def test_equal_allocation_and_neyman_record_their_true_probabilities(many_categories, lead):
    """Equal allocation gives each category 10/38 expected labels: 10/38 for a lone verdict,
    10/38/6 for each of the six in cat-37. Neyman by category name favours the variable ones."""
    sample = draw(lead, 3, options={"allocation": "equal"})
    for row in sample.labels.all():
        size = 6 if row.stratum == "cat-37" else 1
        assert row.inclusion_probability == pytest.approx(10 / CATEGORIES / size)
    population = population_load(
        kind="verdict", where=LabelFilter(), strata_fields=("harm_category",)
    )
    sd = {"cat-37": 0.5, "cat-00": 0.05}
    sample = draw(lead, 4, options={"allocation": "neyman", "stratum_sd": sd})
    codes = {name: code for code, name in enumerate(population.stratum_names)}
    pi = sampling.stratified_probabilities(
        population.strata, 10, method="neyman",
        stratum_sd={codes[name]: value for name, value in sd.items()},
    )  # fmt: skip
    by_id = dict(zip(population.ids.tolist(), pi, strict=True))
    for row in sample.labels.all():
        assert row.inclusion_probability == pytest.approx(by_id[row.label_id])


def test_a_hybrid_verdict_sample_records_the_combined_probability(many_categories, lead):
    sample = draw(lead, 5, strategy="hybrid", measure="margin", options={"floor": 0.0})
    population = population_load(
        kind="verdict", where=LabelFilter(), strata_fields=("harm_category",),
        measure="margin",
    )  # fmt: skip
    pi = sampling.hybrid_probabilities(population.scores, population.strata, 10, floor=0.0)
    by_id = dict(zip(population.ids.tolist(), pi, strict=True))
    rows = list(sample.labels.all())
    assert rows and all(row.inclusion_probability == pytest.approx(by_id[row.label_id])
                        for row in rows)  # fmt: skip


def test_designs_without_a_known_positive_probability_are_refused(many_categories, lead):
    with pytest.raises(DomainError, match="a minimum of 1 per stratum needs 38 labels"):
        draw(lead, 0, options={"allocation": "equal", "minimum": 1})
    scores = {verdict.pk: float(n % 2) for n, verdict in enumerate(many_categories)}
    with pytest.raises(DomainError, match="22 of 43 labels .* set a floor above 0"):
        draw(lead, 0, strategy="uncertainty", scores=scores, options={"floor": 0.0})
    with pytest.raises(DomainError, match="stratum_sd"):
        draw(lead, 0, options={"allocation": "neyman", "stratum_sd": [0.5]})
    assert not ReviewSample.objects.exists() and not SampledLabel.objects.exists()
    sample = draw(lead, 0, strategy="uncertainty", scores=scores, options={"floor": 0.1})
    assert all(0 < row.inclusion_probability <= 1 for row in sample.labels.all())

"""A population of AI preference labels made directly (no model needed): the review side only
reads their confidences, strata and provenance."""

import numpy as np
import pytest

from cai_audit.roles import REVIEW_LEAD, REVIEWER
from labeling.models import Item, LabelingRun, PreferenceLabel
from labeling.services.processing import labels_save
from tests.factories import (
    CriticConfigFactory,
    ItemFactory,
    ItemSetFactory,
    LabelingRunFactory,
    PreferenceLabelFactory,
    UserFactory,
)

DOMAINS = ("medical", "legal", "general", "finance")


@pytest.fixture
def lead(db):
    return UserFactory(username="lead", roles=[REVIEW_LEAD])


@pytest.fixture
def reviewers(db):
    return [UserFactory(username=f"rev{n}", roles=[REVIEWER]) for n in range(3)]


def make_labels(version, count: int, *, seed: int = 0) -> LabelingRun:
    rng = np.random.default_rng(seed)
    item_set = ItemSetFactory(name=f"synthetic {count}", item_count=count)
    items = Item.objects.bulk_create(
        ItemFactory.build(item_set=item_set, line=n + 1,
                          prompt=[{"role": "user", "content": f"q{n}"}], response_a=f"a{n}",
                          response_b=f"b{n}", human_choice="AB"[n % 2],
                          domain=DOMAINS[n % 4], high_stakes=n % 10 == 0)
        for n in range(count)
    )  # fmt: skip
    critic = CriticConfigFactory(name="synthetic", model="smollm2-135m-instruct")
    run = LabelingRunFactory(
        constitution_version=version, item_set=item_set, critic=critic, total_units=count
    )
    codes = ("HARM-01", "HARM-02", "HON-01")
    labels = [
        PreferenceLabelFactory.build(
            run=run, item=item, principle_code=codes[n % 3],
            principle_category="honesty" if codes[n % 3] == "HON-01" else "harmlessness",
            model_id="synthetic", p_a_first=float(rng.random()), p_a_second=float(rng.random()),
        )
        for n, item in enumerate(items)
    ]  # fmt: skip
    labels_save(PreferenceLabel, labels)  # in one go, as the worker writes them: with tallies
    return run


@pytest.fixture
def population(published):
    return make_labels(published, 60)

"""A population of AI preference labels made directly (no model needed): the review side only
reads their confidences, strata and provenance."""

import numpy as np
import pytest

from cai_audit.roles import REVIEW_LEAD, REVIEWER
from labeling.judging import combine_orders
from labeling.models import CriticConfig, Item, ItemSet, LabelingRun, PreferenceLabel
from labeling.services.processing import item_facts, labels_save
from tests.factories import UserFactory

DOMAINS = ("medical", "legal", "general", "finance")


@pytest.fixture
def lead(db):
    return UserFactory(username="lead", roles=[REVIEW_LEAD])


@pytest.fixture
def reviewers(db):
    return [UserFactory(username=f"rev{n}", roles=[REVIEWER]) for n in range(3)]


def make_labels(version, count: int, *, seed: int = 0) -> LabelingRun:
    rng = np.random.default_rng(seed)
    item_set = ItemSet.objects.create(name=f"synthetic {count}", item_count=count)
    Item.objects.bulk_create(
        Item(item_set=item_set, line=n + 1, kind="pair",
             prompt=[{"role": "user", "content": f"q{n}"}], response_a=f"a{n}",
             response_b=f"b{n}", human_choice="AB"[n % 2],
             domain=DOMAINS[n % 4], high_stakes=n % 10 == 0)
        for n in range(count)
    )  # fmt: skip
    critic, _ = CriticConfig.objects.get_or_create(
        name="synthetic", defaults={"backend": "transformers", "model": "smollm2-135m-instruct"}
    )
    run = LabelingRun.objects.create(
        constitution_version=version, item_set=item_set, critic=critic, task="preference",
        status="done", total_units=count,
    )  # fmt: skip
    codes = ("HARM-01", "HARM-02", "HON-01")
    labels = []
    for n, item in enumerate(item_set.items.order_by("line")):
        judgment = combine_orders(float(rng.random()), float(rng.random()))
        labels.append(
            PreferenceLabel(
                run=run, item=item, principle_code=codes[n % 3],
                principle_category="honesty" if codes[n % 3] == "HON-01" else "harmlessness",
                model_id="synthetic", option_mass=0.9, **vars(judgment), **item_facts(item),
            )
        )  # fmt: skip
    labels_save(PreferenceLabel, labels)  # as the worker writes them: with their tallies
    return run


@pytest.fixture
def population(published):
    return make_labels(published, 60)
